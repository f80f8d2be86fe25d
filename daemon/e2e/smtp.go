package e2e

import (
	"bytes"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Submit sends raw through the submission port the way a mail client would
// (STARTTLS with the throw-away CA, then AUTH PLAIN as s.User). Postfix hands
// mail for example.com to Dovecot over LMTP, mox delivers it to itself
// through its queue; pair it with WaitForMessage to see it arrive.
func (s *Servers) Submit(t testing.TB, from string, to []string, raw []byte) {
	t.Helper()
	c, err := smtp.DialStartTLS(s.SMTPAddr(), s.TLSConfig())
	if err != nil {
		t.Fatalf("e2e: submit: dial %s: %v", s.SMTPAddr(), err)
	}
	defer func() { _ = c.Close() }()
	if err := c.Auth(sasl.NewPlainClient("", s.User, s.Password)); err != nil {
		t.Fatalf("e2e: submit: auth as %s: %v", s.User, err)
	}
	if err := c.SendMail(from, to, bytes.NewReader(raw)); err != nil {
		t.Fatalf("e2e: submit: send from %s to %v: %v", from, to, err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("e2e: submit: quit: %v", err)
	}
}
