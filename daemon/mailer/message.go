package mailer

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Inline is a part shown inside the HTML body (a chart), referenced from the
// HTML as "cid:" + ContentID.
type Inline struct {
	// Name is the file name offered to clients that show it as an attachment.
	Name string
	// ContentID is the id without angle brackets (e.g. "chart@leadup");
	// brackets are accepted and stripped.
	ContentID string
	// ContentType such as "image/png"; empty means application/octet-stream.
	ContentType string
	Data        []byte
}

// Message is one mail leadup writes: a reminder or digest to the user, or a
// draft for the boss. Everything that makes a resend identical (Message-ID,
// Date) is chosen by the caller, so a retry after a crash is the same message.
type Message struct {
	// From is the bare address; FromName an optional display name.
	From     string
	FromName string
	// To is one or more addresses separated by commas, in RFC 5322 address
	// list syntax ("Jane <jane@example.com>, raj@example.com"), so display
	// names may contain quoted commas.
	To      string
	Subject string
	// Text is the plain body; HTML, when set, is its alternative
	// (multipart/alternative).
	Text, HTML string
	// MessageID is the idempotency key: the outbox stores it before the first
	// attempt and every retry reuses it. With or without angle brackets.
	MessageID string
	// Date comes from the injected clock (never time.Now), so `--now` runs
	// write mail dated in the simulated time.
	Date time.Time
	// Kind ("reminder", "digest", ...) becomes the X-Leadup header, by which
	// leadup recognises its own mail (and replies to it) in the mailbox.
	Kind string
	// InReplyTo and References thread the mail; values are message ids in
	// angle brackets, References space-separated.
	InReplyTo, References string
	// Inline parts referenced from HTML by cid:.
	Inline []Inline
	// Draft marks a draft the user will send as their own mail (the weekly
	// update in Drafts): it gets neither Auto-Submitted nor X-Leadup, so the
	// boss's server treats the sent update as a person's mail and leadup
	// counts it as an update. Kind is then ignored.
	Draft bool
	// Headers are extra header fields (name, value). Headers Build sets itself
	// (From, To, Subject, Date, Message-ID, Auto-Submitted, X-Leadup,
	// MIME-Version, Content-*, In-Reply-To, References) are refused; a later
	// header of the same name replaces an earlier one.
	Headers [][2]string
}

// reserved headers are set by Build and may not be overridden through
// Message.Headers: Auto-Submitted in particular must stay auto-generated so
// that nobody's autoresponder answers leadup.
var reserved = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true,
	"date": true, "message-id": true, "auto-submitted": true, "x-leadup": true,
	"mime-version": true, "in-reply-to": true, "references": true,
	"user-agent": true, "x-mailer": true,
}

// Build renders m as the full RFC 5322 message with CRLF line ends: what
// Send transmits, and what an IMAP APPEND of a draft needs. It always sets
// Auto-Submitted: auto-generated, X-Leadup: <Kind>, the given Message-ID and
// Date, and no User-Agent.
func Build(m Message) ([]byte, error) {
	msg, err := buildMsg(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("render message %s: %w", m.MessageID, err)
	}
	return buf.Bytes(), nil
}

// buildMsg validates m and turns it into a go-mail message.
func buildMsg(m Message) (*gomail.Msg, error) {
	id, err := normalizeID(m.MessageID)
	if err != nil {
		return nil, fmt.Errorf("message id: %w", err)
	}
	if m.Date.IsZero() {
		return nil, errors.New("message date is not set")
	}
	if !m.Draft && !isToken(m.Kind) {
		return nil, fmt.Errorf("message kind %q is not a header token", m.Kind)
	}
	for name, v := range map[string]string{
		"from name": m.FromName, "subject": m.Subject,
		"in-reply-to": m.InReplyTo, "references": m.References,
	} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, fmt.Errorf("%s contains a line break", name)
		}
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())

	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("from address %q: %w", m.From, err)
	}
	if err := msg.FromFormat(m.FromName, from.Address); err != nil {
		return nil, fmt.Errorf("from address %q: %w", m.From, err)
	}
	to, err := mail.ParseAddressList(m.To)
	if err != nil {
		return nil, fmt.Errorf("to addresses %q: %w", m.To, err)
	}
	msg.ToMailAddress(to...)

	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(id)
	msg.SetDateWithValue(m.Date)
	if !m.Draft {
		msg.SetGenHeader("Auto-Submitted", "auto-generated")
		msg.SetGenHeader("X-Leadup", m.Kind)
	}
	if m.InReplyTo != "" {
		msg.SetGenHeader(gomail.HeaderInReplyTo, m.InReplyTo)
	}
	if m.References != "" {
		msg.SetGenHeader(gomail.HeaderReferences, m.References)
	}
	for _, h := range m.Headers {
		name, value := h[0], h[1]
		if !isToken(name) {
			return nil, fmt.Errorf("header name %q is not a token", name)
		}
		lower := strings.ToLower(name)
		if reserved[lower] || strings.HasPrefix(lower, "content-") {
			return nil, fmt.Errorf("header %s is set by leadup and cannot be overridden", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return nil, fmt.Errorf("header %s contains a line break", name)
		}
		msg.SetGenHeader(gomail.Header(name), value)
	}

	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for i, in := range m.Inline {
		cid, err := normalizeID(in.ContentID)
		if err != nil {
			return nil, fmt.Errorf("inline part %d content id: %w", i, err)
		}
		name := in.Name
		if name == "" {
			name = strings.SplitN(cid, "@", 2)[0]
		}
		if strings.ContainsAny(name+in.ContentType, "\r\n\"") {
			return nil, fmt.Errorf("inline part %d: name or content type contains a line break or quote", i)
		}
		ct := in.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		msg.EmbedReadSeeker(name, bytes.NewReader(in.Data),
			gomail.WithFileContentID("<"+cid+">"),
			gomail.WithFileContentType(gomail.ContentType(ct)))
	}
	return msg, nil
}

// normalizeID strips optional angle brackets from a message or content id
// and checks it is a plausible id-left@id-right.
func normalizeID(id string) (string, error) {
	id = strings.TrimSpace(id)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if id == "" {
		return "", errors.New("empty id")
	}
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.ContainsAny(id, " \t\r\n<>\"") {
		return "", fmt.Errorf("%q is not of the form left@right", id)
	}
	return id, nil
}

// isToken reports whether s is a non-empty RFC 5322 field name / MIME token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || r == ':' {
			return false
		}
	}
	return true
}
