package message

// Reference copies of Parse and its header reading, MIME walk, HTML
// rendering, flowed text and status-ask check as they were at ef72470,
// before they were made cheaper: the agreement tests
// (parse_agree_test.go) compare them with the current code on every fixture
// and in FuzzParseAgrees. Visible, Snippet and MessageHealth are the
// current ones (other work keeps them equal to theirs).

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"github.com/leadup/leadup/daemon/reading"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/charmap"
)

// refParReaders are the buffered refParReaders refParParse reads messages through: one
// message is read whole before its reader goes back.
var refParReaders = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// refParBodies are the buffers a part's body is read into before it is copied,
// once, into its text.
var refParBodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// refParParse reads a whole RFC 822 message. Malformed parts are skipped, unknown
// charsets are read as they are, and text beyond Options.MaxText is ignored;
// an error is returned only when not even a header could be read.
func refParParse(r io.Reader, opt Options) (m *Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("parse message: internal error: %v", p)
		}
	}()
	max := opt.maxText()
	// Bound everything read: headers plus a generous multiple of the text cap
	// (attachments may come before the text part).
	lr := io.LimitReader(r, int64(max)*32+(1<<20))
	br := refParReaders.Get().(*bufio.Reader)
	br.Reset(lr)
	defer func() { br.Reset(nil); refParReaders.Put(br) }()
	ent, err := gomessage.Read(br)
	if err != nil && ent == nil {
		return nil, fmt.Errorf("parse message header: %w", err)
	}
	m = &Message{}
	h := mail.Header{Header: ent.Header}
	refParReadHeader(m, h)

	var plain, htm string
	var havePlain, haveHTML bool
	refParWalkParts(ent, 0, new(int), max, func(ct string, body string) {
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
		m.Text, m.Visible = refParHtmlTextAndVisible(htm, sender)
	}
	refParFinish(m, opt)
	return m, nil
}

// refParParseBody reads a plain body with no header (pasted text, a test
// fixture).
func refParParseBody(text string, opt Options) *Message {
	if max := opt.maxText(); len(text) > max {
		text = refParTruncateUTF8(text, max)
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	m := &Message{Text: text}
	if refParLooksLikeHTML(text) {
		m.Text, m.Visible = refParHtmlTextAndVisible(text, opt.SenderName)
	} else {
		m.Visible = Visible(text, opt.SenderName)
	}
	refParFinish(m, opt)
	return m
}

// refParFinish derives the summary fields from the headers and Visible.
func refParFinish(m *Message, opt Options) {
	if refParIsAutoReplySubject(m.Subject) {
		m.AutoReply = true
	}
	m.Snippet = Snippet(m.Visible, 200)
	m.Health, m.HealthHits = MessageHealth(m.Subject, m.Visible, m.AutoReply)
	m.Ask = !opt.NoAsk && !m.AutoReply && refParIsStatusAsk(m.Visible)
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

// refParReadHeader fills the header fields, tolerating malformed values.
func refParReadHeader(m *Message, h mail.Header) {
	m.MessageID = refParTrimID(h.Get("Message-Id"))
	if id, err := h.MessageID(); err == nil && id != "" {
		m.MessageID = id
	}
	m.InReplyTo = refParTrimID(refParFirstField(h.Get("In-Reply-To")))
	if ids, err := h.MsgIDList("In-Reply-To"); err == nil && len(ids) > 0 {
		m.InReplyTo = ids[0]
	}
	if ids, err := h.MsgIDList("References"); err == nil {
		m.References = ids
	} else {
		for _, f := range strings.Fields(h.Get("References")) {
			if id := refParTrimID(f); id != "" {
				m.References = append(m.References, id)
			}
		}
	}
	if d, ok := refParParseDate(h.Get("Date")); ok {
		m.Date = d
	} else if d, err := h.Date(); err == nil {
		m.Date = d
	}
	m.Subject = refParDecodeWords(h.Get("Subject"))
	if from := refParAddresses(h, "From"); len(from) > 0 {
		m.From = from[0]
	}
	m.To, m.Cc, m.Bcc = refParAddresses(h, "To"), refParAddresses(h, "Cc"), refParAddresses(h, "Bcc")

	// A list that rewrites From ("'Priya Raman' via Eng Leads" at the
	// list's address) keeps the author in X-Original-From.
	if orig := refParAddresses(h, "X-Original-From"); len(orig) > 0 && orig[0].Addr != "" {
		m.From = orig[0]
	} else if name, ok := refParViaName(m.From.Name); ok {
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
	case ct == "multipart/report" || refParIsBounceSender(m.From.Addr):
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
	if refParIsAutomatedSender(m.From.Name, m.From.Addr) {
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

// refParViaName reads "'Priya Raman' via Eng Leads", Google Groups' rewritten
// sender, as "Priya Raman".
func refParViaName(name string) (string, bool) {
	i := strings.LastIndex(name, " via ")
	if i <= 0 {
		return "", false
	}
	n := strings.Trim(strings.TrimSpace(name[:i]), "'\"")
	return n, n != ""
}

// refParIsBounceSender is the address a mail server sends delivery reports from.
func refParIsBounceSender(addr string) bool {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	return local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon"
}

// refParIsAutomatedSender says whether mail from this sender is a machine's
// (trackers such as Jira, CI, no-reply and notification senders) rather
// than a person's: by the mailbox name, the tracker's tag on a display
// name ("Priya Shah (Jira)") or the tracker's domain.
func refParIsAutomatedSender(name, addr string) bool {
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

// refParAddresses parses an address list, falling back to a lenient split when
// the header is not RFC 5322.
func refParAddresses(h mail.Header, key string) []Address {
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
		out = append(out, Address{Name: refParDecodeWords(name), Addr: strings.ToLower(addr)})
	}
	return out
}

var refParWordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// refParDecodeWords decodes RFC 2047 encoded words, leaving the text as it is
// when it cannot.
func refParDecodeWords(s string) string {
	d, err := refParWordDecoder.DecodeHeader(s)
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

func refParTrimID(s string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "<>"))
}

func refParFirstField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// refParWalkParts calls fn with the decoded text of each inline text part, depth
// first, skipping attachments and anything malformed.
func refParWalkParts(e *gomessage.Entity, depth int, parts *int, max int, fn func(ct, body string)) {
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
			refParWalkParts(p, depth+1, parts, max, fn)
		}
		return
	}
	if !strings.HasPrefix(ct, "text/") {
		return
	}
	if disp, _, err := e.Header.ContentDisposition(); err == nil && disp == "attachment" {
		return
	}
	buf := refParBodies.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); refParBodies.Put(buf) }()
	_, err = buf.ReadFrom(io.LimitReader(e.Body, int64(max)))
	body := buf.Bytes()
	if err != nil && len(body) == 0 && !errors.Is(err, io.ErrUnexpectedEOF) {
		return
	}
	text := string(body)
	if !utf8.Valid(body) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = refParTruncateUTF8(text, max)
	if _, params, err := e.Header.ContentType(); err == nil && ct == "text/plain" && strings.EqualFold(params["format"], "flowed") {
		text = refParUnflow(text, strings.EqualFold(params["delsp"], "yes"))
	}
	fn(ct, text)
}

// refParTruncateUTF8 cuts s to at most n bytes on a rune boundary.
func refParTruncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// refParLooksLikeHTML says whether a plain body is really HTML.
func refParLooksLikeHTML(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s[:min(len(s), 2048)]))
	return strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") ||
		bytes.Contains([]byte(t), []byte("<body")) || strings.HasPrefix(t, "<div") && strings.Contains(t, "</div>")
}

// refParParseDate reads the date nearly every mail client writes ("Tue, 5 May
// 2026 17:12:03 +0200", with or without a "(CEST)" comment) with one
// layout; net/mail tries some 30 layouts first, each failure an allocated
// error. Anything else is left to net/mail.
func refParParseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '('); i > 0 {
		v = strings.TrimSpace(v[:i])
	}
	t, err := time.Parse("Mon, 2 Jan 2006 15:04:05 -0700", v)
	return t, err == nil
}

// refParHTMLToText renders an HTML body as readable plain text.
func refParHTMLToText(src string) string {
	doc := refParParseHTML(src)
	if doc == nil {
		return ""
	}
	return refParRenderText(doc)
}

// refParHtmlTextAndVisible gives refParHTMLToText and refParVisibleHTML of one body from a
// single parse: the whole text is rendered before the quotes are cut
// anyway.
func refParHtmlTextAndVisible(src, senderName string) (text, visible string) {
	doc := refParParseHTML(src)
	if doc == nil {
		return "", ""
	}
	full := refParRenderText(doc)
	refParStripQuotes(doc)
	if v := Visible(refParRenderText(doc), senderName); v != "" {
		return full, v
	}
	// everything sat in a quote container (a message that is all quote,
	// or a client that wraps the reply itself): judge the text instead
	return full, Visible(full, senderName)
}

func refParParseHTML(src string) *html.Node {
	if testHookHTMLParse != nil {
		testHookHTMLParse()
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil
	}
	return doc
}

// refParStripQuotes removes quote containers and signatures from the DOM. A
// plain <blockquote> in the middle of the sender's text may be their own
// citation and stays, unless it is the last one (the quoted message) or
// marked as a cite; a Gmail quote holding a forward stays too.
func refParStripQuotes(doc *html.Node) {
	var cut *html.Node
	var drop []*html.Node
	last := refParLastTopBlockquote(doc)
	count := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if cut != nil || count > maxHTMLNodes {
			return
		}
		count++
		if n.Type == html.ElementNode {
			id, class := refParAttr(n, "id"), refParAttr(n, "class")
			switch {
			case refParHasAny(class, cutClasses) && !refParStartsWithForward(n) || refParMatchID(id, cutIDs) || n.DataAtom == atom.Hr && refParIsQuoteRule(n):
				cut = n
				return
			case n.DataAtom == atom.Blockquote && !refParIndentOnly(n) && (n == last || refParCiteLike(n)):
				drop = append(drop, n)
				return
			case refParHasAny(class, dropClasses) || refParMatchID(id, dropIDs) || refParAttr(n, "data-signatureblock") == "true":
				drop = append(drop, n)
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	if cut != nil {
		refParRemoveFrom(cut)
	}
}

// refParRemoveFrom removes n and everything that follows it in document order.
func refParRemoveFrom(n *html.Node) {
	for n != nil && n.Parent != nil {
		p := n.Parent
		for s := n.NextSibling; s != nil; {
			next := s.NextSibling
			p.RemoveChild(s)
			s = next
		}
		p.RemoveChild(n)
		// continue with the parent's following siblings, but keep the parent
		n = refParNextAncestorSibling(p)
	}
}

// refParNextAncestorSibling returns the first following sibling of p or of one of
// its ancestors, stopping at <body>.
func refParNextAncestorSibling(p *html.Node) *html.Node {
	for p != nil && p.DataAtom != atom.Body && p.DataAtom != atom.Html {
		if p.NextSibling != nil {
			return p.NextSibling
		}
		p = p.Parent
	}
	return nil
}

// refParIsQuoteRule says whether an <hr> separates the reply from a quoted message:
// Hotmail's id="stopSpelling" is handled by id; other rules count when the
// text right after them starts with a header field ("From:").
func refParIsQuoteRule(n *html.Node) bool {
	var b strings.Builder
	for s := n.NextSibling; s != nil && b.Len() < 200; s = s.NextSibling {
		refParCollectText(s, &b, 200)
	}
	t := strings.TrimSpace(b.String())
	return fieldRole(t) != ""
}

func refParCollectText(n *html.Node, b *strings.Builder, max int) {
	if b.Len() >= max {
		return
	}
	if n.Type == html.TextNode {
		b.WriteString(n.Data)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		refParCollectText(c, b, max)
	}
}

// refParLastTopBlockquote returns the last blockquote not nested in another.
func refParLastTopBlockquote(doc *html.Node) *html.Node {
	var last *html.Node
	count := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if count++; count > maxHTMLNodes {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Blockquote {
			last = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return last
}

// refParCiteLike says whether a blockquote is marked as a quoted message.
func refParCiteLike(n *html.Node) bool {
	if refParAttr(n, "type") == "cite" || refParAttr(n, "cite") != "" || strings.Contains(strings.ToLower(refParAttr(n, "class")), "quote") {
		return true
	}
	st := strings.ReplaceAll(strings.ToLower(refParAttr(n, "style")), " ", "")
	return strings.Contains(st, "border-left")
}

// refParStartsWithForward says whether a quote container begins with a forward
// marker: a forward keeps its forwarded text (see Visible).
func refParStartsWithForward(n *html.Node) bool {
	var b strings.Builder
	refParCollectText(n, &b, 300)
	first, _, _ := strings.Cut(strings.TrimSpace(b.String()), "\n")
	for _, p := range forwardPhrases {
		if strings.Contains(strings.ToLower(first), p) {
			return true
		}
	}
	return false
}

// refParIndentOnly says whether a blockquote is Gmail's "indent" formatting rather
// than a quote.
func refParIndentOnly(n *html.Node) bool {
	if refParAttr(n, "type") != "" || refParAttr(n, "cite") != "" || refParAttr(n, "class") != "" {
		return false
	}
	st := strings.ReplaceAll(strings.ToLower(refParAttr(n, "style")), " ", "")
	return strings.Contains(st, "border:none")
}

func refParAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func refParHasAny(class string, list []string) bool {
	if class == "" {
		return false
	}
	for _, c := range strings.Fields(class) {
		for _, l := range list {
			if strings.EqualFold(c, l) {
				return true
			}
		}
	}
	return false
}

func refParMatchID(id string, list []string) bool {
	if id == "" {
		return false
	}
	for _, l := range list {
		if strings.EqualFold(id, l) || strings.HasSuffix(id, "_"+l) {
			return true
		}
	}
	return false
}

// refParRenderer turns a DOM into text.
type refParRenderer struct {
	b       strings.Builder
	line    strings.Builder // the current line, whitespace collapsed
	space   bool            // a space is pending before the next word
	pre     int             // inside <pre>
	nodes   int
	lists   []int // per open list: 0 for <ul>, else the next number
	cellSep bool
}

func refParRenderText(doc *html.Node) string {
	r := &refParRenderer{}
	r.walk(doc)
	r.flush()
	return joinLines(splitLines(r.b.String()))
}

// flush ends the current line.
func (r *refParRenderer) flush() {
	if r.line.Len() > 0 {
		r.b.WriteString(r.line.String())
		r.line.Reset()
	}
	r.b.WriteString("\n")
	r.space = false
}

// block ends the current line if it has text.
func (r *refParRenderer) block() {
	if r.line.Len() > 0 {
		r.flush()
	}
}

func (r *refParRenderer) text(s string) {
	if r.pre > 0 {
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				r.flush()
			}
			r.line.WriteString(part)
		}
		return
	}
	for i, w := range strings.FieldsFunc(s, refParIsHTMLSpace) {
		if (i > 0 || r.space) && r.line.Len() > 0 {
			r.line.WriteByte(' ')
		}
		r.line.WriteString(w)
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	r.space = refParIsHTMLSpace(last)
}

// refParIsHTMLSpace treats a no-break space as a space too: in mail it is
// spacing, not meaning.
func refParIsHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}

func (r *refParRenderer) walk(n *html.Node) {
	r.nodes++
	if r.nodes > maxHTMLNodes {
		return
	}
	switch n.Type {
	case html.TextNode:
		if strings.TrimFunc(n.Data, refParIsHTMLSpace) == "" {
			if n.Data != "" {
				r.space = true
			}
			return
		}
		if first, _ := utf8.DecodeRuneInString(n.Data); refParIsHTMLSpace(first) {
			r.space = true
		}
		r.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c)
		}
		return
	}
	switch n.DataAtom {
	case atom.Head, atom.Style, atom.Script, atom.Title, atom.Meta, atom.Link, atom.Noscript, atom.Template, atom.Svg:
		return
	case atom.Br:
		r.flush()
		return
	case atom.Hr:
		r.block()
		r.flush()
		return
	case atom.Img:
		if alt := strings.TrimSpace(refParAttr(n, "alt")); alt != "" && len(alt) < 40 {
			r.text(" [" + alt + "] ")
		}
		return
	}
	switch n.DataAtom {
	case atom.Ul, atom.Ol, atom.Menu:
		r.block()
		start := 0
		if n.DataAtom == atom.Ol {
			start = 1
		}
		r.lists = append(r.lists, start)
		r.children(n)
		r.lists = r.lists[:len(r.lists)-1]
		r.block()
		return
	case atom.Li:
		r.block()
		indent := strings.Repeat("  ", max(0, len(r.lists)-1))
		marker := "- "
		if k := len(r.lists); k > 0 && r.lists[k-1] > 0 {
			marker = strconv.Itoa(r.lists[k-1]) + ". "
			r.lists[k-1]++
		}
		r.line.WriteString(indent + marker)
		r.space = false
		r.children(n)
		r.block()
		return
	case atom.Tr:
		r.block()
		r.cellSep = false
		r.children(n)
		r.block()
		return
	case atom.Td, atom.Th:
		if r.cellSep {
			r.line.WriteString(" | ")
			r.space = false
		}
		r.cellSep = true
		r.children(n)
		return
	case atom.Pre:
		r.block()
		r.pre++
		r.children(n)
		r.pre--
		r.block()
		return
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote,
		atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Section, atom.Article, atom.Header,
		atom.Footer, atom.Address, atom.Dl, atom.Dt, atom.Dd, atom.Center, atom.Form, atom.Fieldset,
		atom.Figure, atom.Aside, atom.Nav, atom.Main, atom.Caption:
		r.block()
		r.children(n)
		r.block()
		if n.DataAtom == atom.P || refParIsHeading(n.DataAtom) {
			r.flush()
		}
		return
	}
	r.children(n)
}

func refParIsHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func (r *refParRenderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
}

// refParUnflow undoes format=flowed (RFC 3676): a line that ends in a space
// continues on the next line of the same quote depth; one space that
// stuffs a line's start is removed; with delsp=yes the trailing space
// itself was added by the sender's client and is dropped. The "-- "
// signature line is never joined. Linear in the length of text.
func refParUnflow(text string, delsp bool) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var b strings.Builder
	b.Grow(len(text))
	open := false // the previous line was flowed into this one
	prevDepth := 0
	for _, l := range lines {
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		body := l[depth:]
		body = strings.TrimPrefix(body, " ") // space-stuffing (and "> " quoting)
		if open && depth != prevDepth {
			b.WriteByte('\n') // a flowed line never joins another depth
			open = false
		}
		if !open && depth > 0 {
			b.WriteString(strings.Repeat(">", depth) + " ")
		}
		flowed := strings.HasSuffix(body, " ") && body != "-- "
		if flowed && delsp {
			body = body[:len(body)-1]
		}
		b.WriteString(body)
		if !flowed {
			b.WriteByte('\n')
		}
		open, prevDepth = flowed, depth
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// refParAskRes are the compiled ask phrases, one per lexicon entry. Texts are
// lowercased before matching (lowerFold), so the patterns need no (?i),
// which is slow in Go's regexp; and each runs only on a short sentence that
// holds a word it needs, where Go's fast backtracker applies.
var refParAskRes = func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(askPhrases))
	for i, a := range askPhrases {
		res[i] = regexp.MustCompile(refParAskBoundary + a.pattern)
	}
	return res
}()

// refParAskBoundary anchors a phrase at the start of a word, Unicode-aware.
const refParAskBoundary = `(?:^|[^\pL\pN])`

// refParAskScanLimit bounds how much of a text is searched for an ask: a request
// for status is made in the opening of a mail, not 50 KiB down a report.
const refParAskScanLimit = 8 << 10

// refParAskNeeds is every word some ask phrase needs (askPhrase.needs).
var refParAskNeeds = func() []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range askPhrases {
		for _, n := range a.needs {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}()

// refParAskDeadline names when an answer is due, after an imperative at the
// start of a sentence ("Send me the numbers by Friday."). Run only on such
// a sentence.
var refParAskDeadline = regexp.MustCompile(`(?:^|[^\pL\pN])(?:by|before|until|no later than|asap|today|tonight|tomorrow|eod|eow|cob|end of (?:the )?(?:day|week)|this week|monday|tuesday|wednesday|thursday|friday)(?:[^\pL\pN]|$)`)

// refParAskNeedsByByte buckets refParAskNeeds and askImperatives by first byte, for
// the one pass that finds which of them a text holds (refParAskWordsIn).
var refParAskNeedsByByte = func() [256][]string {
	var b [256][]string
	for _, n := range refParAskNeeds {
		b[n[0]] = append(b[n[0]], n)
	}
	for w := range askImperatives {
		b[w[0]] = append(b[w[0]], w)
	}
	return b
}()

// refParAskWordsIn returns the ask words (refParAskNeeds, askImperatives) that start a
// word of t (lowercased), in one pass over t. A need of several words may
// be wrapped across a line break ("on\ntrack").
func refParAskWordsIn(t string, buf []string) []string {
	out := buf[:0]
	prevWord := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		isWord := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80 || c == '\''
		if isWord && !prevWord {
			for _, n := range refParAskNeedsByByte[c] {
				if refParHasPrefixWrapped(t[i:], n) && !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
		prevWord = isWord
	}
	return out
}

// refParHasPrefixWrapped is strings.HasPrefix with a line break allowed for each
// space of prefix.
func refParHasPrefixWrapped(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for j := 0; j < len(prefix); j++ {
		if s[j] != prefix[j] && !(prefix[j] == ' ' && s[j] == '\n') {
			return false
		}
	}
	return true
}

// refParAskCandidates returns the sentences of t (lowercased) that contain one of
// needs (the ask words t holds at all) or open with an imperative
// (askImperatives); only they are worth the regexp. Line breaks inside a
// sentence are spaces (mail wraps at 72 columns); a sentence keeps its
// closing "?" for the phrases that end with one.
func refParAskCandidates(t string, needs []string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		// decided on the raw text, where a need's space may be a line
		// break, so only a candidate is copied with its breaks as spaces
		raw := strings.TrimSpace(t[start:end])
		start = end
		if refParContainsAnyWrapped(raw, needs) || askImperatives[refParFirstWord(raw)] {
			out = append(out, strings.ReplaceAll(raw, "\n", " "))
		}
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '.', '!', '?':
			if i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\n' {
				flush(i + 1)
			}
		case '\n':
			if i+1 < len(t) && t[i+1] == '\n' {
				flush(i + 1)
			}
		}
	}
	flush(len(t))
	return out
}

// refParContainsAnyWrapped is refParContainsAny on s with its line breaks read as
// spaces.
func refParContainsAnyWrapped(s string, words []string) bool {
	for _, w := range words {
		head, _, _ := strings.Cut(w, " ")
		for off := 0; ; {
			j := strings.Index(s[off:], head)
			if j < 0 {
				break
			}
			if refParHasPrefixWrapped(s[off+j:], w) {
				return true
			}
			off += j + 1
		}
	}
	return false
}

// refParFirstWord is the ASCII word s starts with ("send" in "send me …").
func refParFirstWord(s string) string {
	i := 0
	for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
		i++
	}
	return s[:i]
}

// refParIsStatusAsk says whether a text asks its reader for a status update or
// for action: "any update on X?", "where are we on", "can you send me the
// numbers before Friday?", "could your team take it?", "please confirm",
// "send me the deck by Friday". A thank-you, a statement or a proposal
// ("let's go through it on Thursday") is none, and neither is small talk
// ("how are you?"). Pass the visible text: a question in a quoted thread
// was asked before.
func refParIsStatusAsk(text string) bool {
	if len(text) > refParAskScanLimit {
		text = text[:refParAskScanLimit]
	}
	lower := lowerFold(text)
	// The ask words the text holds at all: most texts hold few, so most
	// sentences are passed over with a short check, and a text with none
	// is not split at all.
	var buf [64]string
	if present := refParAskWordsIn(lower, buf[:]); len(present) > 0 {
		for _, s := range refParAskCandidates(lower, present) {
			if refParIsAskSentence(s) {
				return true
			}
		}
	}
	// German, French and Spanish asks are phrases in reading's lexicon.
	return reading.Default.MentionsLower("asks", lower)
}

// refParIsAskSentence judges one lowercased candidate sentence.
func refParIsAskSentence(s string) bool {
	if refParContainsAny(s, askNotPhrases) {
		return false
	}
	question := strings.HasSuffix(s, "?")
	for i, a := range askPhrases {
		if (!a.question || question) && refParContainsAny(s, a.needs) && refParAskRes[i].MatchString(s) {
			return true
		}
	}
	// "Send me the numbers by Friday.", "Confirm the venue before Monday."
	return askImperatives[refParFirstWord(s)] && refParAskDeadline.MatchString(s)
}

func refParContainsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// refParIsAutoReplySubject says whether a subject is an out-of-office or other
// automatic reply's. A reply or forward ("Re: out of office next week") is a
// person writing about it, not an auto-reply.
func refParIsAutoReplySubject(subject string) bool {
	if isReplySubject(subject) {
		return false
	}
	s := lowerFold(subject)
	for _, p := range autoReplySubjects {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
