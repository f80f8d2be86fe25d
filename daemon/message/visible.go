package message

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Visible returns the sender's own new text of a plain-text body: quoted
// replies ("> " lines), attribution lines ("On … wrote:"), Outlook header
// blocks and separators, and everything below them, then the signature,
// sign-off and legal disclaimer at the end. senderName (a display name or an
// address, may be empty) helps recognise a signature that starts with it.
//
// A message that is itself a forward ("---------- Forwarded message" before
// any reply header) keeps the forwarded text: that text is what was sent,
// and a status mail forwarded "FYI" is still status. A forwarded block below
// a reply header goes with the rest of the quote.
func Visible(text, senderName string) string {
	vb := visibleScratch.Get().(*visibleBuffers)
	defer vb.release()
	vb.lines = splitLinesInto(vb.lines[:0], text)
	lines := vb.cutQuotes(vb.lines)
	lines = stripTrailing(lines, senderName, &vb.after)
	return joinLinesIn(text, lines)
}

// visibleBuffers are the line and clue buffers one Visible uses and gives
// back: only the joined text it returns is allocated for the caller.
type visibleBuffers struct {
	lines, out []string
	lc         lineClues
	after      []int
}

var visibleScratch = sync.Pool{New: func() any { return new(visibleBuffers) }}

// release clears the buffers (pooled, they must not keep a text alive)
// and gives them back.
func (vb *visibleBuffers) release() {
	clear(vb.lines)
	clear(vb.out)
	vb.lines, vb.out = vb.lines[:0], vb.out[:0]
	visibleScratch.Put(vb)
}

// invisibleReplacer turns no-break spaces into spaces and line and
// paragraph separators into line ends, and drops zero-width spaces, marks
// and byte order marks.
var invisibleReplacer = strings.NewReplacer("\u00a0", " ", "\u200b", "", "\u200e", "",
	"\u200f", "", "\ufeff", "", "\u2028", "\n", "\u2029", "\n")

// hasInvisible reports whether text holds a character invisibleReplacer
// replaces, looking only at the lead bytes those characters start with.
func hasInvisible(text string) bool {
	if strings.Contains(text, "\u00a0") || strings.Contains(text, "\ufeff") {
		return true
	}
	for s := text; ; {
		i := strings.IndexByte(s, 0xe2)
		if i < 0 || i+2 >= len(s) {
			return false
		}
		if s[i+1] == 0x80 {
			switch s[i+2] {
			case 0x8b, 0x8e, 0x8f, 0xa8, 0xa9: // U+200B, U+200E, U+200F, U+2028, U+2029
				return true
			}
		}
		s = s[i+1:]
	}
}

// splitLines normalises line ends and invisible characters and splits.
func splitLines(text string) []string { return splitLinesInto(nil, text) }

// splitLinesInto is splitLines appending to buf.
func splitLinesInto(buf []string, text string) []string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	// A CR before a LF is trailing white space, which every line loses
	// below; only a lone CR needs replacing, before the invisible
	// characters are (the order matters: "\r\u200b\n" is two line
	// breaks). Whether there is one is told, when the text has CRs and no
	// invisible character (so the lines below are cut from text as it
	// is), by counting the lines that end in a CR while cutting them: all
	// the CRs are such when none is lone. This replaces looking for the
	// next CR at every line (loneCR) before cutting.
	crs := strings.Count(text, "\r")
	invisible := hasInvisible(text)
	if crs > 0 && invisible && loneCR(text) {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	if invisible {
		text = invisibleReplacer.Replace(text)
	}
	lines, crlf := cutLines(buf, text)
	if crs > 0 && !invisible && crlf != crs {
		// a lone CR (loneCR(text)): the lines again, from the text with
		// its line ends made LFs
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
		clear(lines[len(buf):])
		lines, _ = cutLines(lines[:len(buf)], text)
	}
	return lines
}

// cutLines appends the lines of text (cut at each LF) to buf, each
// trimmed of trailing white space, and counts the LFs with a CR before
// them.
func cutLines(buf []string, text string) ([]string, int) {
	lines, crlf := buf, 0
	for {
		l, rest, more := strings.Cut(text, "\n")
		if more && l != "" && l[len(l)-1] == '\r' {
			crlf++
		}
		lines = append(lines, trimRightSpace(l))
		if !more {
			return lines, crlf
		}
		text = rest
	}
}

// loneCR says whether text holds a CR not followed by a LF (it replaces
// comparing two counts over the whole text).
func loneCR(text string) bool {
	for {
		i := strings.IndexByte(text, '\r')
		if i < 0 {
			return false
		}
		if i+1 == len(text) || text[i+1] != '\n' {
			return true
		}
		text = text[i+2:]
	}
}

// trimRightSpace is strings.TrimRightFunc(l, unicode.IsSpace) with the
// ASCII white space (what most lines end with, if anything) trimmed
// without a call per byte; a line ending in a byte >= 0x80 goes the
// general way.
func trimRightSpace(l string) string {
	n := len(l)
	for n > 0 {
		switch l[n-1] {
		case ' ', '\t', '\n', '\v', '\f', '\r': // unicode.IsSpace's ASCII ones
			n--
			continue
		}
		if l[n-1] >= utf8.RuneSelf {
			return strings.TrimRightFunc(l[:n], unicode.IsSpace)
		}
		break
	}
	return l[:n]
}

// joinLines trims blank lines at both ends and collapses runs of blank lines.
func joinLines(lines []string) string { return joinLinesIn("", lines) }

// joinLinesIn is joinLines of lines cut from text. The result's length is
// found first, so it is built in one buffer of its size; and when it is a
// piece of text as it is (every line kept lies in text, each the
// separator it is joined with, "\n" or "\n\n", after the one before),
// that piece is returned instead of a copy: text without CRs, trailing
// spaces and runs of blank lines, a reply above a quote, a signature cut
// at the end. A line that is not in text's memory (splitLinesInto made a
// new text, a line was rewritten) is copied.
func joinLinesIn(text string, lines []string) string {
	n, start, piece := joinedLen(text, lines)
	if n == 0 {
		return ""
	}
	if piece {
		return text[start : start+n]
	}
	var b strings.Builder
	b.Grow(n)
	writeJoined(&b, lines)
	return b.String()
}

// joinedLen is the length n of joinLines(lines), and whether it is the
// piece text[start:start+n] (see joinLinesIn).
func joinedLen(text string, lines []string) (n, start int, piece bool) {
	wrote, blank := false, false
	inText := text != ""
	var lo, hi uintptr // text's memory
	if inText {
		lo = uintptr(unsafe.Pointer(unsafe.StringData(text)))
		hi = lo + uintptr(len(text))
	}
	var first, end uintptr // the piece of text the result would be
	for _, l := range lines {
		if isBlank(l) {
			blank = wrote
			continue
		}
		sep := 0
		if wrote {
			sep = 1
			if blank {
				sep = 2
			}
		}
		if inText {
			p := uintptr(unsafe.Pointer(unsafe.StringData(l)))
			switch {
			case p < lo || p+uintptr(len(l)) > hi:
				inText = false
			case !wrote:
				first = p
			case p != end+uintptr(sep) || text[end-lo] != '\n' || sep == 2 && text[end+1-lo] != '\n':
				inText = false
			}
			end = p + uintptr(len(l))
		}
		n += sep + len(l)
		wrote, blank = true, false
	}
	if n > 0 && inText {
		return n, int(first - lo), true
	}
	return n, 0, false
}

// writeJoined writes joinLines(lines) to b.
func writeJoined(b *strings.Builder, lines []string) {
	wrote, blank := false, false
	for _, l := range lines {
		if isBlank(l) {
			blank = wrote
			continue
		}
		if blank {
			b.WriteString("\n")
			blank = false
		}
		if wrote {
			b.WriteString("\n")
		}
		b.WriteString(l)
		wrote = true
	}
}

// textAndVisible is strings.Clone(text), Visible(text, senderName), the
// two in one allocation (Visible after the text, or a piece of it):
// text may be a buffer about to be reused (Parse's read buffer), and
// nothing returned refers to it. It replaces a copy of the text, then
// one of the visible text, each rounded up to its allocation size.
func textAndVisible(text, senderName string) (string, string) {
	vb := visibleScratch.Get().(*visibleBuffers)
	defer vb.release()
	vb.lines = splitLinesInto(vb.lines[:0], text)
	lines := vb.cutQuotes(vb.lines)
	lines = stripTrailing(lines, senderName, &vb.after)
	n, start, piece := joinedLen(text, lines)
	var b strings.Builder
	if piece || n == 0 {
		b.Grow(len(text))
	} else {
		b.Grow(len(text) + n)
	}
	b.WriteString(text)
	if n == 0 {
		return b.String(), ""
	}
	if piece {
		s := b.String()
		return s, s[start : start+n]
	}
	writeJoined(&b, lines)
	s := b.String()
	return s[:len(text)], s[len(text):]
}

// isBlank says whether s is only white space (strings.TrimSpace(s) ==
// ""). A line that starts or ends with an ASCII byte that is not white
// space is not blank, which most lines are, told without the call.
func isBlank(s string) bool {
	if s == "" {
		return true
	}
	if c := s[0]; c < utf8.RuneSelf && !asciiSpace[c] {
		return false
	}
	if c := s[len(s)-1]; c < utf8.RuneSelf && !asciiSpace[c] {
		return false
	}
	return strings.TrimSpace(s) == ""
}

func isQuoted(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return s[i] == '>'
		}
	}
	return false
}

// headerKind says what kind of splitter a header is.
type headerKind int

const (
	hdrReply     headerKind = iota // "On … wrote:", From/Sent block, Original Message
	hdrDateEmail                   // "2011/4/7 Bob <bob@x>": a header only above '>' lines
	hdrForward                     // "---------- Forwarded message ----------"
)

// header is a splitter found at a line.
type header struct {
	kind   headerKind
	prefix string // the sender's text before the header on the same line
	end    int    // the index of the first line after the header
}

// cutQuotes removes quoted blocks and everything below a reply header that
// is not followed by '>' lines.
//
// The lines it returns are vb.out or lines.
func (vb *visibleBuffers) cutQuotes(lines []string) []string {
	out := vb.out[:0]
	defer func() { vb.out = out }()
	sawHeader := false
	lc := &vb.lc
	lc.reset(lines)
	defer lc.reset(nil)
	for i := 0; i < len(lines); {
		if isQuoted(lines[i]) && !loneMarker(lines, i) {
			i = quoteBlockEnd(lines, i)
			continue
		}
		h, ok := headerAt(lines, lc, i)
		if !ok {
			out = append(out, lines[i])
			i++
			continue
		}
		j := h.end
		for j < len(lines) && isBlank(lines[j]) {
			j++
		}
		quoteFollows := j < len(lines) && isQuoted(lines[j])
		if h.kind == hdrDateEmail && !quoteFollows {
			out = append(out, lines[i])
			i++
			continue
		}
		if h.kind == hdrForward && !sawHeader {
			// a forward, not a reply: the forwarded message is what the
			// sender is sending, so it stays, with their note above it.
			return lines
		}
		sawHeader = true
		if h.prefix != "" {
			out = append(out, h.prefix)
		}
		if quoteFollows {
			i = quoteBlockEnd(lines, j)
			continue
		}
		break
	}
	return out
}

// loneMarker says a '>' line is not a quote: a single such line between two
// lines of the sender's own text (">>> http://example.com <<<").
func loneMarker(lines []string, i int) bool {
	if i == 0 || i+1 >= len(lines) {
		return false
	}
	prev, next := lines[i-1], lines[i+1]
	return !isBlank(prev) && !isQuoted(prev) && !isBlank(next) && !isQuoted(next)
}

// quoteBlockEnd returns the index after the quote block starting at i. Blank
// lines inside the block belong to it, and so do wrapped link fragments
// between two quoted lines (a mail client breaking a long URL).
func quoteBlockEnd(lines []string, i int) int {
	j := i
	for j < len(lines) {
		switch {
		case isQuoted(lines[j]):
			j++
		case isBlank(lines[j]):
			k := j
			for k < len(lines) && isBlank(lines[k]) {
				k++
			}
			if k < len(lines) && isQuoted(lines[k]) {
				j = k
				continue
			}
			return j
		case j+1 < len(lines) && isQuoted(lines[j+1]) && looksLikeFragment(lines[j]):
			j++
		default:
			return j
		}
	}
	return j
}

// looksLikeFragment says whether a line is the broken-off end of a quoted
// link rather than the sender's inline answer.
func looksLikeFragment(s string) bool {
	t := strings.TrimSpace(s)
	return !strings.Contains(t, " ") || strings.Contains(t, "://") ||
		strings.HasPrefix(t, "(") || strings.HasPrefix(t, "<") || strings.HasSuffix(t, ">")
}

// Regular expressions built from the lexicons.
var (
	separatorRe = lazyCompile(`(?i)^\s*[-_=*~]{2,}\s*(` + alternation(separatorPhrases) + `)\s*:?\s*[-_=*~]{2,}\s*$`)
	forwardRe   = lazyCompile(`(?i)^\s*(?:[-_=*~]{2,}\s*)?(` + alternation(forwardPhrases) + `)\s*:?\s*(?:[-_=*~]{2,}\s*)?$`)
	dashTitleRe = lazyCompile(`^\s*[-_=*]{2,}\s*[\pL][\pL '’]{2,40}\s*[-_=*]{2,}\s*$`)
	ruleRe      = lazyCompile(`^\s*(?:_{8,}|-{8,}|={8,}|\*{8,})\s*$`)
	onWordRe    = lazyCompile(`(?i)(?:^|[\s\-–—*>]+)(` + alternation(quoteOnWords) + `)\s`)
	// verbEndRev: the verb, maybe the author, then a colon (or dashes) at
	// the end, written for the text reversed: what verbEnd reads without
	// it (the tests check the two agree).
	verbEndRev  = lazyCompile(`(?i)^\s*(?:-*\s*:|-{2,}\s|-{2,}|\s*:\s*)(?:(?:[^:]|\d:\d){0,120}[^\pL])?(?:` + alternation(reversed(quoteVerbs)) + `)(?:[^\pL]|$)`)
	verbBareRev = lazyCompile(`(?i)^\s*(?:` + alternation(reversed(quoteVerbs)) + `)[^\pL]`)
	// bracketEnd: "<someone@example.com>:" or "(someone@example.com):" ends
	// an attribution line in many clients.
	bracketEnd = lazyCompile(`@[^\s<>()]+\s*[>)]\s*:\s*$`)
	yearOrTime = lazyCompile(`\b(?:\d{4}|\d{1,2}[:.]\d{2})\b`)
	// verbDateRe: "Support kirjoitti 20.05.2019 kello 10:26:", the verb
	// followed by the date.
	verbDateRe = lazyCompile(`(?i)[^\pL](` + alternation(quoteVerbs) + `)\s+(?:\pL+\.?,?\s+){0,2}\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b[^:]{0,20}(?:\d{1,2}[:.]\d{2})?\s*:\s*$`)
	verbColon  = lazyCompile(`(?i)(?:^|[^\pL])(` + alternation(quoteVerbs) + `)\s*:\s*$`)
	dashWrapRe = lazyCompile(`(?i)^\s*-{2,}.{1,120}[^\pL](` + alternation(quoteVerbs) + `)\s*:?\s*-{2,}\s*$`)
	dateLeadRe = lazyCompile(`(?i)^\s*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:\pL{2,9}[.,]{0,2}\s+)?\d{1,2}\.?\s+\pL{3,9}\.?,?\s+\d{4})`)
	fieldRe    = lazyCompile(`^\s*\*?\s*([\pL][\pL .'-]{0,24}?)\s*\*?\s*:\s*\*?`)
)

// alternation joins phrases into a regexp alternation, longest first, with
// spaces matching any run of white space.
func alternation(phrases []string) string {
	ps := append([]string(nil), phrases...)
	sort.Slice(ps, func(i, j int) bool { return len(ps[i]) > len(ps[j]) })
	for i, p := range ps {
		ps[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return strings.Join(ps, "|")
}

// reversed reverses each phrase rune by rune.
func reversed(phrases []string) []string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = reverse(p)
	}
	return out
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// verbBare says whether s ends in a quote verb with nothing after it. The
// expression is anchored at the end, which Go's regexp cannot start
// from, and would try each starting point with a large automaton; run on
// the reversed text it is anchored at the start.
func verbBare(s string) bool { return matchReversed(verbBareRev, s) }

// matchReversed is re.MatchString(reverse(s)), with s reversed into a
// pooled buffer instead of a rune slice and a string a call.
func matchReversed(re *lazyRegexp, s string) bool {
	bp := reversedBufs.Get().(*[]byte)
	b := appendReversed((*bp)[:0], s)
	ok := re.get().Match(b)
	if cap(b) <= 4<<10 {
		*bp = b
		reversedBufs.Put(bp)
	}
	return ok
}

var reversedBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// appendReversed appends reverse(s) to b: the runes of s (an invalid byte
// is U+FFFD, as []rune(s) has it) in reverse order, each encoded as
// string([]rune) encodes it.
func appendReversed(b []byte, s string) []byte {
	n := 0
	for _, r := range s {
		n += utf8.RuneLen(r)
	}
	b = slices.Grow(b, n)
	out := b[len(b) : len(b)+n]
	for _, r := range s {
		n -= utf8.RuneLen(r)
		utf8.EncodeRune(out[n:], r)
	}
	return b[:len(b)+len(out)]
}

// forwardLead rules out, from their first byte, most lines forwardRe
// cannot match.
var forwardLead = newLeadWords(" \t\n\f\r-_=*~", forwardPhrases)

// isForwardLine says a line marks a forwarded message ("---------- Forwarded
// message ---------").
func isForwardLine(l string) bool { return forwardLead.may(l) && forwardRe.MatchString(l) }

// dashLed says a line starts, after white space, with two of "-_=*~", as
// separators and rules do.
func dashLed(l string) bool {
	i := 0
	for i < len(l) && isRESpace(l[i]) {
		i++
	}
	return i+1 < len(l) && isDashByte(l[i]) && isDashByte(l[i+1])
}

// isDashByte says whether c is one of "-_=*~".
func isDashByte(c byte) bool {
	switch c {
	case '-', '_', '=', '*', '~':
		return true
	}
	return false
}

// reSpace is what \s matches in Go's regexp.
const reSpace = " \t\n\f\r"

// dashWrapped says whether l starts and ends, inside white space, with two
// dashes, as dashWrapRe needs.
func dashWrapped(l string) bool {
	i, j := 0, len(l)
	for i < j && isRESpace(l[i]) {
		i++
	}
	for j > i && isRESpace(l[j-1]) {
		j--
	}
	t := l[i:j]
	return len(t) >= 4 && t[0] == '-' && t[1] == '-' && t[len(t)-2] == '-' && t[len(t)-1] == '-'
}

// isRule says what ruleRe says, without it: l is, inside white space, a
// run of at least eight of one of "_-=*".
func isRule(l string) bool {
	i := 0
	for i < len(l) && isRESpace(l[i]) {
		i++
	}
	if i == len(l) || strings.IndexByte("_-=*", l[i]) < 0 {
		return false
	}
	j := i
	for j < len(l) && l[j] == l[i] {
		j++
	}
	if j-i < 8 {
		return false
	}
	for ; j < len(l); j++ {
		if !isRESpace(l[j]) {
			return false
		}
	}
	return true
}

// hasYearOrTime says what yearOrTime says, without it: a word of four
// digits ("2026"), or of one or two digits, then ':' or '.', then two
// digits ending a word ("10:26", "9.30"), words being runs of ASCII
// letters, digits and '_' as for \b.
func hasYearOrTime(s string) bool {
	for i := 0; i < len(s); {
		if !reWord(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && reWord(s[j]) {
			j++
		}
		if allDigits(s[i:j]) {
			switch n := j - i; {
			case n == 4:
				return true
			case n <= 2 && j+2 < len(s) && (s[j] == ':' || s[j] == '.') && isDigit(s[j+1]) && isDigit(s[j+2]) && (j+3 == len(s) || !reWord(s[j+3])):
				return true
			}
		}
		i = j
	}
	return false
}

// reWord is \w: an ASCII letter, digit or '_'.
func reWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func allDigits(s string) bool {
	for k := 0; k < len(s); k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return s != ""
}

// dashesOnly says whether l is only white space and "-_=*~".
func dashesOnly(l string) bool {
	for i := 0; i < len(l); i++ {
		if !isRESpace(l[i]) && !isDashByte(l[i]) {
			return false
		}
	}
	return true
}

// bracketEnded says whether s ends in '>' or ')' then a colon, with white
// space around them, as bracketEnd needs.
func bracketEnded(s string) bool {
	t, ok := strings.CutSuffix(strings.TrimRight(s, reSpace), ":")
	if !ok {
		return false
	}
	t = strings.TrimRight(t, reSpace)
	return strings.HasSuffix(t, ">") || strings.HasSuffix(t, ")")
}

// headerAt finds a reply or forward header starting at line i.
func headerAt(lines []string, lc *lineClues, i int) (header, bool) {
	l := lines[i]
	if isBlank(l) {
		return header{}, false
	}
	// separatorRe, dashTitleRe and ruleRe all start with two of -_=*~.
	dashes := dashLed(l)
	// separatorRe and dashTitleRe need a phrase or a title between the
	// dashes; a line of dashes alone has none.
	dashes = dashes && !dashesOnly(l)
	if dashes && separatorRe.MatchString(l) {
		return header{kind: hdrReply, end: i + 1}, true
	}
	if isForwardLine(l) {
		return header{kind: hdrForward, end: i + 1}, true
	}
	if rule := isRule(l); rule || dashes && dashTitleRe.MatchString(l) {
		j := i + 1
		for j < len(lines) && j <= i+2 && isBlank(lines[j]) {
			j++
		}
		if j < len(lines) {
			// below a rule a lone "From: Jane <jane@example.com>" is
			// enough (Outlook on phones)
			if end, ok := fieldBlock(lines, lc, j, true); ok {
				return header{kind: hdrReply, end: end}, true
			}
		}
		if rule {
			return header{}, false
		}
	}
	// a lone From line with a bracketed address opens the quote when it
	// stands as a paragraph of its own, as willdurand/EmailReplyParser
	// reads "From: NAME <EMAIL>", "De: …", "Van: …", "Da: …", "发件人: …"
	lone := i > 0 && isBlank(lines[i-1]) && (i+1 == len(lines) || isBlank(lines[i+1]))
	if end, ok := fieldBlock(lines, lc, i, lone); ok {
		return header{kind: hdrReply, end: end}, true
	}
	if h, ok := attribution(lines, lc, i); ok {
		return h, true
	}
	return header{}, false
}

// clues are the cheap facts about a candidate attribution that its
// regular expressions need: every attribution has a quote verb, and the
// ones led by an opener also have a digit (a date) or an '@'. Every one
// ends its last line with a colon, dashes or '>' (end), or with the quote
// verb (verbAtEnd, for "Bob <bob@example.com> wrote").
//
// For a line of a text (cluesOfLines), role is its header field's role
// (fieldRole), found once: fieldBlock asks for it from up to twelve lines
// above.
type clues struct {
	verb, digit, at, end, verbAtEnd bool
	role                            string
}

func cluesOf(s string) clues {
	c, ok := asciiClues(s)
	if !ok {
		c = clues{verb: hasQuoteVerb(s), digit: strings.ContainsAny(s, "0123456789"), at: strings.Contains(s, "@")}
	}
	c.end = endsLikeHeader(s)
	c.verbAtEnd = c.verb && endsWithQuoteVerb(strings.TrimRightFunc(s, unicode.IsSpace))
	return c
}

// endsLikeHeader says whether s, trimmed, ends in ':', '：', '-' or '>':
// the ends every attribution regexp and test needs (endsLikeAttribution,
// bracketEnd, verbColon, verbDateRe, cjkAttribution, a date and address
// header's '>').
func endsLikeHeader(s string) bool {
	t := trimRightSpace(s)
	if t == "" {
		return false
	}
	switch t[len(t)-1] {
	case ':', '-', '>':
		return true
	}
	return strings.HasSuffix(t, "：")
}

// asciiClues is cluesOf in one pass over an ASCII line (most lines): a
// quote verb there is an ASCII needle that is a whole run of letters.
// ok is false when s is not ASCII. Each byte's class comes from one table
// (asciiClass) instead of a chain of comparisons.
func asciiClues(s string) (c clues, ok bool) {
	for i := 0; i < len(s); {
		b := s[i]
		switch asciiClass[b] {
		case classHigh:
			return clues{}, false
		case classLetter:
			j := i + 1
			for j < len(s) && asciiClass[s[j]] == classLetter {
				j++
			}
			// a whole run of letters (a byte >= 0x80 after it ends the
			// ASCII pass below)
			if !c.verb && j-i < 64 && asciiVerbQuick[b|0x20]&(1<<(j-i)) != 0 {
				c.verb = isASCIIVerb(s[i:j])
			}
			i = j
			continue
		case classDigit:
			c.digit = true
		case classAt:
			c.at = true
		}
		i++
	}
	return c, true
}

// The byte classes asciiClues tells apart.
const (
	classOther = iota
	classLetter
	classDigit
	classAt
	classHigh // >= 0x80: not ASCII
)

var asciiClass = func() (t [256]uint8) {
	for b := range 256 {
		switch {
		case b >= 0x80:
			t[b] = classHigh
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
			t[b] = classLetter
		case b >= '0' && b <= '9':
			t[b] = classDigit
		case b == '@':
			t[b] = classAt
		}
	}
	return t
}()

// isASCIIVerb says whether the letters w, lowercased, are an ASCII quote
// verb needle: one of those with w's first letter, compared byte by byte
// (it replaces a map lookup of the lowercased copy).
func isASCIIVerb(w string) bool {
	for _, n := range asciiVerbsBy[w[0]|0x20] {
		if len(n) == len(w) && equalFoldLetters(w, n) {
			return true
		}
	}
	return false
}

// equalFoldLetters says whether ASCII letters w, lowercased, are n.
func equalFoldLetters(w, n string) bool {
	for k := 0; k < len(n); k++ {
		if w[k]|0x20 != n[k] {
			return false
		}
	}
	return true
}

// asciiVerbsBy are the quote verb needles written in ASCII (all letters)
// by their first letter; asciiVerbQuick has, per first letter, a bit per
// length of them.
var asciiVerbsBy, asciiVerbQuick = func() ([256][]string, [256]uint64) {
	var by [256][]string
	var q [256]uint64
	for _, n := range quoteVerbNeedles {
		ascii := true
		for k := 0; k < len(n); k++ {
			if c := n[k]; c < 'a' || c > 'z' {
				ascii = false
			}
		}
		if ascii && len(n) < 64 {
			by[n[0]] = append(by[n[0]], n)
			q[n[0]] |= 1 << len(n)
		}
	}
	return by, q
}()

func (c clues) and(s string) clues { return c.or(cluesOf(s)) }

func (c clues) or(d clues) clues {
	return clues{verb: c.verb || d.verb, digit: c.digit || d.digit, at: c.at || d.at, end: c.end || d.end, verbAtEnd: c.verbAtEnd || d.verbAtEnd}
}

// lineClues are the clues of each line of a text, each part found the
// first time a header test asks for it and kept: the tests ask for them
// over windows of a few lines at every line. Found lazily (it replaces
// finding all of them for every line up front), most lines never need
// their verb scan or field role: the lines inside a quote block are never
// asked, and a line's verb, digit and '@' only matter within six lines
// above a line that ends like a header. Each part is what cluesOf and
// fieldRole give for the line alone (TestCluesOfLinesAgreeWithEachLine).
type lineClues struct {
	lines []string
	bits  []uint16 // per line: what is found (have*) and its clue bits
	roles []string
	join  []byte       // lines joined (joined)
	last  [2]lastEndAt // lastEnd's last answers, without verb and with it
}

// joined is strings.TrimSpace(strings.Join(lc.lines[i:k+1], " ")), for
// k > i in lc's buffer (no allocation a line; the string lives until the
// next call, and bareAttribution's tests keep nothing of it).
func (lc *lineClues) joined(i, k int) string {
	if k == i {
		return strings.TrimSpace(lc.lines[i])
	}
	b := append(lc.join[:0], lc.lines[i]...)
	for _, l := range lc.lines[i+1 : k+1] {
		b = append(b, ' ')
		b = append(b, l...)
	}
	lc.join = b
	if len(b) == 0 {
		return ""
	}
	return strings.TrimSpace(unsafe.String(&b[0], len(b)))
}

// The bits of a line's clues: have* say which parts are found.
const (
	haveScan   = 1 << iota // verb, digit, at
	haveEnd                // end
	haveSuffix             // suffix
	haveRole               // role
	clueVerb               // clues.verb
	clueDigit              // clues.digit
	clueAt                 // clues.at
	clueEnd                // clues.end
	clueSuffix             // endsWithQuoteVerb: verbAtEnd is verb && suffix
)

// cluesOfLines gives the clues of lines, to be found as asked.
func cluesOfLines(lines []string) *lineClues {
	lc := new(lineClues)
	lc.reset(lines)
	return lc
}

// reset makes lc the clues of lines, none found yet, reusing its buffers.
func (lc *lineClues) reset(lines []string) {
	lc.lines = lines
	n := len(lines)
	if cap(lc.bits) < n {
		lc.bits, lc.roles = make([]uint16, n), make([]string, n)
	}
	lc.bits, lc.roles = lc.bits[:n], lc.roles[:n]
	clear(lc.bits)
	lc.last = [2]lastEndAt{}
	if cap(lc.join) > 4<<10 {
		lc.join = nil // a hostile line grew it: not kept in the pool
	}
}

// scanBits gives line k's bits with its verb, digit and at clues found.
func (lc *lineClues) scanBits(k int) uint16 {
	b := lc.bits[k]
	if b&haveScan == 0 {
		l := lc.lines[k]
		c, ok := asciiClues(l)
		if !ok {
			c = clues{verb: hasQuoteVerb(l), digit: strings.ContainsAny(l, "0123456789"), at: strings.Contains(l, "@")}
		}
		b |= haveScan
		if c.verb {
			b |= clueVerb
		}
		if c.digit {
			b |= clueDigit
		}
		if c.at {
			b |= clueAt
		}
		lc.bits[k] = b
	}
	return b
}

// scan gives line k's verb, digit and at clues.
func (lc *lineClues) scan(k int) clues {
	b := lc.scanBits(k)
	return clues{verb: b&clueVerb != 0, digit: b&clueDigit != 0, at: b&clueAt != 0}
}

// endsLike says whether line k ends like a header: its end clue, or with
// verb its verbAtEnd clue (verb && suffix). Each part is found only when
// it decides: the suffix only with verb, for a line that does not end
// like a header and whose verb scan, if done, found a verb.
func (lc *lineClues) endsLike(k int, verb bool) bool {
	b := lc.bits[k]
	if b&haveEnd == 0 {
		b |= haveEnd
		if endsLikeHeader(lc.lines[k]) {
			b |= clueEnd
		}
		lc.bits[k] = b
	}
	if b&clueEnd != 0 {
		return true
	}
	if !verb || b&haveScan != 0 && b&clueVerb == 0 {
		return false
	}
	return lc.suffix(k) && lc.scanBits(k)&clueVerb != 0
}

// suffix is line k's suffix clue: it ends with a quote verb needle
// (endsWithQuoteVerb).
func (lc *lineClues) suffix(k int) bool {
	b := lc.bits[k]
	if b&haveSuffix == 0 {
		b |= haveSuffix
		if endsWithQuoteVerb(trimRightSpace(lc.lines[k])) {
			b |= clueSuffix
		}
		lc.bits[k] = b
	}
	return b&clueSuffix != 0
}

// role is line k's field role (fieldRole).
func (lc *lineClues) role(k int) string {
	if lc.bits[k]&haveRole == 0 {
		lc.roles[k] = fieldRole(lc.lines[k])
		lc.bits[k] |= haveRole
	}
	return lc.roles[k]
}

// all is every clue of line k, as cluesOf and fieldRole give them.
func (lc *lineClues) all(k int) clues {
	lc.endsLike(k, true)
	c := lc.scan(k)
	c.end = lc.bits[k]&clueEnd != 0
	c.verbAtEnd = c.verb && lc.suffix(k)
	c.role = lc.role(k)
	return c
}

// over is the verb, digit and at clues of lines [i, i+n).
func (lc *lineClues) over(i, n int) clues {
	var b uint16
	for k := i; k < len(lc.lines) && k < i+n; k++ {
		b |= lc.scanBits(k)
	}
	return clues{verb: b&clueVerb != 0, digit: b&clueDigit != 0, at: b&clueAt != 0}
}

// lastEnd is the last of lines [i, i+n) that ends like a header (its end
// clue, or with verb its verbAtEnd clue), or -1. Asked at line i after
// line i-1 with the same n and verb (cutQuotes walks line by line), it
// looks only at the line the window gained: the answer is that line if
// it ends like a header, else the one before's answer if it is still in
// the window, else -1.
func (lc *lineClues) lastEnd(i, n int, verb bool) int {
	slot := &lc.last[0]
	if verb {
		slot = &lc.last[1]
	}
	res := -1
	if slot.ok && slot.i == i-1 && slot.n == n {
		if k := i + n - 1; k < len(lc.lines) && lc.endsLike(k, verb) {
			res = k
		} else if slot.res >= i {
			res = slot.res
		}
	} else {
		for k := min(len(lc.lines), i+n) - 1; k >= i; k-- {
			if lc.endsLike(k, verb) {
				res = k
				break
			}
		}
	}
	*slot = lastEndAt{i: i, n: n, res: res, ok: true}
	return res
}

// lastEndAt is one lastEnd answer, for the next line's.
type lastEndAt struct {
	i, n, res int
	ok        bool
}

// endsLikeAttribution says whether s ends the way verbEnd, verbColon and
// verbDateRe need: a colon (maybe followed by dashes) or two dashes.
func endsLikeAttribution(s string) bool {
	t := strings.TrimRight(s, " \t\n\f\r")
	return strings.HasSuffix(t, "--") || strings.HasSuffix(strings.TrimRight(t, " \t\n\f\r-"), ":")
}

// verbInTail says whether a quote verb, as a word, stands where verbEnd,
// verbColon and verbDateRe need it: after the last colon of s that is
// neither the final one nor part of a time ("10:26"), or right before that
// colon ("wrote:10:26 …:"). A cheap superset of those regexps, checked
// against them in TestAttributionPrefilters.
func verbInTail(s string) bool {
	t := foldVerb(strings.TrimSuffix(strings.TrimRight(s, " \t\n\f\r-"), ":"))
	for j := len(t) - 1; j >= 0; j-- {
		if t[j] != ':' {
			continue
		}
		// a time's colon sits between digits, and a digit is used by one
		// time only ("1:2:3" is not a time; "10:26:30" is)
		timeColon := j > 0 && isDigit(t[j-1]) && j+1 < len(t) && isDigit(t[j+1]) &&
			!(j >= 3 && t[j-2] == ':' && isDigit(t[j-3]))
		if timeColon {
			continue
		}
		if hasVerbWord(t[j+1:]) || endsWithVerbWord(t[:j]) {
			return true
		}
		return false
	}
	return hasVerbWord(t)
}

// hasVerbWord says whether lowercase t holds a quote verb needle with no
// letter touching it on either side.
func hasVerbWord(t string) bool {
	for _, n := range quoteVerbNeedles {
		for off := 0; off < len(t); {
			j := strings.Index(t[off:], n)
			if j < 0 {
				break
			}
			start, end := off+j, off+j+len(n)
			if letterBoundary(t, start) && !startsWithLetter(t[end:]) {
				return true
			}
			off = start + 1
		}
	}
	return false
}

// endsWithVerbWord says whether lowercase t ends with a quote verb needle
// with no letter before it.
func endsWithVerbWord(t string) bool {
	for _, n := range quoteVerbNeedles {
		if strings.HasSuffix(t, n) && letterBoundary(t, len(t)-len(n)) {
			return true
		}
	}
	return false
}

func letterBoundary(t string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(t[:i])
	return i == 0 || !unicode.IsLetter(r)
}

func startsWithLetter(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return t != "" && unicode.IsLetter(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// endsWithQuoteVerb says whether s may end with a quote verb, as verbBare
// needs.
func endsWithQuoteVerb(s string) bool {
	t := s
	for t != "" && isRESpace(t[len(t)-1]) { // strings.TrimRight(s, reSpace) without its cutset
		t = t[:len(t)-1]
	}
	if n := len(t) - maxNeedleLen; n <= 0 && isASCII(t) || n > 0 && isASCII(t[n:]) {
		// The last maxNeedleLen bytes are ASCII (whole characters, which
		// lowercase to ASCII): a needle that is a suffix of foldVerb(t)
		// lies within them, so it is an ASCII needle and a suffix of t
		// lowercased byte by byte. This replaces lowercasing a copy.
		if t == "" {
			return false
		}
		for _, n := range asciiNeedlesByLast[lowerASCII(t[len(t)-1])] {
			if hasSuffixFoldASCII(t, n) {
				return true
			}
		}
		return false
	}
	t = foldVerb(t)
	for _, n := range quoteVerbNeedles {
		if strings.HasSuffix(t, n) {
			return true
		}
	}
	return false
}

// foldVerb lowercases s for the needle checks. The regexps' (?i) also
// matches the long s "ſ" for "s", which lowercasing leaves alone.
func foldVerb(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ſ", "s")
}

// quoteVerbNeedles are the last words of the quote verbs, lowercased: a
// text none of them occurs in cannot match a verb regexp, whatever its
// spacing ("a  écrit" still holds "écrit").
var quoteVerbNeedles = func() []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range quoteVerbs {
		f := strings.Fields(strings.ToLower(v))
		if w := f[len(f)-1]; !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}()

// asciiNeedlesByLast are the quote verb needles that are ASCII by their
// last byte (a letter, lowercase); maxNeedleLen is the length in bytes of
// the longest needle.
var asciiNeedlesByLast, maxNeedleLen = func() (by [256][]string, long int) {
	for _, n := range quoteVerbNeedles {
		if isASCII(n) {
			by[n[len(n)-1]] = append(by[n[len(n)-1]], n)
		}
		long = max(long, len(n))
	}
	return by, long
}()

// hasSuffixFoldASCII is strings.HasSuffix(strings.ToLower(s), n) for a
// lowercase ASCII n and s whose last len(n) bytes are ASCII.
func hasSuffixFoldASCII(s, n string) bool {
	return len(s) >= len(n) && hasPrefixFoldASCII(s[len(s)-len(n):], n)
}

// hasQuoteVerb says whether s may hold a quote verb: one of the needles
// with no letter touching it on either side, as every verb regexp needs
// (a cheap check that keeps them off lines that cannot match; "present"
// does not hold "sent").
func hasQuoteVerb(s string) bool {
	if c, ok := asciiClues(s); ok {
		return c.verb
	}
	return hasVerbWord(foldVerb(s))
}

// testHookAttributionRe, when set (tests only), is called before each
// evaluation of the attribution regexps, so a test can count them instead
// of timing them.
var testHookAttributionRe func()

func attributionRe() {
	if testHookAttributionRe != nil {
		testHookAttributionRe()
	}
}

// attribution finds "On <date>, <someone> wrote:" and its relatives, which
// may wrap over several lines and may share its first line with the end of
// the reply ("reply On Wed, … wrote:"). The regexps are large, so each is
// tried only on text that has the clues it needs: a hostile body of
// "On Mon wrote" lines costs about what an ordinary one does.
//
// The sender's own last line may stand right above the header with no
// blank line between ("On Friday we ship the beta" above "On Wed, 4 Nov
// 2026 … wrote:"): a header is never taken to start on a line that only
// the lines below it make one.
func attribution(lines []string, lc *lineClues, i int) (header, bool) {
	first := lines[i]
	if len(first) > 1000 {
		return header{}, false
	}
	wrapped := dashWrapped(first)
	if wrapped && dashWrapRe.MatchString(first) {
		return header{kind: hdrReply, end: i + 1}, true
	}
	// Every header below ends a line within six of this one like one
	// (the opener's loop) or within three (bareAttribution), and the
	// lines up to that one hold what it needs.
	endLine := lc.lastEnd(i, 6, true)
	if endLine < 0 {
		return header{}, false
	}
	// "On …" or a localised opener somewhere in the first line; the
	// header it opens ends within six lines with a quote verb, so without
	// one there the opener is not looked for.
	// The loop below takes a header only where its lines have a verb, a
	// digit or an '@', and a line that ends like one.
	var opens [][]int
	if w := lc.over(i, endLine-i+1); w.verb && (w.digit || w.at) {
		opens = findOpeners(first, 4)
	}
	for _, m := range opens {
		start := m[2]
		prefix := strings.TrimRight(strings.TrimSpace(first[:m[0]]), "-–— ")
		joined := first[start:]
		last := i + 6
		if prefix != "" {
			// sharing a line with the reply: the header must end on it
			// too, and start with a capital ("reply On Wed, … wrote:",
			// not "what he said on 3 May, he wrote:")
			if r, _ := utf8.DecodeRuneInString(first[start:]); !unicode.IsUpper(r) || meridiem(first, m) {
				continue
			}
			last = i + 1
		}
		// clients wrap an attribution near the 78th column, so its first
		// piece is long and holds the date or the address: a first line
		// without either that needs the next ones is the sender's text
		wraps := strings.ContainsAny(joined, "0123456789@")
		var c clues
		blanks := 0
		for k := i; k < len(lines) && k < last; k++ {
			if k > i {
				// an attribution wraps over short lines, at most one of
				// them blank, and no sentence ends inside it
				prev := strings.TrimSpace(lines[k-1])
				if !wraps || prev != "" && strings.ContainsAny(prev[len(prev)-1:], ".!?") {
					break
				}
				if isBlank(lines[k]) {
					if blanks++; blanks > 1 {
						break
					}
					continue
				}
				if opensAttribution(lines[k]) {
					break // the header starts there; this line is the sender's
				}
				joined += " " + strings.TrimSpace(lines[k])
			}
			if len(joined) > 400 {
				break
			}
			if k == i {
				c = cluesOf(joined)
			} else {
				c = c.and(lines[k])
			}
			if !c.verb || !c.digit && !c.at {
				continue
			}
			if !(endsLikeAttribution(joined) && verbInTail(joined)) && !(c.digit && c.at && endsWithQuoteVerb(joined)) {
				continue
			}
			attributionRe()
			if verbEnd(joined) || c.digit && c.at && verbBare(joined) {
				return header{kind: hdrReply, prefix: prefix, end: k + 1}, true
			}
		}
	}
	// "<someone> <addr> wrote:" without an opener, or a date-led attribution.
	return bareAttribution(lines, lc, i, 3)
}

// meridiem says whether the opener matched at m is "AM" after a time
// ("at 10:00 AM Jane <jane@example.com> wrote:"), not German "Am".
func meridiem(s string, m []int) bool {
	w := s[m[2]:m[3]]
	p := strings.TrimRight(s[:m[2]], " \t")
	return w == strings.ToUpper(w) && p != "" && isDigit(p[len(p)-1])
}

// opensAttribution says whether a line starts with a capitalised opener
// and holds a digit, as an "On <date>, … wrote:" line does: a line above
// it cannot be the first piece of the same header.
func opensAttribution(l string) bool {
	if !strings.ContainsAny(l, "0123456789") {
		return false
	}
	m := nextOpener(l, 0)
	if m == nil || m[0] != 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(l[m[2]:])
	return unicode.IsUpper(r)
}

// bareAttribution finds an attribution without an opener, over at most
// span lines from i: "<someone> <addr> wrote:", a date-led one, or one in
// a script without spaces. A header that needs more than line i is not
// taken when its last line is one on its own and does not start with a
// wrapped address: the lines above are then the sender's ("We go live at
// 10:00" above "Jane <jane@example.com> wrote:").
func bareAttribution(lines []string, lc *lineClues, i, span int) (header, bool) {
	// Every form needs an address, a quote verb or a digit (a date).
	// and ends a line in ':', '-' or '>'.
	last := lc.lastEnd(i, span, false)
	if last < 0 {
		return header{}, false
	}
	if w := lc.over(i, last-i+1); !w.at && !w.verb && !w.digit {
		return header{}, false
	}
	digit := lc.scan(i).digit
	lead := digit && mayLeadDate(lines[i]) && dateLeadRe.MatchString(lines[i]) // a date-led line has a digit
	// whether line i may go on over the next lines, asked once (yearOrTime
	// needs a digit)
	wrapsOn := func() bool {
		return lead || strings.ContainsAny(lines[i], "@<") || digit && hasYearOrTime(lines[i])
	}
	asked, goesOn := false, false
	var c clues
	for k := i; k < len(lines) && k < i+span; k++ {
		if k > i && isBlank(lines[k]) {
			break
		}
		if k > i && !asked {
			asked, goesOn = true, wrapsOn()
		}
		if k > i && !goesOn {
			break
		}
		joined := lc.joined(i, k)
		if len(joined) > 400 {
			break
		}
		c = c.or(lc.scan(k))
		found := false
		if c.at {
			attributionRe()
			// the cheap tests first; the conjunction is the same
			found = bracketEnded(joined) && hasYearOrTime(joined) && bracketEnd.MatchString(joined)
		}
		if !found && c.verb && (c.at || lead || c.digit) && endsLikeAttribution(joined) && verbInTail(joined) {
			attributionRe()
			found = (c.at || lead) && (verbColon.MatchString(joined) || k > i && verbEnd(joined)) ||
				c.digit && verbDateRe.MatchString(joined)
		}
		if !found && c.digit {
			found = cjkAttribution(joined, c.at)
		}
		if !found && lead && c.at {
			if strings.HasSuffix(joined, ":") {
				found = true
			} else if strings.HasSuffix(joined, ">") {
				return header{kind: hdrDateEmail, end: k + 1}, true
			}
		}
		if !found {
			continue
		}
		if k > i && !continuesAddress(lines[k]) {
			if h, ok := bareAttribution(lines, lc, k, 1); ok && h.kind == hdrReply {
				return header{}, false
			}
		}
		return header{kind: hdrReply, end: k + 1}, true
	}
	return header{}, false
}

// mayLeadDate says whether l may match dateLeadRe, without it: after
// white space it starts with a digit (the numeric date, or the day), or
// with a run of two to nine letters (the weekday; a longer run cannot be
// followed by the [.,] or white space the expression needs), at most two
// of ".,", white space, then a digit. Every match starts one of these
// ways, so it never says no where the expression says yes.
func mayLeadDate(l string) bool {
	i := 0
	for i < len(l) && isRESpace(l[i]) {
		i++
	}
	if i < len(l) && isDigit(l[i]) {
		return true
	}
	letters := 0
	for i < len(l) {
		r, size := utf8.DecodeRuneInString(l[i:])
		if !unicode.IsLetter(r) {
			break
		}
		letters++
		i += size
	}
	if letters < 2 || letters > 9 {
		return false
	}
	for k := 0; k < 2 && i < len(l) && (l[i] == '.' || l[i] == ','); k++ {
		i++
	}
	if i >= len(l) || !isRESpace(l[i]) {
		return false
	}
	for i < len(l) && isRESpace(l[i]) {
		i++
	}
	return i < len(l) && isDigit(l[i])
}

// continuesAddress says whether a line starts with an address, a bracket
// or a quote: the address or name that a client wrapped onto a line of its
// own ("pá 21. 11. 2025 v 1:00 odesílatel Stephen Rothwell" above
// "<sfr@canb.auug.org.au> napsal:"), which belongs to the line above.
func continuesAddress(l string) bool {
	t := strings.TrimLeft(l, " \t")
	if t == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	if strings.ContainsRune("<[(\"'«“", r) {
		return true
	}
	word, _, _ := strings.Cut(t, " ")
	return strings.Contains(word, "@")
}

// cjkAttribution says whether s ends in one of cjkQuoteEnds and a colon,
// and holds an address, or a year and a time: "他在2026年的报告中写道：" (he
// wrote in his 2026 report) is the sender's.
func cjkAttribution(s string, at bool) bool {
	t := strings.TrimRight(s, " \t")
	if u := strings.TrimSuffix(t, "："); u != t {
		t = u
	} else if u := strings.TrimSuffix(t, ":"); u != t {
		t = u
	} else {
		return false
	}
	t = strings.TrimRight(t, " \t")
	for _, e := range cjkQuoteEnds {
		if strings.HasSuffix(t, e) {
			return at || cjkYear.MatchString(t) && cjkTime.MatchString(t)
		}
	}
	return false
}

var (
	cjkYear = lazyCompile(`(?:^|[^0-9])(?:19|20)[0-9]{2}(?:[^0-9]|$)`)
	cjkTime = lazyCompile(`(?:^|[^0-9])[0-9]{1,2}:[0-9]{2}(?:[^0-9]|$)`)
)

// fieldBlock recognises an Outlook-style header block (From:, Sent:, To:,
// Subject: in any of the lexicon's languages) starting at line i and
// returns the index after it. Wrapped values (a line that is not a field
// between two fields) belong to the block. With lone, a single From line
// whose value holds a bracketed address is a block too.
func fieldBlock(lines []string, lc *lineClues, i int, lone bool) (int, bool) {
	if lc.role(i) == "" {
		return 0, false
	}
	// the distinct roles seen, as a set (a block has at most twelve)
	var roles [12]string
	n, from, date := 0, false, false
	j := i
	for j < len(lines) && j < i+12 {
		role := lc.role(j)
		if role == "" {
			if j == i {
				return 0, false
			}
			// one wrapped line may continue a value
			if !isBlank(lines[j]) && j+1 < len(lines) && lc.role(j+1) != "" {
				j++
				continue
			}
			break
		}
		if !slices.Contains(roles[:n], role) {
			roles[n] = role
			n++
		}
		from, date = from || role == "from", date || role == "date"
		j++
	}
	if n >= 2 && (from || date) {
		return j, true
	}
	if lone && j == i+1 && from && bracketedAddress(lines[i]) {
		return j, true
	}
	return 0, false
}

// bracketedAddress says whether s holds an address in angle or square
// brackets ("<jane@example.com>", "[mailto:jane@example.com]").
func bracketedAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return false
	}
	open := strings.LastIndexAny(s[:at], "<[")
	if open < 0 || strings.ContainsAny(s[open+1:at], " \t") {
		return false
	}
	end := strings.IndexAny(s[at:], ">]")
	return end > 0 && !strings.ContainsAny(s[at:at+end], " \t")
}

// fieldShaped says whether line may match fieldRe: it has a colon, and
// before the first one only letters, " .'-", white space and '*', with a
// letter and at most 25 of the letters and " .'-" that are not spaces.
func fieldShaped(line string) bool {
	c := strings.IndexByte(line, ':')
	if c < 0 {
		return false
	}
	letters, n := 0, 0
	for _, r := range line[:c] {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' || r == '*':
		case r == '.' || r == '\'' || r == '-':
			n++
		case unicode.IsLetter(r):
			letters++
			n++
		default:
			return false
		}
	}
	return letters > 0 && n <= 25
}

// fieldRole gives the role of a header-field line, or "".
func fieldRole(line string) string {
	if !fieldShaped(line) {
		return "" // fieldRe cannot match
	}
	name, ok := fieldName(line)
	if !ok {
		return ""
	}
	if isASCII(name) {
		// the name's words lowercased and joined by one space, as below,
		// in a buffer the lookup does not keep (a name has at most 25
		// characters)
		var buf [32]byte
		n := 0
		for k := 0; k < len(name); k++ {
			c := name[k]
			if c == ' ' {
				if n > 0 && buf[n-1] != ' ' {
					buf[n] = ' '
					n++
				}
				continue
			}
			buf[n] = lowerASCII(c)
			n++
		}
		if n > 0 && buf[n-1] == ' ' {
			n--
		}
		return headerFields[string(buf[:n])]
	}
	return headerFields[strings.ToLower(strings.Join(strings.Fields(name), " "))]
}

// fieldName is fieldRe's field name, without it: fieldRe's match ends at
// the first colon (nothing it matches before the colon is one), so the
// text before it must be white space and at most one '*' (\s*\*?\s*),
// the name, then again white space and at most one '*'. The name is then
// the text from the first letter to the last character that is neither
// white space nor '*' (the shortest the lazy group may take; a longer one
// only adds spaces, which the caller drops), and must be one letter then
// at most 24 of letters and " .'-".
func fieldName(line string) (string, bool) {
	c := strings.IndexByte(line, ':')
	if c < 0 {
		return "", false
	}
	p := line[:c]
	a := 0
	for a < len(p) && isRESpace(p[a]) {
		a++
	}
	if a < len(p) && p[a] == '*' {
		a++
	}
	for a < len(p) && isRESpace(p[a]) {
		a++
	}
	z, stars := len(p), 0
	for z > a && (isRESpace(p[z-1]) || p[z-1] == '*') {
		if p[z-1] == '*' {
			stars++
		}
		z--
	}
	if stars > 1 || a == z {
		return "", false
	}
	name := p[a:z]
	runes := 0
	for k, r := range name {
		runes++
		switch {
		case k == 0 && !unicode.IsLetter(r):
			return "", false
		case unicode.IsLetter(r) || r == ' ' || r == '.' || r == '\'' || r == '-':
		default:
			return "", false
		}
	}
	return name, runes <= 25
}

// lowerASCII lowercases an ASCII letter and leaves any other byte alone.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
