// Package message reads one mail message the way leadup needs it: headers
// for threading and auto-reply detection, the text (HTML converted), the
// sender's own new text with quotes, reply headers, forwarded blocks,
// signatures and disclaimers removed, a short snippet, the health words it
// uses, and whether it asks for status. It never panics on any input and
// reads at most a bounded amount of text, so a hostile or huge message costs
// little.
package message

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/charmap"
)

// DefaultMaxText is how much decoded text Parse reads from a message when
// Options.MaxText is zero: status mail is short, and what matters is at the
// top.
const DefaultMaxText = 64 << 10

// Options tune parsing. The zero value is usable.
type Options struct {
	// MaxText caps the decoded text read from the body, in bytes.
	MaxText int
	// Loc is the zone for dates without one (return dates); default UTC.
	Loc *time.Location
	// Now stands in for the message date when it has none (return dates).
	Now time.Time
	// SenderName overrides the From display name used to find signatures
	// (for a plain body, which has no From).
	SenderName string
	// NoAsk skips the status-ask check (Message.Ask stays false): only mail
	// to the user can ask, so a sync leaves it off for Sent and project
	// labels, where it would cost most of the parse.
	NoAsk bool
}

func (o Options) maxText() int {
	if o.MaxText <= 0 {
		return DefaultMaxText
	}
	return o.MaxText
}

func (o Options) loc() *time.Location {
	if o.Loc == nil {
		return time.UTC
	}
	return o.Loc
}

// Address is a mailbox with its display name; Addr is lowercased so it can
// be compared with configured addresses.
type Address struct {
	Name string `json:"name,omitempty"`
	Addr string `json:"addr"`
}

// Message is what leadup knows about one mail after reading it.
type Message struct {
	MessageID  string    // without <>
	InReplyTo  string    // without <>
	References []string  // without <>
	Date       time.Time // zero when absent or unparseable
	From       Address
	To, Cc     []Address
	Bcc        []Address
	Subject    string

	// AutoReply is an out-of-office or other automatic answer: it never
	// counts as an update or an ask, and may pause a cadence.
	AutoReply bool
	// Automated is machine mail (notifications, trackers, no-reply
	// senders, bounces, calendar notices, list digests, bulk newsletters):
	// not a person's update. A person's post through a mailing list is not
	// automated. AutomatedWhy says what made it so, for `leadup inspect`.
	Automated    bool
	AutomatedWhy string

	Text    string // the whole plain text (HTML converted when there is no text/plain part)
	Visible string // the sender's own new text
	Snippet string // a one-line summary of Visible, at most 200 runes

	Health     Level
	HealthHits []HealthHit
	Ask        bool      // the sender asks for status
	ReturnDate time.Time // for auto-replies that name one
}

// readers are the buffered readers Parse reads messages through: one
// message is read whole before its reader goes back.
var readers = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// bodies are the buffers a part's body is read into before it is copied,
// once, into its text.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Parse reads a whole RFC 822 message. Malformed parts are skipped, unknown
// charsets are read as they are, and text beyond Options.MaxText is ignored;
// an error is returned only when not even a header could be read.
func Parse(r io.Reader, opt Options) (m *Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("parse message: internal error: %v", p)
		}
	}()
	max := opt.maxText()
	// Bound everything read: headers plus a generous multiple of the text cap
	// (attachments may come before the text part).
	lr := io.LimitReader(r, int64(max)*32+(1<<20))
	br := readers.Get().(*bufio.Reader)
	br.Reset(lr)
	defer func() { br.Reset(nil); readers.Put(br) }()
	ent, err := gomessage.Read(br)
	if err != nil && ent == nil {
		return nil, fmt.Errorf("parse message header: %w", err)
	}
	m = &Message{}
	h := mail.Header{Header: ent.Header}
	readHeader(m, h)

	var plain, htm string
	var havePlain, haveHTML bool
	walkParts(ent, 0, new(int), max, func(ct string, body string) {
		if ct == "text/calendar" && !m.Automated {
			m.Automated, m.AutomatedWhy = true, "a calendar notice (text/calendar part)"
		}
		switch {
		case ct == "text/plain" && !havePlain:
			plain, havePlain = body, true
		case ct == "text/html" && !haveHTML:
			htm, haveHTML = body, true
		}
	})
	sender := opt.SenderName
	if sender == "" {
		sender = m.From.Name
	}
	switch {
	case havePlain:
		m.Text = plain
		m.Visible = Visible(plain, sender)
	case haveHTML:
		m.Text, m.Visible = htmlTextAndVisible(htm, sender)
	}
	finish(m, opt)
	return m, nil
}

// ParseBody reads a plain body with no header (pasted text, a test
// fixture).
func ParseBody(text string, opt Options) *Message {
	if max := opt.maxText(); len(text) > max {
		text = truncateUTF8(text, max)
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	m := &Message{Text: text}
	if looksLikeHTML(text) {
		m.Text, m.Visible = htmlTextAndVisible(text, opt.SenderName)
	} else {
		m.Visible = Visible(text, opt.SenderName)
	}
	finish(m, opt)
	return m
}

// finish derives the summary fields from the headers and Visible.
func finish(m *Message, opt Options) {
	if IsAutoReplySubject(m.Subject) {
		m.AutoReply = true
	}
	m.Snippet = Snippet(m.Visible, 200)
	m.Health, m.HealthHits = MessageHealth(m.Subject, m.Visible, m.AutoReply)
	m.Ask = !opt.NoAsk && !m.AutoReply && IsStatusAsk(m.Visible)
	if m.AutoReply {
		ref := m.Date
		if ref.IsZero() {
			ref = opt.Now
		}
		if d, ok := ReturnDate(m.Visible, ref, opt.loc()); ok {
			m.ReturnDate = d
		} else if d, ok := ReturnDate(m.Text, ref, opt.loc()); ok {
			m.ReturnDate = d
		}
	}
}

// readHeader fills the header fields, tolerating malformed values.
func readHeader(m *Message, h mail.Header) {
	m.MessageID = trimID(h.Get("Message-Id"))
	if id, err := h.MessageID(); err == nil && id != "" {
		m.MessageID = id
	}
	m.InReplyTo = trimID(firstField(h.Get("In-Reply-To")))
	if ids, err := h.MsgIDList("In-Reply-To"); err == nil && len(ids) > 0 {
		m.InReplyTo = ids[0]
	}
	if ids, err := h.MsgIDList("References"); err == nil {
		m.References = ids
	} else {
		for _, f := range strings.Fields(h.Get("References")) {
			if id := trimID(f); id != "" {
				m.References = append(m.References, id)
			}
		}
	}
	if d, ok := parseDate(h.Get("Date")); ok {
		m.Date = d
	} else if d, err := h.Date(); err == nil {
		m.Date = d
	}
	m.Subject = decodeWords(h.Get("Subject"))
	if from := addresses(h, "From"); len(from) > 0 {
		m.From = from[0]
	}
	m.To, m.Cc, m.Bcc = addresses(h, "To"), addresses(h, "Cc"), addresses(h, "Bcc")

	// A list that rewrites From ("'Priya Raman' via Eng Leads" at the
	// list's address) keeps the author in X-Original-From.
	if orig := addresses(h, "X-Original-From"); len(orig) > 0 && orig[0].Addr != "" {
		m.From = orig[0]
	} else if name, ok := viaName(m.From.Name); ok {
		m.From.Name = name
	}

	automated := func(why string) {
		if !m.Automated {
			m.Automated, m.AutomatedWhy = true, why
		}
	}
	auto := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted")))
	ct, _, _ := h.ContentType()
	switch {
	case auto == "" || auto == "no":
	case strings.HasPrefix(auto, "auto-generated"):
		automated("Auto-Submitted: " + auto)
	default:
		m.AutoReply = true
	}
	if h.Has("X-Autoreply") || h.Has("X-Autorespond") || h.Has("X-Autoresponder") {
		m.AutoReply = true
	}
	prec := strings.ToLower(strings.TrimSpace(h.Get("Precedence")))
	switch prec {
	case "junk":
		automated("Precedence: junk")
	case "auto_reply", "auto-reply":
		m.AutoReply = true
	}
	// Mailing-list headers (List-Id, List-Unsubscribe, Precedence: list or
	// bulk) alone say nothing: most status mail from people comes through
	// a team list. Machine mail is told by what machines add.
	switch {
	case ct == "multipart/report" || isBounceSender(m.From.Addr):
		automated("a delivery report (bounce)")
		m.AutoReply = false
	case ct == "text/calendar" || strings.EqualFold(m.From.Addr, "calendar-notification@google.com"):
		automated("a calendar notice")
	case ct == "multipart/digest" || strings.Contains(strings.ToLower(m.Subject), " digest, vol "):
		automated("a mailing-list digest")
	case strings.EqualFold(strings.TrimSpace(h.Get("X-List-Administrivia")), "yes"):
		automated("a mailing-list admin notice (X-List-Administrivia)")
	case strings.Contains(strings.ToLower(h.Get("List-Unsubscribe-Post")), "one-click"):
		automated("bulk mail with one-click unsubscribe (List-Unsubscribe-Post)")
	case h.Has("X-GitHub-Reason") || h.Has("X-JIRA-FingerPrint") || h.Has("X-Gitlab-Project") || h.Has("X-Bugzilla-Reason"):
		automated("a tracker notification")
	case strings.Contains(strings.ToLower(h.Get("X-Auto-Response-Suppress")), "all"):
		automated("X-Auto-Response-Suppress: All (sent by a program)")
	}
	if IsAutomatedSender(m.From.Name, m.From.Addr) {
		automated("the sender " + m.From.Addr + " is a machine (no-reply, notifications or a tracker)")
	}
	if m.AutoReply && m.Automated && !strings.HasPrefix(auto, "auto-replied") && m.AutomatedWhy == "X-Auto-Response-Suppress: All (sent by a program)" {
		// an out-of-office is a person's machine answering, not bulk mail
		m.Automated, m.AutomatedWhy = false, ""
	}
	if m.AutoReply && strings.HasPrefix(auto, "auto-replied") {
		m.Automated, m.AutomatedWhy = false, ""
	}
}

// viaName reads "'Priya Raman' via Eng Leads", Google Groups' rewritten
// sender, as "Priya Raman".
func viaName(name string) (string, bool) {
	i := strings.LastIndex(name, " via ")
	if i <= 0 {
		return "", false
	}
	n := strings.Trim(strings.TrimSpace(name[:i]), "'\"")
	return n, n != ""
}

// isBounceSender is the address a mail server sends delivery reports from.
func isBounceSender(addr string) bool {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	return local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon"
}

// IsAutomatedSender says whether mail from this sender is a machine's
// (trackers such as Jira, CI, no-reply and notification senders) rather
// than a person's: by the mailbox name, the tracker's tag on a display
// name ("Priya Shah (Jira)") or the tracker's domain.
func IsAutomatedSender(name, addr string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, t := range automatedNameTags {
		if strings.HasSuffix(n, t) {
			return true
		}
	}
	local, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return false
	}
	for _, d := range automatedDomains {
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return true
		}
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	for _, p := range automatedLocalParts {
		if local == p || strings.HasPrefix(local, p+"-") || strings.HasPrefix(local, p+".") || strings.HasSuffix(local, "-"+p) || strings.HasSuffix(local, "."+p) {
			return true
		}
	}
	return strings.Contains(local, "noreply") || strings.Contains(local, "no-reply") || strings.Contains(local, "donotreply")
}

// addresses parses an address list, falling back to a lenient split when
// the header is not RFC 5322.
func addresses(h mail.Header, key string) []Address {
	raw := h.Get(key)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	var out []Address
	if list, err := h.AddressList(key); err == nil {
		for _, a := range list {
			out = append(out, Address{Name: a.Name, Addr: strings.ToLower(a.Address)})
		}
		return out
	}
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ';' }) {
		addr := emailRe.FindString(part)
		if addr == "" {
			continue
		}
		name := strings.TrimSpace(strings.NewReplacer(addr, "", "<", "", ">", "", "\"", "", "(", "", ")", "").Replace(part))
		out = append(out, Address{Name: decodeWords(name), Addr: strings.ToLower(addr)})
	}
	return out
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeWords decodes RFC 2047 encoded words, leaving the text as it is
// when it cannot.
func decodeWords(s string) string {
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		d = s
	}
	if !utf8.ValidString(d) {
		// raw 8-bit header bytes: in practice Windows-1252 / Latin-1
		if w, err := charmap.Windows1252.NewDecoder().String(d); err == nil {
			return w
		}
	}
	return strings.ToValidUTF8(d, "\uFFFD")
}

func trimID(s string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "<>"))
}

func firstField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// maxParts and maxDepth bound the MIME tree walk.
const (
	maxParts = 100
	maxDepth = 12
)

// walkParts calls fn with the decoded text of each inline text part, depth
// first, skipping attachments and anything malformed.
func walkParts(e *gomessage.Entity, depth int, parts *int, max int, fn func(ct, body string)) {
	if depth > maxDepth || *parts >= maxParts {
		return
	}
	*parts++
	ct, _, err := e.Header.ContentType()
	if err != nil || ct == "" {
		ct = "text/plain"
	}
	if mr := e.MultipartReader(); mr != nil {
		for *parts < maxParts {
			p, err := mr.NextPart()
			if err != nil && p == nil {
				return
			}
			walkParts(p, depth+1, parts, max, fn)
		}
		return
	}
	if !strings.HasPrefix(ct, "text/") {
		return
	}
	if disp, _, err := e.Header.ContentDisposition(); err == nil && disp == "attachment" {
		return
	}
	buf := bodies.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); bodies.Put(buf) }()
	_, err = buf.ReadFrom(io.LimitReader(e.Body, int64(max)))
	body := buf.Bytes()
	if err != nil && len(body) == 0 && !errors.Is(err, io.ErrUnexpectedEOF) {
		return
	}
	text := string(body)
	if !utf8.Valid(body) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = truncateUTF8(text, max)
	if _, params, err := e.Header.ContentType(); err == nil && ct == "text/plain" && strings.EqualFold(params["format"], "flowed") {
		text = Unflow(text, strings.EqualFold(params["delsp"], "yes"))
	}
	fn(ct, text)
}

// truncateUTF8 cuts s to at most n bytes on a rune boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// looksLikeHTML says whether a plain body is really HTML.
func looksLikeHTML(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s[:min(len(s), 2048)]))
	return strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") ||
		bytes.Contains([]byte(t), []byte("<body")) || strings.HasPrefix(t, "<div") && strings.Contains(t, "</div>")
}

// parseDate reads the date nearly every mail client writes ("Tue, 5 May
// 2026 17:12:03 +0200", with or without a "(CEST)" comment) with one
// layout; net/mail tries some 30 layouts first, each failure an allocated
// error. Anything else is left to net/mail.
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '('); i > 0 {
		v = strings.TrimSpace(v[:i])
	}
	t, err := time.Parse("Mon, 2 Jan 2006 15:04:05 -0700", v)
	return t, err == nil
}
