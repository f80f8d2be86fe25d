package message

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTML handling is done on golang.org/x/net/html's DOM with a small renderer
// of our own: quote containers are removed as nodes (so a quote is never
// half-removed from flattened text), and the rendering keeps what a reader
// needs: paragraphs and line breaks, "- " bullets and numbered items, table
// rows as "cell | cell", link text without tracking URLs.

// maxHTMLNodes bounds the work on a hostile document.
const maxHTMLNodes = 200000

// HTMLToText renders an HTML body as readable plain text.
func HTMLToText(src string) string {
	doc := parseHTML(src)
	if doc == nil {
		return ""
	}
	return renderText(doc)
}

// VisibleHTML returns the sender's own new text of an HTML body: quote
// containers (blockquote, Gmail's gmail_quote, Outlook's divRplyFwdMsg and
// OLK_SRC_BODY_SECTION, Thunderbird's moz-cite-prefix, Yahoo's and Apple's
// quote wrappers, and everything after them) and signature containers are
// dropped from the DOM, then the text goes through Visible.
func VisibleHTML(src, senderName string) string {
	_, v := htmlTextAndVisible(src, senderName)
	return v
}

// htmlTextAndVisible gives HTMLToText and VisibleHTML of one body from a
// single parse: the whole text is rendered before the quotes are cut
// anyway.
func htmlTextAndVisible(src, senderName string) (text, visible string) {
	doc := parseHTML(src)
	if doc == nil {
		return "", ""
	}
	full := renderText(doc)
	stripQuotes(doc)
	if v := Visible(renderText(doc), senderName); v != "" {
		return full, v
	}
	// everything sat in a quote container (a message that is all quote,
	// or a client that wraps the reply itself): judge the text instead
	return full, Visible(full, senderName)
}

// testHookHTMLParse, when set (tests only), is called on every HTML parse
// so a test can count them.
var testHookHTMLParse func()

func parseHTML(src string) *html.Node {
	if testHookHTMLParse != nil {
		testHookHTMLParse()
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil
	}
	return doc
}

// cutClasses and cutIDs mark a node where the quoted message starts: it and
// everything after it in document order go.
var (
	cutClasses = []string{"gmail_quote", "gmail_extra", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote",
		"zmail_extra", "AppleOriginalContents", "OutlookMessageHeader", "WordSection1-quote", "ms-outlook-mobile-reference-message",
		"x_gmail_quote", "x_moz-cite-prefix", "ecxgmail_quote", "felamimail-body-blockquote"}
	cutIDs = []string{"divRplyFwdMsg", "x_divRplyFwdMsg", "OLK_SRC_BODY_SECTION", "appendonsend", "x_appendonsend",
		"mail-editor-reference-message-container", "stopSpelling", "isForwardContent", "reply-intro", "divtagdefaultwrapper-quote",
		"ydpReplyHeader", "zwchr", "Zm-_Id_-Sgn"}
	// dropClasses are removed alone: signatures.
	dropClasses = []string{"gmail_signature", "moz-signature", "x_gmail_signature", "signature"}
	dropIDs     = []string{"Signature", "x_Signature", "signature", "OutlookSignature"}
)

// stripQuotes removes quote containers and signatures from the DOM. A
// plain <blockquote> in the middle of the sender's text may be their own
// citation and stays, unless it is the last one (the quoted message) or
// marked as a cite; a Gmail quote holding a forward stays too.
func stripQuotes(doc *html.Node) {
	var cut *html.Node
	var drop []*html.Node
	last := lastTopBlockquote(doc)
	count := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if cut != nil || count > maxHTMLNodes {
			return
		}
		count++
		if n.Type == html.ElementNode {
			id, class := attr(n, "id"), attr(n, "class")
			switch {
			case hasAny(class, cutClasses) && !startsWithForward(n) || matchID(id, cutIDs) || n.DataAtom == atom.Hr && isQuoteRule(n):
				cut = n
				return
			case n.DataAtom == atom.Blockquote && !indentOnly(n) && (n == last || citeLike(n)):
				drop = append(drop, n)
				return
			case hasAny(class, dropClasses) || matchID(id, dropIDs) || attr(n, "data-signatureblock") == "true":
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
		removeFrom(cut)
	}
}

// removeFrom removes n and everything that follows it in document order.
func removeFrom(n *html.Node) {
	for n != nil && n.Parent != nil {
		p := n.Parent
		for s := n.NextSibling; s != nil; {
			next := s.NextSibling
			p.RemoveChild(s)
			s = next
		}
		p.RemoveChild(n)
		// continue with the parent's following siblings, but keep the parent
		n = nextAncestorSibling(p)
	}
}

// nextAncestorSibling returns the first following sibling of p or of one of
// its ancestors, stopping at <body>.
func nextAncestorSibling(p *html.Node) *html.Node {
	for p != nil && p.DataAtom != atom.Body && p.DataAtom != atom.Html {
		if p.NextSibling != nil {
			return p.NextSibling
		}
		p = p.Parent
	}
	return nil
}

// isQuoteRule says whether an <hr> separates the reply from a quoted message:
// Hotmail's id="stopSpelling" is handled by id; other rules count when the
// text right after them starts with a header field ("From:").
func isQuoteRule(n *html.Node) bool {
	var b strings.Builder
	for s := n.NextSibling; s != nil && b.Len() < 200; s = s.NextSibling {
		collectText(s, &b, 200)
	}
	t := strings.TrimSpace(b.String())
	return fieldRole(t) != ""
}

func collectText(n *html.Node, b *strings.Builder, max int) {
	if b.Len() >= max {
		return
	}
	if n.Type == html.TextNode {
		b.WriteString(n.Data)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectText(c, b, max)
	}
}

// lastTopBlockquote returns the last blockquote not nested in another.
func lastTopBlockquote(doc *html.Node) *html.Node {
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

// citeLike says whether a blockquote is marked as a quoted message.
func citeLike(n *html.Node) bool {
	if attr(n, "type") == "cite" || attr(n, "cite") != "" || strings.Contains(strings.ToLower(attr(n, "class")), "quote") {
		return true
	}
	st := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(st, "border-left")
}

// startsWithForward says whether a quote container begins with a forward
// marker: a forward keeps its forwarded text (see Visible).
func startsWithForward(n *html.Node) bool {
	var b strings.Builder
	collectText(n, &b, 300)
	first, _, _ := strings.Cut(strings.TrimSpace(b.String()), "\n")
	for _, p := range forwardPhrases {
		if strings.Contains(strings.ToLower(first), p) {
			return true
		}
	}
	return false
}

// indentOnly says whether a blockquote is Gmail's "indent" formatting rather
// than a quote.
func indentOnly(n *html.Node) bool {
	if attr(n, "type") != "" || attr(n, "cite") != "" || attr(n, "class") != "" {
		return false
	}
	st := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(st, "border:none")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAny(class string, list []string) bool {
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

func matchID(id string, list []string) bool {
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

// renderer turns a DOM into text. The current line is the end of b, from
// lineStart: written once, where a line of its own was copied into b.
type renderer struct {
	b         strings.Builder
	lineStart int  // where the current line (whitespace collapsed) starts in b
	space     bool // a space is pending before the next word
	pre       int  // inside <pre>
	nodes     int
	lists     []int // per open list: 0 for <ul>, else the next number
	cellSep   bool
}

func renderText(doc *html.Node) string {
	r := &renderer{}
	r.walk(doc)
	r.flush()
	s := r.b.String()
	return joinLinesIn(s, splitLines(s))
}

// lineLen is the length of the current line.
func (r *renderer) lineLen() int { return r.b.Len() - r.lineStart }

// flush ends the current line.
func (r *renderer) flush() {
	r.b.WriteString("\n")
	r.lineStart = r.b.Len()
	r.space = false
}

// block ends the current line if it has text.
func (r *renderer) block() {
	if r.lineLen() > 0 {
		r.flush()
	}
}

func (r *renderer) text(s string) {
	if r.pre > 0 {
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				r.flush()
			}
			r.b.WriteString(part)
		}
		return
	}
	// the words of s (strings.FieldsFunc(s, isHTMLSpace), without the slice)
	first := true
	for rest := s; rest != ""; {
		i := strings.IndexFunc(rest, isHTMLSpace)
		if i != 0 {
			w := rest
			if i > 0 {
				w = rest[:i]
			}
			if (!first || r.space) && r.lineLen() > 0 {
				r.b.WriteByte(' ')
			}
			r.b.WriteString(w)
			first = false
			if i < 0 {
				break
			}
		}
		_, n := utf8.DecodeRuneInString(rest[max(i, 0):])
		rest = rest[max(i, 0)+n:]
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	r.space = isHTMLSpace(last)
}

// isHTMLSpace treats a no-break space as a space too: in mail it is
// spacing, not meaning.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}

func (r *renderer) walk(n *html.Node) {
	r.nodes++
	if r.nodes > maxHTMLNodes {
		return
	}
	switch n.Type {
	case html.TextNode:
		if strings.TrimFunc(n.Data, isHTMLSpace) == "" {
			if n.Data != "" {
				r.space = true
			}
			return
		}
		if first, _ := utf8.DecodeRuneInString(n.Data); isHTMLSpace(first) {
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
		if alt := strings.TrimSpace(attr(n, "alt")); alt != "" && len(alt) < 40 {
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
		r.b.WriteString(indent)
		r.b.WriteString(marker)
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
			r.b.WriteString(" | ")
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
		if n.DataAtom == atom.P || isHeading(n.DataAtom) {
			r.flush()
		}
		return
	}
	r.children(n)
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func (r *renderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
}
