package mailer

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"

	"github.com/leadup/leadup/daemon/internal/tlsmix"
)

// Class says what a failed send means for the outbox: retry, give up, or
// retry while expecting that the message may already have arrived.
type Class int

// The zero Class is not a failure class; Classify(nil) returns it.
const (
	// Temporary: the message was not accepted; retrying later may succeed
	// (4xx, dial errors, a connection lost before the end of DATA).
	Temporary Class = iota + 1
	// Permanent: the server refused this message (5xx to MAIL, RCPT or
	// DATA); retrying will not help, so it is recorded as failed and shown.
	Permanent
	// Unknown: the connection broke or timed out after the message was sent
	// but before the server answered; the server may have accepted it.
	// Retry with the same Message-ID and let the recipient dedupe.
	Unknown
	// Setup: the settings or the account are wrong (the login was refused,
	// TLS failed, the certificate is not trusted, no password could be
	// read), so no message can go out until the user fixes them. The
	// message itself is fine: the outbox keeps it and sends it once the
	// setup works. Error.Fix says what to change.
	Setup
)

// String names the class for logs and `leadup status`.
func (c Class) String() string {
	switch c {
	case Temporary:
		return "temporary"
	case Permanent:
		return "permanent"
	case Unknown:
		return "unknown"
	case Setup:
		return "setup"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Error is what Send, Check and SendRetry return: the failure with its
// class, so the outbox can decide without parsing text. It never contains
// the password.
type Error struct {
	Class Class
	// Code is the SMTP reply code (e.g. 451, 550), 0 when there was none.
	Code int
	// Enhanced is the RFC 3463 status (e.g. "5.7.8") when the server gave one.
	Enhanced string
	Err      error
}

func (e *Error) Error() string {
	if e.Class == Setup {
		return fmt.Sprintf("smtp setup failure: %v", e.Err)
	}
	return fmt.Sprintf("smtp %s failure: %v", e.Class, e.Err)
}

// Fix says, in one line, what the user must change for a Setup failure
// (and for the permanent failures whose cause is known); "" when there is
// nothing specific to say.
func (e *Error) Fix() string {
	text := strings.ToLower(e.Err.Error())
	tlsErr := tlsProblemOf(e.Err)
	switch {
	case e.Enhanced == "5.7.30" || e.Enhanced == "5.7.139":
		return "Microsoft 365 has basic authentication turned off for SMTP: set smtp.auth: xoauth2 with a token_cmd (see the README)"
	case e.Code == 535 || e.Code == 534 || e.Enhanced == "5.7.8" || e.Enhanced == "5.7.9":
		return "the SMTP server refused the login: check smtp.username and the SMTP password (password_cmd, password_file or $LEADUP_SMTP_PASSWORD), then run `leadup check --connect`"
	case e.Code == 530 || e.Enhanced == "5.7.57":
		return "the SMTP server wants a login before it takes mail: set smtp.username and a password source"
	case tlsErr == tlsMixup:
		var m *tlsmix.Mismatch
		errors.As(e.Err, &m)
		return m.Fix()
	case tlsErr == tlsPlainText:
		return "smtp.tls is implicit but the server answered in plain text: use smtp.tls: starttls (usually port 587)"
	case tlsErr == tlsWrongHost:
		return "the SMTP server's certificate is not for smtp.host: use the host name the certificate names"
	case tlsErr == tlsUntrusted:
		return "the SMTP server's certificate is not trusted: set smtp.ca_file to the CA that signed it, or fix the server's certificate"
	case errors.Is(e.Err, gosmtp.ErrUnencrypted), strings.Contains(text, "does not support starttls"):
		return "the SMTP server does not offer STARTTLS: use smtp.tls: implicit with port 465, or its submission port 587"
	case strings.Contains(text, "does not support smtp auth"), errors.Is(e.Err, gomail.ErrNoSupportedAuthDiscovered),
		errors.Is(e.Err, gomail.ErrPlainAuthNotSupported), errors.Is(e.Err, gomail.ErrLoginAuthNotSupported),
		errors.Is(e.Err, gomail.ErrXOauth2AuthNotSupported):
		return "the SMTP server offers no login method leadup can use here: check smtp.port and smtp.tls (the submission port is usually 587 with starttls) and smtp.auth"
	case strings.HasPrefix(text, "smtp password"):
		return "the SMTP password could not be read: run `leadup check` and fix the password source it names"
	}
	return ""
}

// Unwrap gives errors.Is / errors.As access to the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether a retry may succeed: true for Temporary and for
// Unknown outcomes (which are retried with the same Message-ID).
func (e *Error) Temporary() bool { return e.Class == Temporary || e.Class == Unknown }

// Classify returns the class of err: the Class of an *Error in its chain,
// else a classification of a raw go-mail, SMTP, TLS or network error
// (4xx temporary, 5xx permanent, with the known provider exceptions).
// Classify(nil) returns 0.
func Classify(err error) Class {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return classify(err).Class
}

// enhancedRE finds an RFC 3463 enhanced status code in a reply text.
var enhancedRE = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)

// classify wraps err in an *Error with its class, code and enhanced code.
func classify(err error) *Error {
	e := &Error{Err: err}
	var te *textproto.Error
	var se *gomail.SendError
	switch {
	case errors.As(err, &se):
		e.Code = se.ErrorCode()
		e.Enhanced = enhancedRE.FindString(err.Error())
		if errors.As(err, &te) && e.Code == 0 {
			e.Code = te.Code
		}
		e.Class = classifySend(se, e.Code, e.Enhanced)
	case errors.As(err, &te):
		e.Code = te.Code
		e.Enhanced = enhancedRE.FindString(te.Msg)
		e.Class = classifyCode(e.Code, e.Enhanced, false)
	default:
		e.Code = leadingCode(err.Error())
		if e.Code != 0 {
			e.Enhanced = enhancedRE.FindString(err.Error())
			e.Class = classifyCode(e.Code, e.Enhanced, false)
		} else {
			e.Class = classifyOther(err)
		}
	}
	return e
}

// classifySend classifies a failure while transmitting a message.
func classifySend(se *gomail.SendError, code int, enhanced string) Class {
	switch se.Reason {
	case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		return Permanent // the message itself is unusable
	}
	if code != 0 {
		return classifyCode(code, enhanced, se.Reason == gomail.ErrSMTPRcptTo)
	}
	if se.Reason == gomail.ErrSMTPDataClose {
		// The final "." went out (or may have) but no reply came back: the
		// server may have queued the message.
		return Unknown
	}
	// Anything earlier (NOOP, MAIL, RCPT, DATA, writing the content before
	// the terminating dot) cannot have been accepted.
	return Temporary
}

// classifyCode applies the reply-code rules: 4xx temporary, 5xx permanent,
// with the exceptions providers force on us.
func classifyCode(code int, enhanced string, atRcpt bool) Class {
	switch {
	case enhanced == "5.4.5":
		return Temporary // Gmail's sending quota: "550 5.4.5 Daily user sending limit exceeded"
	case enhanced == "5.7.30", enhanced == "5.7.139":
		return Setup // Microsoft 365: basic auth disabled
	case code == 535, code == 534, code == 530, enhanced == "5.7.8", enhanced == "5.7.9", enhanced == "5.7.57":
		return Setup // the login was refused or is missing
	case code == 552 && atRcpt:
		return Temporary // RFC 5321 4.5.3.1.10: 552 to RCPT means "too many recipients", i.e. 452
	case code >= 400 && code < 500:
		return Temporary
	case code >= 500 && code < 600:
		return Permanent
	}
	return Unknown
}

// tlsProblem is what a TLS or certificate error says about the setup.
type tlsProblem int

const (
	tlsNone      tlsProblem = iota
	tlsMixup                // the first bytes showed the port's TLS mode (a *tlsmix.Mismatch)
	tlsPlainText            // implicit TLS against a plain-text port
	tlsWrongHost            // the certificate is for another host
	tlsUntrusted            // the certificate is not trusted or not valid
)

func tlsProblemOf(err error) tlsProblem {
	var (
		unknownAuth  x509.UnknownAuthorityError
		hostname     x509.HostnameError
		invalid      x509.CertificateInvalidError
		verification *tls.CertificateVerificationError
		record       tls.RecordHeaderError
		mixup        *tlsmix.Mismatch
	)
	switch {
	case errors.As(err, &mixup):
		return tlsMixup
	case errors.As(err, &record):
		return tlsPlainText
	case errors.As(err, &hostname):
		return tlsWrongHost
	case errors.As(err, &unknownAuth), errors.As(err, &invalid), errors.As(err, &verification):
		return tlsUntrusted
	}
	return tlsNone
}

// classifyOther classifies errors without a reply code, mostly from dialing,
// TLS and authentication.
func classifyOther(err error) Class {
	switch {
	// Trust and configuration problems need the user to change something.
	case tlsProblemOf(err) != tlsNone:
		return Setup
	case errors.Is(err, gosmtp.ErrUnencrypted), errors.Is(err, gosmtp.ErrWrongHostname),
		errors.Is(err, gomail.ErrPlainAuthNotSupported), errors.Is(err, gomail.ErrLoginAuthNotSupported),
		errors.Is(err, gomail.ErrXOauth2AuthNotSupported), errors.Is(err, gomail.ErrNoSupportedAuthDiscovered),
		errors.Is(err, gosmtp.ErrUnexpectedServerChallange), errors.Is(err, gosmtp.ErrUnexpectedServerResponse),
		strings.Contains(err.Error(), "does not support SMTP AUTH"),
		strings.Contains(err.Error(), "does not support STARTTLS"):
		return Setup
	case errors.Is(err, gomail.ErrServerNoUnencoded):
		return Permanent // the server cannot take this message's encoding
	}
	// Dial errors, timeouts and lost connections before the end of DATA:
	// nothing was accepted, so trying again later is safe.
	return Temporary
}

// leadingCode returns the SMTP reply code an error text starts with, if any
// (go-mail sometimes flattens replies into plain errors).
func leadingCode(s string) int {
	if len(s) < 4 || s[3] != ' ' && s[3] != '-' {
		return 0
	}
	if s[0] != '4' && s[0] != '5' {
		return 0
	}
	n, err := strconv.Atoi(s[:3])
	if err != nil {
		return 0
	}
	return n
}
