package main

import (
	"strings"
	"testing"
)

// TestCheckWarnsTLSPortMixup: offline `leadup check` warns about a known
// port and TLS mix-up, naming the key and the fix, and still passes (the
// pair may be right for an odd server).
func TestCheckWarnsTLSPortMixup(t *testing.T) {
	t.Setenv("LEADUP_IMAP_PASSWORD", "x")
	t.Setenv("LEADUP_SMTP_PASSWORD", "x")
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	path := writeConfig(t, edit("  port: 587", "  port: 465\n  tls: starttls"))
	code, stdout, stderr := leadup(t, "check", "--config", path)
	want := "smtp.tls is starttls but port 465 speaks TLS at once: set smtp.tls: implicit, or use port 587 with smtp.tls: starttls"
	if code != 0 || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant one warning line with %q", code, stdout, stderr, want)
	}
}
