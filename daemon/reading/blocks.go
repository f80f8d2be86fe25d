package reading

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Read reads text with the default lexicon.
func Read(text string) Doc { return Default.Read(text) }

// line is one physical line with what its start says it is.
type line struct {
	raw    string
	text   string // without indentation, bullet or quote marks
	indent int
	kind   lineKind
	depth  int // quote level
	marker Marker
	number bool // a numbered item
	// runes and runesTab are the rune counts of raw without its trailing
	// spaces, and without its trailing spaces and tabs: counted once, by
	// wrapWidth, for the text, item and quote lines (the lines wrapped
	// asks about), as the two measures wrapWidth and wrapped take.
	runes, runesTab int
}

type lineKind int

const (
	lBlank lineKind = iota
	lText
	lItem
	lQuote
	lRow
	lRule  // a table separator row (|---|---|, +----+)
	lFence // ```
	lHashHeading
	lUnderline // === or --- under a line
)

// Read reads a message's visible text (decoded, format=flowed undone) into
// blocks and sentences.
func (lx *Lexicon) Read(text string) Doc {
	sc := readScratch.Get().(*readBuffers)
	defer sc.release()
	blocks, sentences := lx.readInto(text, sc, false)
	return Doc{Blocks: cloneOrNil(blocks), Sentences: cloneOrNil(sentences)}
}

// JudgeText is Judge(Read(text)) with the default lexicon.
func JudgeText(text string) Verdict { return Default.JudgeText(text) }

// JudgeText is Judge(Read(text)) without keeping the model: the blocks and
// sentences live in pooled buffers while they are judged (Parse reads
// every message's health and keeps only the verdict), the unwrapped
// paragraphs in a pooled arena; the verdict's sentence and hits are
// copied out of it.
func (lx *Lexicon) JudgeText(text string) Verdict {
	sc := readScratch.Get().(*readBuffers)
	defer sc.release()
	_, sentences := lx.readInto(text, sc, true)
	v := lx.Judge(Doc{Sentences: sentences})
	v.Sentence = sc.arena.keep(v.Sentence)
	for _, j := range v.Judged {
		for k := range j.Hits {
			j.Hits[k].Phrase = sc.arena.keep(j.Hits[k].Phrase) // a word of a sentence
		}
	}
	return v
}

// readInto reads text into sc's buffers, and returns them filled: valid
// until sc is released. With inArena, the paragraphs a block's lines are
// joined into are cut from sc.arena (valid until the release, too).
func (lx *Lexicon) readInto(text string, sc *readBuffers, inArena bool) ([]Block, []Sentence) {
	return lx.readSentencesInto(text, sc, inArena, true)
}

// readSentencesInto is readInto that, without info, leaves out the
// sentences of the blocks in an Info section: judge says nothing of them
// (context, not news), so a caller that wants only what the sentences
// say, not where they are (JudgeTextHits: no sentence index), need not
// split those blocks into them.
func (lx *Lexicon) readSentencesInto(text string, sc *readBuffers, inArena, info bool) ([]Block, []Sentence) {
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	lines := slices.Grow(sc.lines[:0], strings.Count(text, "\n")+1) // one per line end, and the last
	for rest := text; ; {
		r, after, more := strings.Cut(rest, "\n")
		lines = append(lines, line{})
		classify(&lines[len(lines)-1], r)
		if !more {
			break
		}
		rest = after
	}
	sc.lines = lines
	width := wrapWidth(lines, &sc.lens)
	b := builder{lx: lx, lines: lines, width: width, parts: sc.parts}
	if inArena {
		// A block joins lines of the text with one byte for each line
		// end between them: all of them fit in len(text) bytes, and the
		// arena's buffer never moves while they are written.
		sc.arena.reset()
		sc.arena.grow(len(text))
		b.arena = &sc.arena
	}
	b.blocks = sc.blocks[:0]
	b.build()
	sc.blocks, sc.parts = b.blocks, b.parts
	ss := sc.sentences[:0]
	for i := range sc.blocks {
		bl := &sc.blocks[i] // read only: a block is large
		if !info && bl.Section == Info {
			continue
		}
		switch bl.Kind {
		case Paragraph, Item, Quote:
			eachSentence(bl.Text, func(s string) {
				ss = append(ss, Sentence{Text: s, Block: i, Kind: bl.Kind, Section: bl.Section, Marker: bl.Marker})
			})
		case Row:
			if s := rowSentence(*bl); s != "" {
				ss = append(ss, Sentence{Text: s, Block: i, Kind: Row, Section: bl.Section, Marker: bl.Marker})
			}
		}
	}
	sc.sentences = ss
	return sc.blocks, sc.sentences
}

// release clears sc's buffers (pooled, they must not keep a text alive)
// and gives it back.
func (sc *readBuffers) release() {
	clear(sc.lines)
	clear(sc.blocks)
	clear(sc.sentences)
	clear(sc.parts[:cap(sc.parts)])
	sc.lines, sc.blocks, sc.sentences = sc.lines[:0], sc.blocks[:0], sc.sentences[:0]
	sc.arena.reset()
	readScratch.Put(sc)
}

// cloneOrNil copies s into a slice of its length, nil when it is empty
// (as appending to nil left it).
func cloneOrNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// readBuffers are the buffers one Read uses and gives back.
type readBuffers struct {
	lines     []line
	lens      []int
	parts     []string
	blocks    []Block
	sentences []Sentence
	arena     arena // JudgeText's unwrapped paragraphs
}

var readScratch = sync.Pool{New: func() any { return new(readBuffers) }}

// rowSentence says a table row as a phrase: "Card vault migration — Priya,
// On track".
func rowSentence(b Block) string {
	var parts []string
	for _, c := range b.Cells {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return parts[0] + " — " + strings.Join(parts[1:], ", ")
}

// wrapWidth estimates the width the writer's mail client wrapped at: the
// 90th percentile of the lengths of the longer text lines.
// It counts each such line's runes into lines (line.runes, runesTab).
func wrapWidth(lines []line, buf *[]int) int {
	ls := (*buf)[:0]
	defer func() { *buf = ls }()
	for i := range lines {
		l := &lines[i]
		if l.kind == lText || l.kind == lItem || l.kind == lQuote {
			l.runes, l.runesTab = lineRunes(l.raw)
			if n := l.runes; n >= 30 {
				ls = append(ls, n)
			}
		}
	}
	if len(ls) == 0 {
		return 72
	}
	return max(percentile90(ls), 40)
}

// percentile90 is ls[len(ls)*9/10] of ls sorted, for lengths of at least
// 30 (ls is left in any order): counted into a histogram when they are
// all under 30+histWidth (the lines of most mail), one pass where
// slices.Sort took n log n compares; sorted otherwise.
func percentile90(ls []int) int {
	k := len(ls) * 9 / 10
	var hist [histWidth]int32
	for _, n := range ls {
		if n-30 >= histWidth {
			slices.Sort(ls)
			return ls[k]
		}
		hist[n-30]++
	}
	// The k-th smallest (from 0): the length whose counts, with those of
	// the shorter ones, first pass k.
	for v, c := range hist {
		if k < int(c) {
			return v + 30
		}
		k -= int(c)
	}
	panic("unreachable: k < len(ls)")
}

// histWidth is how many lengths percentile90 counts (from 30 runes on).
const histWidth = 256

// lineRunes is utf8.RuneCountInString(strings.TrimRight(raw, " ")) and
// utf8.RuneCountInString(strings.TrimRight(raw, " \t")): the second
// string is the first without its trailing tabs and spaces, which are
// one byte and one rune each.
// raw is valid UTF-8 (readInto made the text so).
func lineRunes(raw string) (spaces, tabs int) {
	a := len(raw) // strings.TrimRight(raw, " ") is raw[:a]
	for a > 0 && raw[a-1] == ' ' {
		a--
	}
	b := a // strings.TrimRight(raw, " \t") is raw[:b]
	for b > 0 && (raw[b-1] == ' ' || raw[b-1] == '\t') {
		b--
	}
	n := validRuneCount(raw[:a])
	return n, n - (a - b)
}

// validRuneCount is utf8.RuneCountInString(s) for a valid UTF-8 s: the
// number of its bytes that start a rune, all but the continuation bytes
// (10xxxxxx), counted eight bytes at a time: x&^(x<<1)&hi has a byte's
// bit 7 set iff that byte's bit 7 is set and its bit 6 is not (the shift
// puts each byte's bit 6 on its bit 7; the bit shifted in from the byte
// below lands on bit 0, masked off).
func validRuneCount(s string) int {
	const hi = 0x8080808080808080
	cont := 0
	i := 0
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if x&hi != 0 { // ASCII has none
			cont += bits.OnesCount64(x &^ (x << 1) & hi)
		}
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			cont++
		}
	}
	return len(s) - cont
}

// isBullet says whether a line starting with r and a space is a list item.
func isBullet(r rune) bool {
	switch r {
	case '-', '*', '•', '+', '–', '·', '▪', '◦', '‣', '○', '►', '→':
		return true
	}
	return false
}

// markerGlyphs are status emoji and check marks at the start of a line.
var markerGlyphs = []struct {
	glyph  string
	marker Marker
}{
	{"✅", Checked}, {"☑️", Checked}, {"☑", Checked}, {"✔️", Checked}, {"✔", Checked}, {"✓", Checked},
	{"☐", Open}, {"⬜", Open},
	{"🟢", Green}, {"💚", Green},
	{"🟡", Amber}, {"🟠", Amber}, {"⚠️", Amber}, {"⚠", Amber}, {"🟨", Amber}, {"🟧", Amber},
	{"🔴", Red}, {"❌", Red}, {"🛑", Red}, {"⛔", Red}, {"🟥", Red}, {"✖", Red},
	{"➡️", NoMarker}, {"👉", NoMarker}, {"🚀", NoMarker}, {"🎉", NoMarker}, {"📌", NoMarker},
}

// classify reads what a line's start says it is into *l (in place: a
// line is large, and readInto classifies every line).
func classify(l *line, raw string) {
	*l = line{raw: raw}
	trimmed := trimBlankRight(raw)
	body := trimBlankLeft(trimmed)
	l.indent = indentOf(trimmed[:len(trimmed)-len(body)])
	if body == "" {
		return
	}
	switch {
	case strings.HasPrefix(body, "```") || strings.HasPrefix(body, "~~~"):
		l.kind = lFence
		return
	case body[0] == '>':
		d := 0
		for body != "" && body[0] == '>' {
			d++
			body = strings.TrimLeft(body[1:], " ")
		}
		l.kind, l.depth, l.text = lQuote, d, body
		return
	case isRule(body):
		l.kind = lRule
		return
	case rowBars(body):
		l.kind, l.text = lRow, body
		return
	case body[0] == '#':
		n := 0
		for n < len(body) && body[n] == '#' {
			n++
		}
		if n <= 6 && n < len(body) && body[n] == ' ' {
			l.kind, l.depth, l.text = lHashHeading, n, strings.TrimSpace(strings.TrimRight(body[n:], "# "))
			return
		}
	}
	if isUnderline(body) {
		l.kind, l.text = lUnderline, body
		return
	}
	// Status glyphs and check boxes at the start (every glyph starts with
	// a byte of a multibyte rune: an ASCII start has none).
	for _, g := range markerGlyphs {
		if body[0] < utf8.RuneSelf {
			break
		}
		if rest, ok := strings.CutPrefix(body, g.glyph); ok {
			rest = strings.TrimLeft(strings.TrimPrefix(rest, "\ufe0f"), " ")
			if rest != "" {
				l.kind, l.text, l.marker = lItem, rest, g.marker
				return
			}
		}
	}
	if len(body) > 3 && body[0] == '[' && body[2] == ']' && body[3] == ' ' {
		switch body[1] {
		case 'x', 'X':
			l.marker = Checked
		case ' ':
			l.marker = Open
		}
		if l.marker != NoMarker {
			l.kind, l.text = lItem, strings.TrimSpace(body[4:])
			return
		}
	}
	r, size := utf8.DecodeRuneInString(body)
	if isBullet(r) && len(body) > size && (body[size] == ' ' || body[size] == '\t') {
		rest := strings.TrimSpace(body[size:])
		// "[x] done" after a bullet
		if len(rest) > 3 && rest[0] == '[' && rest[2] == ']' && rest[3] == ' ' {
			switch rest[1] {
			case 'x', 'X':
				l.marker, rest = Checked, strings.TrimSpace(rest[4:])
			case ' ':
				l.marker, rest = Open, strings.TrimSpace(rest[4:])
			}
		}
		for _, g := range markerGlyphs {
			if rest == "" || rest[0] < utf8.RuneSelf {
				break // no glyph starts with an ASCII byte
			}
			if after, ok := strings.CutPrefix(rest, g.glyph); ok && g.marker != NoMarker {
				l.marker, rest = g.marker, strings.TrimLeft(strings.TrimPrefix(after, "\ufe0f"), " ")
				break
			}
		}
		l.kind, l.text = lItem, rest
		return
	}
	if n := numberedPrefix(body); n > 0 {
		l.kind, l.text, l.number = lItem, strings.TrimSpace(body[n:]), true
		return
	}
	l.kind, l.text = lText, body
}

// trimBlankLeft is strings.TrimLeft(s, " \t\u00a0") without the rune
// set: classify runs on every line.
func trimBlankLeft(s string) string {
	for {
		switch {
		case s != "" && (s[0] == ' ' || s[0] == '\t'):
			s = s[1:]
		case strings.HasPrefix(s, "\u00a0"):
			s = s[2:]
		default:
			return s
		}
	}
}

// trimBlankRight is strings.TrimRight(s, " \t\u00a0").
func trimBlankRight(s string) string {
	for {
		switch {
		case s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t'):
			s = s[:len(s)-1]
		case strings.HasSuffix(s, "\u00a0"):
			s = s[:len(s)-2]
		default:
			return s
		}
	}
}

func indentOf(s string) int {
	n := 0
	for _, c := range s {
		if c == '\t' {
			n += 4
		} else {
			n++
		}
	}
	return n
}

// numberedPrefix returns the length of "1. ", "12) ", "a) ", "(3) " at
// the start of s, or 0.
func numberedPrefix(s string) int {
	i := 0
	paren := false
	if i < len(s) && s[i] == '(' {
		paren = true
		i++
	}
	d := i
	for i < len(s) && i-d < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == d {
		// a single letter: "a) "
		if i < len(s) && s[i] >= 'a' && s[i] <= 'h' && i+1 < len(s) && s[i+1] == ')' {
			i++
		} else {
			return 0
		}
	}
	if i >= len(s) {
		return 0
	}
	switch {
	case s[i] == ')' || (!paren && s[i] == '.'):
		i++
	default:
		return 0
	}
	if i < len(s) && s[i] == ' ' {
		return i + 1
	}
	return 0
}

// isRule is a table separator: |---|:--:| or +-----+-----+.
// One pass: it fails at the first other character (most lines: the first)
// where it first looked for a | or + in the whole line.
func isRule(s string) bool {
	dashes, bars := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-', '=':
			dashes++
		case '|', '+':
			bars = true
		case ':', ' ':
		default:
			return false // any other byte, of any rune
		}
	}
	return bars && dashes >= 3
}

// rowBars says whether a line's bars make it a table row: two or more,
// or one at either end.
func rowBars(body string) bool {
	i := strings.IndexByte(body, '|')
	if i < 0 {
		return false
	}
	return strings.IndexByte(body[i+1:], '|') >= 0 || body[0] == '|' || body[len(body)-1] == '|'
}

// isUnderline is a line of === or --- (a Setext heading's underline).
func isUnderline(s string) bool {
	if len(s) < 3 {
		return false
	}
	c := s[0]
	if c != '=' && c != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != c {
			return false
		}
	}
	return true
}

// builder turns classified lines into blocks.
type builder struct {
	lx     *Lexicon
	lines  []line
	width  int
	blocks []Block

	section     Section
	heading     string
	lang        string
	headingHash int // the # level of the current heading, 0 for others
	header      []string
	inTable     bool
	parts       []string // a block's lines, reused from block to block
	// arena, when set, holds the paragraphs unwrap joins (JudgeText's,
	// which do not outlive it); else each is a string of its own.
	arena *arena
}

func (b *builder) build() {
	ls := b.lines
	for i := 0; i < len(ls); i++ {
		l := &ls[i] // read only: a line is large
		switch l.kind {
		case lBlank:
			b.inTable = false
		case lFence:
			j := i + 1
			var code []string
			for j < len(ls) && ls[j].kind != lFence {
				code = append(code, ls[j].raw)
				j++
			}
			b.add(Block{Kind: Code, Text: strings.Join(code, "\n")})
			i = j
		case lHashHeading:
			b.heading1(l.text, l.depth)
		case lRule:
			// A separator under a first row makes that row the header.
			if n := len(b.blocks); n > 0 && b.blocks[n-1].Kind == Row && b.header == nil && b.inTable && i > 0 && ls[i-1].kind == lRow {
				b.header = b.blocks[n-1].Cells
				b.blocks = b.blocks[:n-1]
			}
			b.inTable = true
		case lRow:
			cells := splitCells(l.text)
			if !b.inTable {
				b.header = nil
				// A first row of column names is the header, even without
				// a |---| line under it: "Workstream | Owner | Blocked".
				if i+1 < len(ls) && (ls[i+1].kind == lRow || ls[i+1].kind == lRule) && b.columnNames(cells) {
					b.header, b.inTable = cells, true
					continue
				}
			}
			bl := Block{Kind: Row, Cells: cells, Header: b.header, Text: strings.Join(cells, " | ")}
			bl.Marker = b.cellMarker(cells, b.header)
			b.inTable = true
			b.add(bl)
		case lQuote:
			j := i + 1
			parts := append(b.parts[:0], l.text)
			for j < len(ls) && ls[j].kind == lQuote && ls[j].depth == l.depth && ls[j].text != "" {
				parts = append(parts, ls[j].text)
				j++
			}
			b.add(Block{Kind: Quote, Text: b.unwrap(parts, ls[i:j]), Depth: l.depth})
			i = j - 1
		case lItem:
			j := i + 1
			parts := append(b.parts[:0], l.text)
			for j < len(ls) && b.continues(&ls[j-1], &ls[j], l.indent, true) {
				parts = append(parts, ls[j].text)
				j++
			}
			b.add(Block{Kind: Item, Text: b.unwrap(parts, ls[i:j]), Marker: l.marker, Depth: l.indent / 2})
			i = j - 1
		case lUnderline:
			// A stray underline (its text line was handled): ignore.
		case lText:
			// A Setext heading: a short line with === or --- under it.
			if i+1 < len(ls) && ls[i+1].kind == lUnderline && utf8.RuneCountInString(l.text) <= 60 {
				b.heading1(l.text, 0)
				i++
				continue
			}
			if h, ok := standaloneHeading(l.text); ok && (i+1 >= len(ls) || ls[i+1].kind != lText || b.knownHeading(h)) {
				b.heading1(h, 0)
				continue
			}
			// A section's name alone on its line, then a blank line or a
			// list: a heading as an HTML <h2> or a plain "Risks" comes out.
			if i+1 >= len(ls) || ls[i+1].kind == lBlank || ls[i+1].kind == lItem {
				if b.isSectionName(l.text) {
					b.heading1(l.text, 0)
					continue
				}
			}
			// "Next: remove the 1.x path": a section for this paragraph
			// only; the text after it is back in the enclosing section.
			restore := false
			var saved struct {
				section       Section
				heading, lang string
				hash          int
			}
			first := l.text // the paragraph's first line's text
			if label, rest, ok := b.inlineHeading(l.text); ok {
				saved.section, saved.heading, saved.lang, saved.hash = b.section, b.heading, b.lang, b.headingHash
				restore = true
				b.heading1(label, 0)
				first = rest
			}
			j := i + 1
			parts := append(b.parts[:0], first)
			for j < len(ls) && b.continues(&ls[j-1], &ls[j], l.indent, false) {
				parts = append(parts, ls[j].text)
				j++
			}
			text := b.unwrap(parts, ls[i:j])
			bl := Block{Kind: Paragraph, Text: text}
			if b.section == Health {
				bl.Marker = b.wordMarker(text)
			}
			b.add(bl)
			if restore {
				b.section, b.heading, b.lang, b.headingHash = saved.section, saved.heading, saved.lang, saved.hash
			}
			i = j - 1
		}
	}
}

// continues says whether next carries on the block whose last line is
// prev: a text line right after it that is indented as a continuation (for
// items) or that the writer's wrapping broke off.
func (b *builder) continues(prev, next *line, indent int, item bool) bool {
	if next.kind != lText {
		return false
	}
	if _, ok := standaloneHeading(next.text); ok && b.knownHeading(next.text) {
		return false
	}
	if _, _, ok := b.inlineHeading(next.text); ok {
		return false
	}
	if item {
		return next.indent > indent || b.wrapped(prev, next.text)
	}
	return true
}

// unwrap joins a block's lines: a line the wrapping broke off is joined
// with a space; a line the writer ended early keeps its break, which ends
// a sentence.
// parts may be b.parts: b keeps it for the next block.
func (b *builder) unwrap(parts []string, ls []line) string {
	b.parts = parts[:0]
	if len(parts) == 1 {
		return parts[0]
	}
	if a := b.arena; a != nil {
		// The same bytes as below, in the arena.
		from := len(a.buf)
		for k, p := range parts {
			if k > 0 {
				if b.wrapped(&ls[k-1], p) {
					a.buf = append(a.buf, ' ')
				} else {
					a.buf = append(a.buf, '\n')
				}
			}
			a.buf = append(a.buf, p...)
		}
		return a.string(from)
	}
	var sb strings.Builder
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	sb.Grow(n)
	for k, p := range parts {
		if k > 0 {
			if b.wrapped(&ls[k-1], p) {
				sb.WriteByte(' ')
			} else {
				sb.WriteByte('\n')
			}
		}
		sb.WriteString(p)
	}
	return sb.String()
}

// wrapped says whether the break after prev was the mail client's: the
// next word would not have fit on the line, or the text runs on in
// lowercase after a line that does not end a sentence.
func (b *builder) wrapped(prev *line, next string) bool {
	pl := prev.runesTab // utf8.RuneCountInString(strings.TrimRight(prev.raw, " \t"))
	if prev.kind != lText && prev.kind != lItem && prev.kind != lQuote {
		_, pl = lineRunes(prev.raw) // a line wrapWidth did not count
	}
	first := next
	if i := strings.IndexByte(next, ' '); i >= 0 {
		first = next[:i]
	}
	if pl+1+utf8.RuneCountInString(first) > b.width*85/100 {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(prev.text, " "))
	r, _ := utf8.DecodeRuneInString(next)
	if strings.ContainsRune(".!?:;…", last) {
		return false
	}
	if unicode.IsLower(r) || last == ',' || last == '(' || last == '-' || last == '&' {
		return true
	}
	// "We launched the cutover on / Tuesday": no sentence ends in "on".
	if c := b.lx.gContinues; c != nil {
		if c.isLastWord(prev.text) {
			return true
		}
	}
	return false
}

func (b *builder) add(bl Block) {
	if bl.Kind != Code && strings.TrimSpace(bl.Text) == "" && len(bl.Cells) == 0 {
		return
	}
	bl.Section, bl.Heading, bl.Lang = b.section, b.heading, b.lang
	b.blocks = append(b.blocks, bl)
}

// heading1 starts a section.
func (b *builder) heading1(text string, hash int) {
	text = strings.TrimSpace(strings.Trim(strings.TrimSpace(text), "*_:"))
	// "## Description: The mission of …": the heading, then a paragraph.
	var rest string
	if label, r, ok := strings.Cut(text, ":"); ok && strings.TrimSpace(r) != "" && fieldCount(label, 5) <= 4 {
		text, rest = strings.TrimSpace(label), strings.TrimSpace(r)
	}
	kind, lang, known := b.sectionOf(text)
	switch {
	case known:
		b.section, b.lang = kind, lang
	case hash > 0 && (b.headingHash == 0 || hash <= b.headingHash):
		b.section, b.lang = None, ""
	}
	// An unknown sub-heading ("Community changes, past quarter:") keeps the
	// section it sits in.
	if known || hash > 0 {
		b.headingHash = hash
	}
	b.heading = text
	b.header, b.inTable = nil, false
	b.blocks = append(b.blocks, Block{Kind: Heading, Text: text, Section: b.section, Heading: text, Lang: b.lang})
	if rest != "" {
		bl := Block{Kind: Paragraph, Text: rest}
		if b.section == Health {
			bl.Marker = b.wordMarker(rest)
		}
		b.add(bl)
	}
}

// sectionOf names the kind of a heading: the whole heading, or its first
// words ("Next steps for Q3").
func (b *builder) sectionOf(text string) (Section, string, bool) {
	var buf [128]byte
	var ends [4]int
	key, n := appendWordsUpTo(buf[:0], text, ends[:], 4) // words(text), joined, the first 4 of them
	for n := min(n, 4); n >= 1; n-- {
		if s, ok := b.lx.sections[string(key[:ends[n-1]])]; ok {
			return s.kind, s.lang, true
		}
	}
	return None, "", false
}

// isSectionName reports whether a line is exactly a section's name
// ("Next steps", "Risiken"), with no sentence punctuation.
func (b *builder) isSectionName(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || strings.ContainsAny(t[len(t)-1:], ".!?,;") || fieldCount(t, 5) > 4 {
		return false
	}
	var buf [128]byte
	key, _ := appendWords(buf[:0], t, nil)
	_, ok := b.lx.sections[string(key)]
	return ok
}

func (b *builder) knownHeading(text string) bool {
	_, _, ok := b.sectionOf(strings.TrimSuffix(strings.TrimSpace(text), ":"))
	return ok
}

// standaloneHeading is a short line that is only a label: "Risks:",
// "**Next steps**", "WHAT SHIPPED".
func standaloneHeading(s string) (string, bool) {
	t := strings.TrimSpace(s)
	// At most 60 runes: len(t) > 240 (4 bytes a rune at most) has more;
	// a label of more than 60 bytes is counted, and only if it is one
	// (most lines are not: the count was most of the time here).
	if len(t) == 0 || len(t) > 240 {
		return "", false
	}
	h, ok := labelOf(t)
	if ok && len(t) > 60 && utf8.RuneCountInString(t) > 60 {
		return "", false
	}
	return h, ok
}

// labelOf is standaloneHeading on a trimmed line, but for its length.
func labelOf(t string) (string, bool) {
	switch {
	case strings.HasPrefix(t, "**") && strings.HasSuffix(strings.TrimSuffix(t, ":"), "**") && len(t) > 4:
		return strings.Trim(t, "*: "), true
	case strings.HasPrefix(t, "__") && strings.HasSuffix(t, "__") && len(t) > 4:
		return strings.Trim(t, "_: "), true
	case strings.HasSuffix(t, ":") && fieldCount(t, 7) <= 6 && !strings.ContainsAny(t[:len(t)-1], ".!?:"):
		return strings.TrimSuffix(t, ":"), true
	}
	// Capitals only: the first letter that is not a capital ends the
	// count (the test below needs upper == letters).
	letters, upper := 0, 0
	for _, r := range t {
		if r < utf8.RuneSelf {
			switch {
			case 'A' <= r && r <= 'Z':
				letters++
				upper++
				continue
			case 'a' <= r && r <= 'z':
				return "", false
			}
		}
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return "", false
			}
			upper++
		}
	}
	if letters >= 3 && upper == letters && fieldCount(t, 6) <= 5 {
		return t, true
	}
	return "", false
}

// inlineHeading is "Risks: nothing new" or "Still to do: decommission the
// brokers": a known section name, a colon, and its content.
func (b *builder) inlineHeading(s string) (label, rest string, ok bool) {
	label, rest, ok = strings.Cut(s, ":")
	if !ok || strings.TrimSpace(rest) == "" || fieldCount(label, 5) > 4 {
		return "", "", false
	}
	label = strings.Trim(strings.TrimSpace(label), "*_")
	var buf [128]byte
	var ends [1]int
	key, n := appendWords(buf[:0], label, ends[:])
	if n == 0 {
		return "", "", false
	}
	first := string(key[:ends[0]])       // words(label)[0]
	kind, _, known := b.sectionOf(label) // "Plan for next week: …" is a next step
	if !known {
		return "", "", false
	}
	// "Blocked: waiting for the vendor" is the news itself, not a heading
	// over it; only a line of its own names a blockers section.
	if kind == Risks && (first == "blocked" || first == "blocking") {
		return "", "", false
	}
	return label, strings.TrimSpace(rest), true
}

// columnNames reports whether cells look like a table's header: no
// figures, and at least one the lexicon knows as a column name.
func (b *builder) columnNames(cells []string) bool {
	known := false
	cols := b.lx.groups["columns"]
	for _, c := range cells {
		if hasDigit(c) {
			return false
		}
		if cols != nil && cols.isText(c) {
			known = true
		}
	}
	return known
}

func splitCells(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "|")
	s = strings.TrimSuffix(s, "|")
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// cellMarker reads a status cell: "On track", "At risk", "Red", 🔴.
func (b *builder) cellMarker(cells, header []string) Marker {
	worst := NoMarker
	for _, c := range cells {
		m := b.wordMarker(c)
		if m == NoMarker && c != "" && c[0] >= utf8.RuneSelf { // every glyph starts with a multibyte rune's byte
			for _, g := range markerGlyphs {
				if strings.HasPrefix(c, g.glyph) && g.marker != NoMarker {
					m = g.marker
					break
				}
			}
		}
		worst = worseMarker(worst, m)
	}
	return worst
}

// wordMarker reads a whole short text as a status word ("Red", "On
// track").
func (b *builder) wordMarker(s string) Marker {
	var buf [64]byte
	key, n := appendWordsUpTo(buf[:0], s, nil, 3) // words(s), joined, if at most 3
	if n == 0 || n > 3 {
		return NoMarker
	}
	return b.lx.markerWords[string(key)] // the first m of Red, Amber, Green with markers[m].is(words(s))
}

func worseMarker(a, b Marker) Marker {
	if markerRank(b) > markerRank(a) {
		return b
	}
	return a
}

// markerRank orders markers by how bad their news is: a switch where
// worseMarker built a map of them for every cell.
func markerRank(m Marker) int {
	switch m {
	case Checked, Green:
		return 1
	case Amber:
		return 2
	case Red:
		return 3
	}
	return 0 // NoMarker, Open, and any other (a map had none of those)
}
