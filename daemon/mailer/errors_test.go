package mailer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"syscall"
	"testing"

	gomail "github.com/wneessen/go-mail"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, 0},
		{"451 greylisting", &textproto.Error{Code: 451, Msg: "4.7.1 Greylisted"}, Temporary},
		{"421 at greeting", fmt.Errorf("dial: %w", &textproto.Error{Code: 421, Msg: "4.3.2 busy"}), Temporary},
		{"454 temporary auth failure", fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 454, Msg: "4.7.0 try later"}), Temporary},
		{"550 rejected", &textproto.Error{Code: 550, Msg: "5.1.1 no such user"}, Permanent},
		{"535 bad credentials", fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "5.7.8 invalid"}), Setup},
		{"534 gmail app password", &textproto.Error{Code: 534, Msg: "5.7.9 Application-specific password required"}, Setup},
		{"gmail 550 5.4.5 quota", &textproto.Error{Code: 550, Msg: "5.4.5 Daily user sending limit exceeded"}, Temporary},
		{"microsoft 550 5.7.30", &textproto.Error{Code: 550, Msg: "5.7.30 Basic authentication is not supported"}, Setup},
		{"flattened reply text", errors.New("452 4.3.1 insufficient storage"), Temporary},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, Temporary},
		{"dns failure", &net.DNSError{Err: "no such host", Name: "smtp.example.com"}, Temporary},
		{"deadline", context.DeadlineExceeded, Temporary},
		{"untrusted certificate", fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}), Setup},
		{"wrong host in certificate", x509.HostnameError{Host: "smtp.example.com", Certificate: &x509.Certificate{}}, Setup},
		{"plain not offered", gomail.ErrPlainAuthNotSupported, Setup},
		{"already classified", fmt.Errorf("outbox: %w", &Error{Class: Unknown, Err: errors.New("x")}), Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Fatalf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestClassifyCodes(t *testing.T) {
	tests := []struct {
		code     int
		enhanced string
		atRcpt   bool
		want     Class
	}{
		{450, "", false, Temporary},
		{552, "5.3.4", false, Permanent},
		{552, "5.5.3", true, Temporary}, // too many recipients (RFC 5321 4.5.3.1.10)
		{554, "5.7.30", false, Setup},
		{535, "5.7.8", false, Setup},
		{530, "5.7.0", false, Setup},
		{550, "5.7.1", false, Permanent}, // a policy refusal of this message
		{550, "5.4.5", false, Temporary},
		{0, "", false, Unknown},
	}
	for _, tt := range tests {
		if got := classifyCode(tt.code, tt.enhanced, tt.atRcpt); got != tt.want {
			t.Errorf("classifyCode(%d, %q, %v) = %v, want %v", tt.code, tt.enhanced, tt.atRcpt, got, tt.want)
		}
	}
}

// Every Setup failure says what to change, in one line that names a key.
func TestSetupFix(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{classify(fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "5.7.8 invalid"})), "smtp.username"},
		{classify(&textproto.Error{Code: 550, Msg: "5.7.30 Basic authentication is not supported"}), "smtp.auth: xoauth2"},
		{classify(&textproto.Error{Code: 530, Msg: "5.7.0 Authentication required"}), "smtp.username"},
		{classify(fmt.Errorf("tls: %w", x509.UnknownAuthorityError{})), "smtp.ca_file"},
		{classify(x509.HostnameError{Host: "smtp.example.com", Certificate: &x509.Certificate{}}), "smtp.host"},
		{classify(fmt.Errorf("dial: %w", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"})), "smtp.tls: starttls"},
		{classify(errors.New(`STARTTLS mode set to: "TLSMandatory", but target host does not support STARTTLS`)), "smtp.tls: implicit"},
		{&Error{Class: Setup, Err: errors.New("smtp password: password_cmd failed")}, "leadup check"},
	}
	for _, tt := range tests {
		if tt.err.Class != Setup {
			t.Errorf("%v: class %v, want setup", tt.err.Err, tt.err.Class)
		}
		if got := tt.err.Fix(); !strings.Contains(got, tt.want) || strings.Contains(got, "\n") {
			t.Errorf("Fix of %v = %q, want one line naming %q", tt.err.Err, got, tt.want)
		}
	}
	if got := classify(&textproto.Error{Code: 550, Msg: "5.1.1 no such user"}).Fix(); got != "" {
		t.Errorf("a refusal of the message has no setup fix, got %q", got)
	}
}

func TestErrorMethods(t *testing.T) {
	inner := errors.New("boom")
	for _, tt := range []struct {
		class Class
		temp  bool
	}{{Temporary, true}, {Unknown, true}, {Permanent, false}} {
		e := &Error{Class: tt.class, Err: inner}
		if e.Temporary() != tt.temp || !errors.Is(e, inner) {
			t.Errorf("%v: Temporary()=%v Is(inner)=%v", tt.class, e.Temporary(), errors.Is(e, inner))
		}
		if want := "smtp " + tt.class.String() + " failure: boom"; e.Error() != want {
			t.Errorf("Error() = %q, want %q", e.Error(), want)
		}
	}
}
