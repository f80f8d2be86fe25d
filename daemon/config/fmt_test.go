package config

import "fmt"

// fmtAll renders a config every way a careless log line might.
func fmtAll(c *Config) []string {
	return []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%v", *c), fmt.Sprintf("%+v", c.IMAP)}
}
