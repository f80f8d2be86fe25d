// Package message reads one mail message the way leadup needs it: headers
// for threading and auto-reply detection, the text (HTML converted), the
// sender's own new text with quotes, reply headers, forwarded blocks,
// signatures and disclaimers removed, a short snippet, the health words it
// uses, and whether it asks for status. It never panics on any input and
// reads at most a bounded amount of text, so a hostile or huge message costs
// little.
package message

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
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

// Parse reads a whole RFC 822 message. Malformed parts are skipped, unknown
// charsets are read as they are, and text beyond Options.MaxText is ignored;
// an error is returned only when not even a header could be read.
// Message.Visible may share its memory with Message.Text (one allocation
// holds both, or Visible is a piece of Text): a caller that keeps only a
// Visible much shorter than Text should clone it.
func Parse(r io.Reader, opt Options) (m *Message, err error) {
	return parse(r, nil, opt)
}

// ParseOwned reads the message made of header's bytes, then body's, as
// Parse(io.MultiReader(bytes.NewReader(header), bytes.NewReader(body)),
// opt) does, with the same result (header may be nil when body is the
// whole message; when it is not, it must end with the blank line that
// ends a header, as IMAP's BODY[HEADER] does). It takes body over:
// Message.Text may be a string over body's memory rather than a copy of
// it (when the text is a single part sent as it is: no transfer
// encoding, UTF-8 or ASCII, valid, not format=flowed, most of body), so
// the caller must never change body afterwards. That saves the one copy
// of the text Parse makes, for a caller that read the message into a
// buffer of its own (an IMAP literal). header is only read. Visible is
// its own allocation, or a piece of Text when it is one as it is (LF line
// ends, nothing cut inside it); unlike Parse's, it never shares an
// allocation with a Text it is not a piece of.
func ParseOwned(header, body []byte, opt Options) (*Message, error) {
	in := &ownedInput{header: header, body: body}
	return parse(in, in, opt)
}

// ownedInput reads the header, then the body ParseOwned took over,
// counting what it gave of each: what the buffered reader holds of the
// body is then known, so the text can be cut from it rather than copied
// (walker.ownedText).
type ownedInput struct {
	header, body []byte
	hoff, boff   int // the bytes given of header and of body
}

func (o *ownedInput) Read(p []byte) (int, error) {
	if o.hoff < len(o.header) {
		n := copy(p, o.header[o.hoff:])
		o.hoff += n
		return n, nil
	}
	if o.boff >= len(o.body) {
		return 0, io.EOF
	}
	n := copy(p, o.body[o.boff:])
	o.boff += n
	return n, nil
}

// parse is Parse, with ob the input when it is ParseOwned's, or nil.
func parse(r io.Reader, ob *ownedInput, opt Options) (m *Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("parse message: internal error: %v", p)
		}
	}()
	max := opt.maxText()
	// Bound everything read: headers plus a generous multiple of the text cap
	// (attachments may come before the text part).
	rd := getReader(r, int64(max)*32+(1<<20))
	defer rd.release()
	var h hfields
	if err := rd.readFields(&h); err != nil {
		return nil, fmt.Errorf("parse message header: %w", err)
	}
	rd.hl.n = math.MaxInt64
	top := newEntity(h.get(hContentType), h.get(hTransferEncoding), h.get(hDisposition), rd.br)
	m = &Message{}
	fillHeader(m, &h, top.mediaType)

	w := walker{rd: rd, max: max, owned: ob}
	w.walk(&top, 0)
	if w.calendar && !m.Automated {
		m.Automated, m.AutomatedWhy = true, "a calendar notice (text/calendar part)"
	}
	sender := opt.SenderName
	if sender == "" {
		sender = m.From.Name
	}
	switch {
	case w.havePlain && w.plainPending:
		m.Text, m.Visible = textAndVisible(w.plain, sender)
	case w.havePlain:
		m.Text = w.plain
		m.Visible = Visible(w.plain, sender)
	case w.haveHTML:
		m.Text, m.Visible = htmlTextAndVisible(w.html, sender)
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

// fillHeader fills the header fields, tolerating malformed values; ct is
// the message's media type.
func fillHeader(m *Message, h *hfields, ct string) {
	m.MessageID = trimID(h.get(hMessageID))
	if id, err := msgID(h.get(hMessageID)); err == nil && id != "" {
		m.MessageID = id
	}
	if ids, err := msgIDList(h.get(hInReplyTo), true); err == nil && len(ids) > 0 {
		m.InReplyTo = ids[0]
	} else {
		m.InReplyTo = trimID(firstField(h.get(hInReplyTo)))
	}
	if ids, err := msgIDList(h.get(hReferences), false); err == nil {
		m.References = ids
	} else {
		for _, f := range strings.Fields(h.get(hReferences)) {
			if id := trimID(f); id != "" {
				m.References = append(m.References, id)
			}
		}
	}
	if d, ok := parseDate(h.get(hDate)); ok {
		m.Date = d
	} else if v := h.get(hDate); v != "" {
		// go-message's Header.Date: net/mail's layouts
		if d, err := netmail.ParseDate(v); err == nil {
			m.Date = d
		}
	}
	m.Subject = decodeWords(h.get(hSubject))
	if from := addresses(h, hFrom); len(from) > 0 {
		m.From = from[0]
	}
	m.To, m.Cc, m.Bcc = addresses(h, hTo), addresses(h, hCc), addresses(h, hBcc)

	// A list that rewrites From ("'Priya Raman' via Eng Leads" at the
	// list's address) keeps the author in X-Original-From.
	if orig := addresses(h, hOriginalFrom); len(orig) > 0 && orig[0].Addr != "" {
		m.From = orig[0]
	} else if name, ok := viaName(m.From.Name); ok {
		m.From.Name = name
	}

	automated := func(why string) {
		if !m.Automated {
			m.Automated, m.AutomatedWhy = true, why
		}
	}
	auto := strings.ToLower(strings.TrimSpace(h.get(hAutoSubmitted)))
	switch {
	case auto == "" || auto == "no":
	case strings.HasPrefix(auto, "auto-generated"):
		automated("Auto-Submitted: " + auto)
	default:
		m.AutoReply = true
	}
	if h.has[hAutoreply] || h.has[hAutorespond] || h.has[hAutoresponder] {
		m.AutoReply = true
	}
	prec := strings.ToLower(strings.TrimSpace(h.get(hPrecedence)))
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
	case strings.EqualFold(strings.TrimSpace(h.get(hListAdministrivia)), "yes"):
		automated("a mailing-list admin notice (X-List-Administrivia)")
	case strings.Contains(strings.ToLower(h.get(hUnsubscribePost)), "one-click"):
		automated("bulk mail with one-click unsubscribe (List-Unsubscribe-Post)")
	case h.has[hGitHubReason] || h.has[hJiraFingerprint] || h.has[hGitlabProject] || h.has[hBugzillaReason]:
		automated("a tracker notification")
	case strings.Contains(strings.ToLower(h.get(hAutoResponseSuppress)), "all"):
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
	// every tag ends with ")", and a name ends with ")" lowercased only
	// when it ends with ")" (no other rune, nor an invalid byte, lowercases
	// to it): the lowercased copy is made only then
	if n := strings.TrimSpace(name); strings.HasSuffix(n, ")") {
		n = strings.ToLower(n)
		for _, t := range automatedNameTags {
			if strings.HasSuffix(n, t) {
				return true
			}
		}
	}
	local, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return false
	}
	for _, d := range automatedDomains {
		if affixed(domain, d, false, true, ".") {
			return true
		}
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	for _, p := range automatedLocalParts {
		if affixed(local, p, true, true, "-.") {
			return true
		}
	}
	return strings.Contains(local, "noreply") || strings.Contains(local, "no-reply") || strings.Contains(local, "donotreply")
}

// affixed says whether s is w, or w then one of seps and more (when
// before), or more, one of seps and w (when after): the tests
// s == w || strings.HasPrefix(s, w+"-") || strings.HasSuffix(s, "."+w) …
// without building w+"-" and the others for every word.
func affixed(s, w string, before, after bool, seps string) bool {
	if len(s) < len(w) {
		return false
	}
	if len(s) == len(w) {
		return s == w
	}
	if before && strings.HasPrefix(s, w) && strings.IndexByte(seps, s[len(w)]) >= 0 {
		return true
	}
	return after && strings.HasSuffix(s, w) && strings.IndexByte(seps, s[len(s)-len(w)-1]) >= 0
}

// addresses parses an address list (go-message's Header.AddressList),
// falling back to a lenient split when the header is not RFC 5322.
func addresses(h *hfields, key hkey) []Address {
	return addressList(h.get(key))
}

// addressList is addresses on a field value. The plain lists of nearly
// every mail are read by plainAddresses, which gives what go-message
// would; anything else goes to go-message.
func addressList(raw string) []Address {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	if out, ok := plainAddresses(raw); ok {
		return out
	}
	var out []Address
	if list, err := mail.ParseAddressList(raw); err == nil {
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

// walker walks a message's MIME tree for the first text/plain and the
// first text/html part, and notes a text/calendar part.
type walker struct {
	rd         *reader
	max, parts int
	plain      string
	html       string
	havePlain  bool
	haveHTML   bool
	calendar   bool
	owned      *ownedInput // ParseOwned's input, or nil
	// plainPending: plain is still the read buffer's bytes, copied out
	// with the visible text (textAndVisible) or before the buffer is
	// read into again
	plainPending bool
}

// walk reads the inline text parts of e, depth first, skipping attachments
// and anything malformed. Only a part whose text is kept is decoded: a
// text/plain part when none was read before, a text/html part while there
// is neither, a text/calendar part (read only to see that it reads) while
// there was none; any other part's body is left to the multipart reader
// to skip, as it skips whatever a part's reading left.
func (w *walker) walk(e *entity, depth int) {
	if depth > maxDepth || w.parts >= maxParts {
		return
	}
	w.parts++
	ct := e.mediaType
	if e.ctErr != nil || ct == "" {
		ct = "text/plain"
	}
	if strings.HasPrefix(e.mediaType, "multipart/") {
		mr := textproto.NewMultipartReader(e.body, e.params["boundary"])
		for w.parts < maxParts {
			p, err := mr.NextPart()
			if err != nil {
				return
			}
			child := newEntity(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p)
			w.walk(&child, depth+1)
		}
		return
	}
	switch ct {
	case "text/plain":
		if w.havePlain {
			return
		}
	case "text/html":
		if w.havePlain || w.haveHTML {
			return
		}
	case "text/calendar":
		if w.calendar {
			return
		}
	default:
		return
	}
	if isAttachment(e.disp) {
		return
	}
	if ct != "text/calendar" {
		if text, ok := w.ownedText(e); ok {
			if ct == "text/plain" {
				w.plain, w.havePlain = text, true
			} else {
				w.html, w.haveHTML = text, true
			}
			return
		}
	}
	if w.plainPending {
		w.plain, w.plainPending = strings.Clone(w.plain), false
	}
	buf := &w.rd.body
	buf.Reset()
	w.rd.part = io.LimitedReader{R: e.body, N: int64(w.max)}
	_, err := buf.ReadFrom(&w.rd.part)
	w.rd.part.R = nil
	body := buf.Bytes()
	if err != nil && len(body) == 0 && !errors.Is(err, io.ErrUnexpectedEOF) {
		return
	}
	if ct == "text/calendar" {
		w.calendar = true
		return
	}
	if w.owned == nil && ct == "text/plain" && len(body) > 0 && utf8.Valid(body) && !(e.ctErr == nil && strings.EqualFold(e.params["format"], "flowed")) {
		// the text as it is (the read is capped at max, so truncateUTF8
		// below leaves it whole): not copied yet (plainPending). Not for
		// ParseOwned, whose caller may keep only the visible text (it
		// would keep the text with it).
		w.plain, w.havePlain, w.plainPending = unsafe.String(&body[0], len(body)), true, true
		return
	}
	text := string(body)
	if !utf8.Valid(body) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = truncateUTF8(text, w.max)
	if e.ctErr == nil && ct == "text/plain" && strings.EqualFold(e.params["format"], "flowed") {
		text = Unflow(text, strings.EqualFold(e.params["delsp"], "yes"))
	}
	if ct == "text/plain" {
		w.plain, w.havePlain = text, true
	} else {
		w.html, w.haveHTML = text, true
	}
}

// ownedText is the text of e cut from the body ParseOwned took over, when
// e's body is the message's own rest as it is (not a multipart's part, no
// transfer or charset decoding: e.body is the buffered reader itself) and
// those bytes are all the owned body's: what the copy below would read
// then is the buffered bytes and what follows them in the owned body, up
// to max bytes and to what the input's bound lets through. The text must
// need none of the changes below (valid UTF-8, not cut inside a rune, not
// flowed), and it must be most of the owned body, which it keeps alive.
func (w *walker) ownedText(e *entity) (string, bool) {
	ob := w.owned
	if ob == nil || e.body != io.Reader(w.rd.br) || ob.hoff < len(ob.header) {
		return "", false
	}
	buffered := w.rd.br.Buffered()
	if buffered > ob.boff {
		return "", false // some of them are the header's
	}
	if e.ctErr == nil && e.mediaType == "text/plain" && strings.EqualFold(e.params["format"], "flowed") {
		return "", false
	}
	start := ob.boff - buffered
	n := buffered + int(min(w.rd.in.N, int64(len(ob.body)-ob.boff)))
	n = min(n, w.max)
	if n == 0 || 2*n < len(ob.body) {
		return "", false
	}
	b := ob.body[start : start+n]
	if !utf8.Valid(b) {
		return "", false
	}
	text := unsafe.String(&b[0], n)
	if truncateUTF8(text, w.max) != text {
		return "", false
	}
	// the reader has given all it will: what the copy would have read is
	// read
	ob.boff = len(ob.body)
	w.rd.in.N = 0
	return text, true
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
