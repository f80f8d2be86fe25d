package config

import (
	"strings"
	"testing"
)

// An IMAP OAuth token is never borrowed as the SMTP password: the config
// is refused naming smtp.auth and both ways to fix it. With smtp on OAuth
// too, or with a password of its own, it loads.
func TestIMAPTokenIsNoSMTPPassword(t *testing.T) {
	imapOAuth := strings.Replace(base, "  host: imap.example.com\n", "  host: imap.example.com\n  auth: xoauth2\n  token_cmd: oauth2-token imap\n", 1)
	ps := problems(t, imapOAuth)
	if len(ps) != 1 || ps[0].Key != "smtp.auth" || !strings.Contains(ps[0].Msg, "smtp.token_cmd") || !strings.Contains(ps[0].Msg, "password_cmd") {
		t.Errorf("imap on OAuth, smtp without a secret: problems %+v, want one on smtp.auth naming both fixes", ps)
	}
	both := strings.Replace(imapOAuth, "  port: 587\n", "  port: 587\n  auth: xoauth2\n  token_cmd: oauth2-token smtp\n", 1)
	if ps := problems(t, both); len(ps) != 0 {
		t.Errorf("both on OAuth: unexpected problems %+v", ps)
	}
	own := strings.Replace(imapOAuth, "  port: 587\n", "  port: 587\n  password_cmd: pass show smtp\n", 1)
	if ps := problems(t, own); len(ps) != 0 {
		t.Errorf("smtp with its own password_cmd: unexpected problems %+v", ps)
	}
}
