package config

import (
	"strings"
	"testing"
)

// serverConfig is base with the imap and smtp sections replaced.
func serverConfig(imap, smtp string) string {
	text := strings.Replace(base, "imap:\n  host: imap.example.com\n", "imap:\n  host: imap.example.com\n"+imap, 1)
	return strings.Replace(text, "smtp:\n  host: smtp.example.com\n  port: 587\n", "smtp:\n  host: smtp.example.com\n"+smtp, 1)
}

// The known port and TLS mix-ups are warned about offline, naming the key
// and the fix; the right pairs and unknown ports are not.
func TestTLSPortWarnings(t *testing.T) {
	for _, tc := range []struct {
		imap, smtp string
		want       string // "" for no warning
	}{
		{"", "  port: 587\n", ""},
		{"  port: 993\n  tls: implicit\n", "  port: 465\n  tls: implicit\n", ""},
		{"  port: 143\n  tls: starttls\n", "  port: 25\n  tls: starttls\n", ""},
		{"  port: 10993\n  tls: starttls\n", "  port: 2525\n  tls: implicit\n", ""},
		{"", "  port: 465\n  tls: starttls\n",
			"smtp.tls is starttls but port 465 speaks TLS at once: set smtp.tls: implicit, or use port 587 with smtp.tls: starttls"},
		{"", "  port: 587\n  tls: implicit\n",
			"smtp.tls is implicit but port 587 starts in plain text (TLS comes after STARTTLS): set smtp.tls: starttls, or use port 465 with smtp.tls: implicit"},
		{"", "  port: 25\n",
			"smtp.tls is implicit (the default) but port 25 starts in plain text (TLS comes after STARTTLS): set smtp.tls: starttls, or use port 465 with smtp.tls: implicit"},
		{"  port: 993\n  tls: starttls\n", "  port: 587\n",
			"imap.tls is starttls but port 993 speaks TLS at once: set imap.tls: implicit, or use port 143 with imap.tls: starttls"},
		{"  port: 143\n", "  port: 587\n",
			"imap.tls is implicit (the default) but port 143 starts in plain text (TLS comes after STARTTLS): set imap.tls: starttls, or use port 993 with imap.tls: implicit"},
	} {
		cfg, err := Load(write(t, serverConfig(tc.imap, tc.smtp), 0o600))
		if err != nil {
			t.Fatalf("imap %q smtp %q: %v", tc.imap, tc.smtp, err)
		}
		got := strings.Join(cfg.Warnings, "\n")
		if got != tc.want {
			t.Errorf("imap %q smtp %q: warnings\n%q\nwant\n%q", tc.imap, tc.smtp, got, tc.want)
		}
	}
}

// tls: none on a TLS port (loopback only) is warned about too.
func TestTLSPortWarningNone(t *testing.T) {
	text := strings.Replace(serverConfig("  port: 993\n  tls: none\n", "  port: 587\n"), "host: imap.example.com", "host: 127.0.0.1", 1)
	cfg, err := Load(write(t, text, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if want := "imap.tls is none but port 993 speaks TLS at once: set imap.tls: implicit"; len(cfg.Warnings) != 1 || !strings.HasPrefix(cfg.Warnings[0], want) {
		t.Errorf("warnings %q, want one starting %q", cfg.Warnings, want)
	}
}
