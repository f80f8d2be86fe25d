// Code generated from reading's implementation at commit ef72470 (the
// reference for the agreement tests); DO NOT EDIT.

package reading

import (
	"bufio"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

type refPhrase struct {
	refWords []string
	text     string // as written in the file
	lang     string
}

// matches reports whether p matches ws at i.
func (p refPhrase) matches(ws []string, i int) bool {
	if i+len(p.refWords) > len(ws) {
		return false
	}
	for k, w := range p.refWords {
		got := ws[i+k]
		if stem, ok := strings.CutSuffix(w, "*"); ok {
			if !strings.HasPrefix(got, stem) {
				return false
			}
		} else if got != w {
			return false
		}
	}
	return true
}

type refPhraseSet struct {
	bit     uint64                 // this set's bit in Lexicon.firsts
	byFirst map[string][]refPhrase // exact first word
	stems   []refPhrase            // first word is a stem: checked by prefix
	whole   map[string]refPhrase   // the phrase as one string, for whole-text tests
	maxLen  int                    // the longest key of whole, in bytes
	// quick has, per first byte of a first word, a bit per length (up to
	// 63) of the first words starting with it: most words of a text are
	// ruled out without a map lookup.
	quick [256]uint64
}

func refNewPhraseSet() *refPhraseSet {
	return &refPhraseSet{byFirst: map[string][]refPhrase{}, whole: map[string]refPhrase{}}
}

func (s *refPhraseSet) add(text, lang string) {
	ws := refWords(text)
	if len(ws) == 0 {
		return
	}
	p := refPhrase{refWords: ws, text: text, lang: lang}
	key := strings.Join(ws, " ")
	s.whole[key] = p
	s.maxLen = max(s.maxLen, len(key))
	if strings.HasSuffix(ws[0], "*") {
		s.stems = append(s.stems, p)
		return
	}
	s.byFirst[ws[0]] = append(s.byFirst[ws[0]], p)
	s.quick[ws[0][0]] |= 1 << min(len(ws[0]), 63)
}

func (s *refPhraseSet) sort() {
	for _, ps := range s.byFirst {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].refWords) > len(ps[j].refWords) })
	}
}

// is reports whether the whole of ws is one of the set's phrases. It
// joins the words in a stack buffer (a map lookup of string(bytes) does
// not allocate), and words longer than every phrase are ruled out first.
func (s *refPhraseSet) is(ws []string) (refPhrase, bool) {
	n := len(ws) - 1
	for _, w := range ws {
		n += len(w)
	}
	if n > s.maxLen || len(ws) == 0 {
		return refPhrase{}, false
	}
	var buf [64]byte
	b := buf[:0]
	for i, w := range ws {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, w...)
	}
	p, ok := s.whole[string(b)]
	return p, ok
}

type refLexicon struct {
	sections  map[string]refSectionName // heading words joined by " " -> kind
	commands  map[string]string         // a reply's first word -> the command it means
	levels    map[string]*refPhraseSet  // "red", "amber", "green"
	flip      *refPhraseSet
	negators  *refPhraseSet
	resolved  *refPhraseSet
	nothing   *refPhraseSet
	markers   map[Marker]*refPhraseSet
	groups    map[string]*refPhraseSet // any other group, for other packages (asks, commands)
	languages []string

	// firsts has, per word, a bit for each set with a phrase starting
	// with it; stems the same for stem phrases. A sentence's words are
	// looked up once, and a set is asked only where its bit is set.
	firsts map[string]refFirstInfo
	// firstBloom holds the keys of firsts: most words are ruled out
	// without a map lookup.
	firstBloom refWordBloom
	stems      []refStemBit
	// levelSets are levels["red"], ["amber"], ["green"], in levelOrder.
	levelSets [3]*refPhraseSet
	// the groups asked for on every sentence or line, looked up once
	gContrast, gNeutral, gAmberTrend, gNegatedRed, gHedges, gStrongNeg, gRiskTopics, gContinues, gMetrics *refPhraseSet
}

var refLevelOrder = [3]Level{LevelRed, LevelAmber, LevelGreen}

type refStemBit struct {
	prefix string
	bit    uint64
}

type refWordBloom [1 << 10]uint64

func refBloomHash(w string) uint32 {
	h := uint32(len(w))*0x9e3779b1 ^ uint32(w[0])<<16 ^ uint32(w[len(w)-1])
	if len(w) > 1 {
		h ^= uint32(w[1]) << 8
	}
	h *= 0x85ebca6b
	return (h >> 16) & (1<<16 - 1)
}

func (b *refWordBloom) add(w string) { h := refBloomHash(w); b[h>>6] |= 1 << (h & 63) }

// may says whether w (not empty) may have been added.
func (b *refWordBloom) may(w string) bool { h := refBloomHash(w); return b[h>>6]&(1<<(h&63)) != 0 }

type refSent struct {
	ws    []string
	mask  []uint64
	cands [][]refCand // per word: the judged sets' phrases that start with it
}

type refCand struct {
	set *refPhraseSet
	p   refPhrase
}

type refFirstInfo struct {
	mask  uint64
	cands []refCand // longest first within each set
}

type refScratch struct {
	ws    []string
	mask  []uint64
	cands [][]refCand
	s     refSent
	spans []refTokenSpan
	// arena holds the changed words of one Judge's sentences: its strings
	// are never written again, so the words may outlive the Judge (a hit's
	// phrase).
	arena strings.Builder
	wm    []string // the words without clause marks
	// judged gathers a Judge's verdicts before they are copied out
	judged []Judged
}

var refScratches = sync.Pool{New: func() any { return new(refScratch) }}

// sentInto is newSent with sc's buffers.
func (lx *refLexicon) sentInto(sc *refScratch, ws []string) *refSent {
	if cap(sc.mask) < len(ws) {
		sc.mask = make([]uint64, len(ws), 2*len(ws))
		sc.cands = make([][]refCand, len(ws), 2*len(ws))
	}
	sc.mask, sc.cands = sc.mask[:len(ws)], sc.cands[:len(ws)]
	lx.fillMask(ws, sc.mask, sc.cands)
	sc.s = refSent{ws: ws, mask: sc.mask, cands: sc.cands}
	return &sc.s
}

func (lx *refLexicon) fillMask(ws []string, mask []uint64, cands [][]refCand) {
	for i, w := range ws {
		var info refFirstInfo
		if w != "" && lx.firstBloom.may(w) {
			info = lx.firsts[w]
		}
		m := info.mask
		cands[i] = info.cands
		for _, st := range lx.stems {
			if m&st.bit == 0 && strings.HasPrefix(w, st.prefix) {
				m |= st.bit
			}
		}
		mask[i] = m
	}
}

// atS is set.at on a sentence, skipping the words no phrase of set starts.
func (set *refPhraseSet) atS(s *refSent, i int) (p refPhrase, ok bool) {
	if set != nil && s.mask[i]&set.bit != 0 {
		p, ok = set.atWord(s, i)
	}
	return
}

// atWord is atS where the set's bit is set.
func (set *refPhraseSet) atWord(s *refSent, i int) (refPhrase, bool) {
	best, ok := refPhrase{}, false
	for _, c := range s.cands[i] {
		if c.set == set && len(c.p.refWords) > len(best.refWords) && c.p.matches(s.ws, i) {
			best, ok = c.p, true
		}
	}
	for _, p := range set.stems {
		if len(p.refWords) > len(best.refWords) && p.matches(s.ws, i) {
			best, ok = p, true
		}
	}
	return best, ok
}

type refSectionName struct {
	kind Section
	lang string
}

var refDefault = refMustLoad(lexiconFiles)

func refMustLoad(fsys fs.FS) *refLexicon {
	lx, err := refLoad(fsys)
	if err != nil {
		panic(err)
	}
	return lx
}

// Load reads every lexicon/*.txt of fsys.
func refLoad(fsys fs.FS) (*refLexicon, error) {
	lx := &refLexicon{
		sections: map[string]refSectionName{}, commands: map[string]string{},
		levels: map[string]*refPhraseSet{"red": refNewPhraseSet(), "amber": refNewPhraseSet(), "green": refNewPhraseSet()},
		flip:   refNewPhraseSet(), negators: refNewPhraseSet(), resolved: refNewPhraseSet(), nothing: refNewPhraseSet(),
		markers: map[Marker]*refPhraseSet{Green: refNewPhraseSet(), Amber: refNewPhraseSet(), Red: refNewPhraseSet()},
		groups:  map[string]*refPhraseSet{},
	}
	names, err := fs.Glob(fsys, "lexicon/*.txt")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		lang := strings.TrimSuffix(strings.TrimPrefix(name, "lexicon/"), ".txt")
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		err = lx.read(f, lang, name)
		f.Close()
		if err != nil {
			return nil, err
		}
		lx.languages = append(lx.languages, lang)
	}
	for k, l := range refLevelOrder {
		lx.levelSets[k] = lx.levels[string(l)]
	}
	lx.gContrast, lx.gNeutral, lx.gAmberTrend, lx.gNegatedRed = lx.groups["contrast"], lx.groups["neutral"], lx.groups["amber trend"], lx.groups["negated red"]
	lx.gHedges, lx.gStrongNeg, lx.gRiskTopics, lx.gContinues = lx.groups["hedges"], lx.groups["strong negators"], lx.groups["risk topics"], lx.groups["continues"]
	lx.gMetrics = lx.groups["metrics"]
	lx.firsts = map[string]refFirstInfo{}

	judged := map[*refPhraseSet]bool{lx.flip: true, lx.negators: true, lx.resolved: true, lx.nothing: true}
	for _, s := range lx.levels {
		judged[s] = true
	}
	for _, g := range []string{"contrast", "neutral", "amber trend", "metrics", "hedges", "negated red", "strong negators", "risk topics"} {
		if s, ok := lx.groups[g]; ok {
			judged[s] = true
		}
	}
	n := 0
	for _, s := range lx.all() {
		s.sort()
		if !judged[s] {
			continue
		}
		s.bit = 1 << (n % 64)
		n++
		for w, ps := range s.byFirst {
			info := lx.firsts[w]
			info.mask |= s.bit
			for _, p := range ps {
				info.cands = append(info.cands, refCand{s, p})
			}
			lx.firsts[w] = info
			lx.firstBloom.add(w)
		}
		for _, p := range s.stems {
			lx.stems = append(lx.stems, refStemBit{strings.TrimSuffix(p.refWords[0], "*"), s.bit})
		}
	}
	return lx, nil
}

func (lx *refLexicon) all() []*refPhraseSet {
	out := []*refPhraseSet{lx.flip, lx.negators, lx.resolved, lx.nothing}
	for _, s := range lx.levels {
		out = append(out, s)
	}
	for _, s := range lx.markers {
		out = append(out, s)
	}
	for _, s := range lx.groups {
		out = append(out, s)
	}
	return out
}

func (lx *refLexicon) read(r fs.File, lang, name string) error {
	sc := bufio.NewScanner(r)
	group := ""
	n := 0
	for sc.Scan() {
		n++
		refLine := sc.Text()
		if i := strings.Index(refLine, "#"); i >= 0 {
			refLine = refLine[:i]
		}
		refLine = strings.TrimSpace(refLine)
		if refLine == "" {
			continue
		}
		if strings.HasPrefix(refLine, "[") && strings.HasSuffix(refLine, "]") {
			group = strings.TrimSpace(refLine[1 : len(refLine)-1])
			continue
		}
		if group == "" {
			return fmt.Errorf("%s:%d: an entry before any [group]", name, n)
		}
		if group == "sections" {
			kind, list, ok := strings.Cut(refLine, ":")
			if !ok {
				return fmt.Errorf("%s:%d: want \"kind: name, name\"", name, n)
			}
			k := Section(strings.TrimSpace(kind))
			switch k {
			case Done, Progress, Risks, Next, Asks, Decisions, Health, Summary, Info:
			default:
				return fmt.Errorf("%s:%d: unknown section kind %q", name, n, kind)
			}
			for _, s := range strings.Split(list, ",") {
				if ws := refWords(s); len(ws) > 0 {
					lx.sections[strings.Join(ws, " ")] = refSectionName{k, lang}
				}
			}
			continue
		}
		if group == "commands" {
			kind, list, ok := strings.Cut(refLine, ":")
			if !ok {
				return fmt.Errorf("%s:%d: want \"command: word, word\"", name, n)
			}
			for _, w := range strings.Split(list, ",") {
				if ws := refWords(w); len(ws) > 0 {
					lx.commands[strings.Join(ws, " ")] = strings.TrimSpace(kind)
				}
			}
			continue
		}
		set := lx.set(group)
		for _, s := range strings.Split(refLine, ",") {
			if s = strings.TrimSpace(s); s != "" {
				set.add(s, lang)
			}
		}
	}
	return sc.Err()
}

func (lx *refLexicon) set(group string) *refPhraseSet {
	switch group {
	case "red", "amber", "green":
		return lx.levels[group]
	case "flip":
		return lx.flip
	case "negators":
		return lx.negators
	case "resolved":
		return lx.resolved
	case "nothing":
		return lx.nothing
	case "marker green":
		return lx.markers[Green]
	case "marker amber":
		return lx.markers[Amber]
	case "marker red":
		return lx.markers[Red]
	}
	s, ok := lx.groups[group]
	if !ok {
		s = refNewPhraseSet()
		lx.groups[group] = s
	}
	return s
}

// Command returns the reply command ("done", "snooze", "skip", "away") a
// reply's first word or two mean in any language ("erledigt", "fait",
// "más tarde"), and how many words that took.
func (lx *refLexicon) Command(ws []string) (string, int) {
	for n := min(len(ws), 3); n >= 1; n-- {
		if c, ok := lx.commands[strings.Join(ws[:n], " ")]; ok {
			return c, n
		}
	}
	return "", 0
}

// Mentions reports whether text holds a phrase of the lexicon's group
// ("asks"), on word boundaries, across any separators ("peux-tu").
func (lx *refLexicon) Mentions(group, text string) bool {
	return lx.MentionsLower(group, strings.ReplaceAll(strings.ToLower(text), "\u2019", "'"))
}

// MentionsLower is Mentions on text already lowercased (with ’ as '): it
// runs on every Inbox message, so it allocates nothing and tries a phrase
// only where its first word stands.
func (lx *refLexicon) MentionsLower(group, lower string) bool {
	g := lx.groups[group]
	if g == nil {
		return false
	}
	for i := 0; i < len(lower); {
		start, end := refNextWord(lower, i)
		if start < 0 {
			break
		}
		i = end
		w := lower[start:end]
		if g.quick[w[0]]&(1<<min(len(w), 63)) == 0 {
			continue
		}
		for _, p := range g.byFirst[w] {
			if refWordsAt(lower, end, p.refWords[1:]) {
				return true
			}
		}
	}
	return false
}

// nextWord finds the word at or after s[i]: its start and end, or -1.
func refNextWord(s string, i int) (int, int) {
	for i < len(s) {
		if c := s[i]; c < 0x80 {
			if refAsciiWord(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if refIsWordRune(r) {
			break
		}
		i += n
	}
	if i >= len(s) {
		return -1, -1
	}
	start := i
	for i < len(s) {
		if c := s[i]; c < 0x80 {
			if !refAsciiWord(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !refIsWordRune(r) {
			break
		}
		i += n
	}
	return start, i
}

// asciiWord is isWordRune for an ASCII byte of lowercased text.
func refAsciiWord(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\'' || 'A' <= c && c <= 'Z'
}

// wordsAt reports whether the words ws follow s[i], one separator run
// between each.
func refWordsAt(s string, i int, ws []string) bool {
	for _, w := range ws {
		start, end := refNextWord(s, i)
		if start < 0 || s[start:end] != w || start-i > 3 {
			return false
		}
		i = end
	}
	return true
}

func refIsWordRune(r rune) bool {
	return r == '\'' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Languages lists the languages the lexicon was read from.
func (lx *refLexicon) Languages() []string { return lx.languages }

const refClauseMark = ","

// tokensScratch splits a sentence into lowercase words, with a clauseMark
// for each comma, semicolon, colon, parenthesis or dash between words (a
// negation does not reach past one). A word that lowercasing leaves as it
// is (most) is a slice of the sentence itself; one that it changes (a
// capital, ’) is lowercased into sc.arena, an append-only string for the
// whole Judge, and sliced from there: most words cost no allocation, and
// the rest share a few.
func refTokensScratch(sc *refScratch, s string) []string {
	spans := sc.spans[:0]
	start, changed := -1, false
	for i := 0; i < len(s); {
		at := i
		c := s[i]
		var lr rune
		ch, word := false, false
		if c < utf8.RuneSelf {
			lc := c
			if 'A' <= c && c <= 'Z' {
				lc, ch = c+'a'-'A', true
			}
			lr, word = rune(lc), refAsciiWordByte[lc]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			lr = r
			if r == '\u2019' {
				lr = '\''
			} else if r != utf8.RuneError {
				lr = unicode.ToLower(r)
			}
			ch = lr != r || r == utf8.RuneError
			if lr < utf8.RuneSelf {
				word = refAsciiWordByte[lr]
			} else {
				word = unicode.IsLetter(lr) || unicode.IsDigit(lr) || unicode.Is(unicode.Mn, lr)
			}
		}
		if word {
			if start < 0 {
				start, changed = at, false
			}
			changed = changed || ch
			continue
		}
		if start >= 0 {
			spans = append(spans, refTokenSpan{start, at, changed})
			start = -1
		}
		switch lr {
		case ',', ';', ':', '(', ')', '"', '\u2014', '\u2013', '\u201c', '\u201d':
			if len(spans) > 0 && spans[len(spans)-1].s0 >= 0 {
				spans = append(spans, refTokenSpan{s0: -1})
			}
		}
	}
	if start >= 0 {
		spans = append(spans, refTokenSpan{start, len(s), changed})
	}
	out := sc.ws[:0]
	for _, sp := range spans {
		switch {
		case sp.s0 < 0:
			out = append(out, refClauseMark)
		case !sp.changed:
			out = append(out, s[sp.s0:sp.s1])
		default:
			out = append(out, sc.lowerWord(s[sp.s0:sp.s1]))
		}
	}
	sc.spans, sc.ws = spans, out
	return out
}

// lowerWord lowercases a word as tokensScratch reads it (’ as ') into the
// arena and returns it.
func (sc *refScratch) lowerWord(w string) string {
	if sc.arena.Len() == 0 {
		sc.arena.Grow(512)
	}
	n := sc.arena.Len()
	for _, r := range w {
		switch {
		case 'A' <= r && r <= 'Z':
			sc.arena.WriteByte(byte(r) + 'a' - 'A')
		case r < utf8.RuneSelf:
			sc.arena.WriteByte(byte(r))
		case r == '\u2019':
			sc.arena.WriteByte('\'')
		default:
			sc.arena.WriteRune(unicode.ToLower(r))
		}
	}
	all := sc.arena.String()
	return all[n:]
}

var refAsciiWordByte = func() (t [utf8.RuneSelf]bool) {
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = true
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = true
	}
	t['\''] = true
	return t
}()

type refTokenSpan struct {
	s0, s1  int
	changed bool
}

// words lowercases s and splits it into words: letters, digits and the
// apostrophe inside a word ("isn't"), plus a trailing "*" for stems.
// Hyphens and slashes separate words ("off-track" is "off track").
func refWords(s string) []string {
	s = strings.ToLower(strings.ReplaceAll(s, "\u2019", "'"))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '*' || unicode.Is(unicode.Mn, r))
	})
}

// Rank orders levels from no news (0) to the worst (red, 3).
func refRank(l Level) int {
	switch l {
	case LevelRed:
		return 3
	case LevelAmber:
		return 2
	case LevelGreen:
		return 1
	}
	return 0
}

// Judge judges a document with the default lexicon.
func refJudge(d Doc) Verdict { return refDefault.refJudge(d) }

// Judge judges the document as a boss would read it. An explicit status
// ("Status: Red", a 🔴 on the summary) wins. Otherwise the worst sentence
// counts: red for work that stopped or is blocked, amber for a concern or
// risk, green for progress; unknown only when nothing was said about how
// the work goes. Negations ("no issues", "not blocked"), resolutions
// ("was blocked, now fixed"), a section that says there is nothing to
// report ("Risks: nothing new") and context (the description of a project
// is not news) are honoured.
func (lx *refLexicon) refJudge(d Doc) Verdict {
	v := Verdict{Level: LevelUnknown, Rule: "nothing in the mail says how the work is going"}
	explicit := -1
	best := -1
	sc := refScratches.Get().(*refScratch)
	defer refScratches.Put(sc)
	sc.arena = strings.Builder{}
	v.Judged = sc.judged[:0]
	for i, s := range d.Sentences {
		j := lx.judge(d, i, s, sc)
		if j.Level == LevelUnknown && len(j.Hits) == 0 && j.Rule == "" {
			continue
		}
		v.Judged = append(v.Judged, j)
		if j.Rule == refRuleExplicit && explicit < 0 {
			explicit = len(v.Judged) - 1
		}
		if best < 0 || refRank(j.Level) > refRank(v.Judged[best].Level) ||
			refRank(j.Level) == refRank(v.Judged[best].Level) && refWeight(s.Section) > refWeight(d.Sentences[v.Judged[best].Sentence].Section) {
			best = len(v.Judged) - 1
		}
	}
	pick := func(j Judged) {
		v.Level, v.Rule, v.Sentence = j.Level, j.Rule, d.Sentences[j.Sentence].Text
	}
	switch {
	case explicit >= 0 && v.Judged[explicit].Level != LevelUnknown:
		pick(v.Judged[explicit])
	case best >= 0 && v.Judged[best].Level != LevelUnknown:
		pick(v.Judged[best])
	}
	sc.judged = v.Judged
	v.Judged = refCloneOrNil(v.Judged)

	clear(sc.judged)
	clear(sc.ws[:cap(sc.ws)])
	clear(sc.wm[:cap(sc.wm)])
	return v
}

const refRuleExplicit = "the mail states its status"

// judge reads one sentence.
func (lx *refLexicon) judge(d Doc, i int, s Sentence, sc *refScratch) Judged {
	j := Judged{Sentence: i, Level: LevelUnknown}
	if s.Section == Info {
		return j
	}
	switch s.Marker {
	case Red, Amber, Green:
		j.Level, j.Rule = Level(s.Marker), "marked "+string(s.Marker)
		if s.Section == Health || s.Section == Summary {
			j.Rule = refRuleExplicit
		}
		return j
	}
	ws := refTokensScratch(sc, s.Text)
	wm := sc.withoutMarks(ws)
	if s.Section == Health || s.Section == Summary {

		for _, m := range []Marker{Red, Amber, Green} {
			if _, ok := lx.markers[m].is(wm); ok {
				j.Level, j.Rule = Level(m), refRuleExplicit
				return j
			}
		}
	}
	if len(ws) <= 16 && lx.saysNothing(wm) {
		switch s.Section {
		case Risks, Asks, Decisions:
			j.Rule = "says there is nothing to report in the " + string(s.Section) + " section"
		case Progress:

			j.Level, j.Rule = LevelRed, "says there was no progress"
		case Done:
			j.Level, j.Rule = LevelAmber, "says nothing was done"
		}
		return j
	}
	sw := lx.sentInto(sc, ws)
	j.Hits = lx.hits(sw)
	if len(j.Hits) == 0 && lx.deniesRisk(sw) {

		j.Rule = "says there are no issues"
		return j
	}
	level, lastClause := LevelUnknown, -1
	for _, h := range j.Hits {
		if refRank(h.Level) > refRank(level) {
			level = h.Level
		}
	}

	if c := lx.lastContrast(sw); c > 0 {
		lastClause = c
		tail := lx.hits(&refSent{ws: sw.ws[c:], mask: sw.mask[c:], cands: sw.cands[c:]})
		hasBad, hasGood := false, false
		for _, h := range j.Hits {
			if h.Level == LevelRed || h.Level == LevelAmber {
				hasBad = true
			}
		}
		tl := LevelUnknown
		for _, h := range tail {
			if refRank(h.Level) > refRank(tl) {
				tl = h.Level
			}
			if h.Level == LevelGreen {
				hasGood = true
			}
		}
		if hasBad && hasGood && tl == LevelGreen && level != LevelRed {
			level = LevelGreen
		}
	}
	_ = lastClause
	switch {
	case level != LevelUnknown:
		j.Level = level
		j.Rule = refRuleFor(j.Hits, level)
	case s.Section == Risks && s.Kind != Row:
		j.Level, j.Rule = LevelAmber, "written under a risks heading"
	case s.Marker == Checked || s.Section == Done && s.Kind != Row && len(wm) >= 3 && !refIsLink(s.Text):
		j.Level, j.Rule = LevelGreen, "reported as done"
	case refIsProgressFact(ws):
		j.Level, j.Rule = LevelGreen, "reports progress in numbers or a release"
	}
	return j
}

func refRuleFor(hits []Hit, level Level) string {
	for _, h := range hits {
		if h.Level != level {
			continue
		}
		switch {
		case h.Resolved:
			return "\"" + h.Phrase + "\", then resolved later in the sentence"
		case h.Negated && level == LevelGreen:
			return "\"" + h.Phrase + "\" negated: good news"
		case h.Negated:
			return "\"" + h.Phrase + "\" negated: bad news"
		}
		return "\"" + h.Phrase + "\" (" + string(level) + ")"
	}
	return string(level)
}

// saysNothing reports whether a sentence only says there is nothing to
// report: "Nothing new.", "None.", "There are no issues requiring board
// attention at this time."
// ws is the sentence's words without clause marks; the caller has ruled
// out a sentence of more than 16 words with them (one that says nothing is
// short).
func (lx *refLexicon) saysNothing(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	if _, ok := lx.nothing.is(ws); ok {
		return true
	}

	for n := min(len(ws), 9); n >= max(1, len(ws)-3); n-- {
		if _, ok := lx.nothing.is(ws[:n]); ok && len(ws)-n <= 3 {
			return true
		}
	}
	return false
}

// lastContrast returns the index of the word after the last "but",
// "however", "although" or "though", or 0.
func (lx *refLexicon) lastContrast(sw *refSent) int {
	c := 0
	contrast := lx.gContrast
	for i := range sw.ws {
		if p, ok := contrast.atS(sw, i); ok {
			c = i + len(p.refWords)
		}
	}
	if c >= len(sw.ws) {
		return 0
	}
	return c
}

// withoutMarks is ws without its clause marks: ws itself when it has
// none, else a copy in sc's reused buffer (callers only read it, until the
// next sentence).
func (sc *refScratch) withoutMarks(ws []string) []string {
	k := 0
	for k < len(ws) && ws[k] != refClauseMark {
		k++
	}
	if k == len(ws) {
		return ws
	}
	out := append(sc.wm[:0], ws[:k]...)
	for _, w := range ws[k+1:] {
		if w != refClauseMark {
			out = append(out, w)
		}
	}
	sc.wm = out
	return out
}

const refNegationWindow = 4

// hits finds the health phrases of a sentence's words.
func (lx *refLexicon) hits(sw *refSent) []Hit {
	ws := sw.ws
	var out []Hit
	neutral := lx.gNeutral
	clause := 0
	contrast := lx.gContrast
	metric := lx.mentions(sw, lx.gMetrics)

	lastResolved := -1
	for k := range ws {
		if _, ok := lx.resolved.atS(sw, k); ok {
			lastResolved = k
		}
	}
	for i := 0; i < len(ws); {
		if ws[i] == refClauseMark {
			clause = i + 1
			i++
			continue
		}
		if sw.mask[i] == 0 {
			i++
			continue
		}
		if p, ok := contrast.atS(sw, i); ok {
			clause = i + len(p.refWords)
			i += len(p.refWords)
			continue
		}
		if p, ok := neutral.atS(sw, i); ok {
			i += len(p.refWords)
			continue
		}
		var (
			best  refPhrase
			level Level
			found bool
		)
		for k, set := range lx.levelSets {
			if p, ok := set.atS(sw, i); ok && len(p.refWords) > len(best.refWords) {
				best, level, found = p, refLevelOrder[k], true
			}
		}
		trend := false
		if t := lx.gAmberTrend; t != nil {
			if p, ok := t.atS(sw, i); ok && len(p.refWords) > len(best.refWords) {
				best, level, found, trend = p, LevelAmber, true, true
			}
		}
		if !found {
			if nr := lx.gNegatedRed; nr != nil {
				if p, ok := nr.atS(sw, i); ok && lx.stronglyNegated(sw, max(clause, i-refNegationWindow), i) {
					out = append(out, Hit{Phrase: strings.Join(ws[i:i+len(p.refWords)], " "), Level: LevelRed, Negated: true})
					i += len(p.refWords)
					continue
				}
			}
			i++
			continue
		}
		if trend && metric {

			i += len(best.refWords)
			continue
		}
		if h := lx.gHedges; h != nil && level != LevelGreen {
			hedged := false
			for k := max(clause, i-2); k < i; k++ {
				if _, ok := h.atS(sw, k); ok {
					hedged = true
				}
			}
			if hedged {

				i += len(best.refWords)
				continue
			}
		}
		h := Hit{Phrase: strings.Join(ws[i:i+len(best.refWords)], " "), Level: level}
		if neg, noLonger := lx.negatedAt(sw, max(clause, i-refNegationWindow), i); neg {
			h.Negated = true
			_, flips := lx.flip.is(best.refWords)
			switch {
			case noLonger && level != LevelGreen:
				h.Level = LevelGreen
			case flips && level == LevelGreen:
				h.Level = LevelAmber
			case flips:
				h.Level = LevelGreen
			default:
				h.Level = LevelUnknown
			}
		}
		if (h.Level == LevelRed || h.Level == LevelAmber) && lastResolved >= i+len(best.refWords) {
			h.Level, h.Resolved = LevelGreen, true
		}
		out = append(out, h)
		i += len(best.refWords)
	}
	return out
}

// stronglyNegated reports whether "no", "none", "any" … stands in
// ws[from:to].
func (lx *refLexicon) stronglyNegated(sw *refSent, from, to int) bool {
	g := lx.gStrongNeg
	for k := from; k < to; k++ {
		if _, ok := g.atS(sw, k); ok {
			return true
		}
	}
	return false
}

// deniesRisk reports whether a negation stands a few words before a risk
// topic: "no relevant issues", "No issue for last quarter".
func (lx *refLexicon) deniesRisk(sw *refSent) bool {
	topics := lx.gRiskTopics
	for i := range sw.ws {
		if _, ok := topics.atS(sw, i); !ok {
			continue
		}
		if neg, _ := lx.negatedAt(sw, max(0, i-3), i); neg {
			return true
		}
	}
	return false
}

// mentions reports whether any phrase of a group occurs in ws.
func (lx *refLexicon) mentions(sw *refSent, g *refPhraseSet) bool {
	for i := range sw.ws {
		if _, ok := g.atS(sw, i); ok {
			return true
		}
	}
	return false
}

// negatedAt reports whether a negation stands in ws[from:to]; noLonger
// says it was "no longer", which turns bad news good.
func (lx *refLexicon) negatedAt(sw *refSent, from, to int) (neg, noLonger bool) {
	for k := from; k < to; k++ {
		if p, ok := lx.negators.atS(sw, k); ok && k+len(p.refWords) <= to {
			neg = true
			if len(p.refWords) == 2 && p.refWords[1] == "longer" || p.text == "nicht mehr" || p.text == "ya no" || p.text == "plus" {
				noLonger = true
			}
		}
	}
	return neg, noLonger
}

// isProgressFact: "25 of 40 queues moved", "latency 30% lower", "1.22 was
// released", "v2.7.4": numbers that report how far the work got.
func refIsProgressFact(ws []string) bool {
	for i, w := range ws {
		if !refHasDigit(w) {
			continue
		}
		if i+2 < len(ws) && ws[i+1] == "of" && refHasDigit(ws[i+2]) {
			return true
		}
	}
	return false
}

func refHasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// isLink reports whether a sentence is mostly a link ("Dashboard:
// https://…"): a pointer, not news.
func refIsLink(s string) bool {
	i := strings.Index(s, "://")
	return i >= 0 && i < 24
}

// weight says how much a section's sentences speak for the whole mail: a
// health or summary section first, then risks.
func refWeight(s Section) int {
	switch s {
	case Health, Summary:
		return 2
	case Risks:
		return 1
	}
	return 0
}

// Read reads text with the default lexicon.
func refRead(text string) Doc { return refDefault.refRead(text) }

type refLine struct {
	raw    string
	text   string // without indentation, bullet or quote marks
	indent int
	kind   refLineKind
	depth  int // quote level
	marker Marker
	number bool // a numbered item
}

type refLineKind int

const (
	refLBlank refLineKind = iota
	refLText
	refLItem
	refLQuote
	refLRow
	refLRule  // a table separator row (|---|---|, +----+)
	refLFence // ```
	refLHashHeading
	refLUnderline // === or --- under a line
)

// Read reads a message's visible text (decoded, format=flowed undone) into
// blocks and sentences.
func (lx *refLexicon) refRead(text string) Doc {
	sc := refReadScratch.Get().(*refReadBuffers)
	defer sc.release()
	blocks, sentences := lx.readInto(text, sc)
	return Doc{Blocks: refCloneOrNil(blocks), Sentences: refCloneOrNil(sentences)}
}

// JudgeText is Judge(Read(text)) with the default lexicon.
func refJudgeText(text string) Verdict { return refDefault.refJudgeText(text) }

// JudgeText is Judge(Read(text)) without keeping the model: the blocks and
// sentences live in pooled buffers while they are judged (Parse reads
// every message's health and keeps only the verdict).
func (lx *refLexicon) refJudgeText(text string) Verdict {
	sc := refReadScratch.Get().(*refReadBuffers)
	defer sc.release()
	_, sentences := lx.readInto(text, sc)
	return lx.refJudge(Doc{Sentences: sentences})
}

// readInto reads text into sc's buffers, and returns them filled: valid
// until sc is released.
func (lx *refLexicon) readInto(text string, sc *refReadBuffers) ([]Block, []Sentence) {
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	lines := sc.lines[:0]
	for rest := text; ; {
		r, after, more := strings.Cut(rest, "\n")
		lines = append(lines, refClassify(r))
		if !more {
			break
		}
		rest = after
	}
	sc.lines = lines
	width := refWrapWidth(lines, &sc.lens)
	b := refBuilder{lx: lx, lines: lines, width: width}
	b.blocks = sc.blocks[:0]
	b.build()
	sc.blocks = b.blocks
	ss := sc.sentences[:0]
	for i, bl := range sc.blocks {
		switch bl.Kind {
		case Paragraph, Item, Quote:
			refEachSentence(bl.Text, func(s string) {
				ss = append(ss, Sentence{Text: s, Block: i, Kind: bl.Kind, Section: bl.Section, Marker: bl.Marker})
			})
		case Row:
			if s := refRowSentence(bl); s != "" {
				ss = append(ss, Sentence{Text: s, Block: i, Kind: Row, Section: bl.Section, Marker: bl.Marker})
			}
		}
	}
	sc.sentences = ss
	return sc.blocks, sc.sentences
}

// release clears sc's buffers (pooled, they must not keep a text alive)
// and gives it back.
func (sc *refReadBuffers) release() {
	clear(sc.lines)
	clear(sc.blocks)
	clear(sc.sentences)
	sc.lines, sc.blocks, sc.sentences = sc.lines[:0], sc.blocks[:0], sc.sentences[:0]
	refReadScratch.Put(sc)
}

// cloneOrNil copies s into a slice of its length, nil when it is empty
// (as appending to nil left it).
func refCloneOrNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

type refReadBuffers struct {
	lines     []refLine
	lens      []int
	blocks    []Block
	sentences []Sentence
}

var refReadScratch = sync.Pool{New: func() any { return new(refReadBuffers) }}

// rowSentence says a table row as a phrase: "Card vault migration — Priya,
// On track".
func refRowSentence(b Block) string {
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
func refWrapWidth(lines []refLine, buf *[]int) int {
	ls := (*buf)[:0]
	defer func() { *buf = ls }()
	for _, l := range lines {
		if l.kind == refLText || l.kind == refLItem || l.kind == refLQuote {
			if n := utf8.RuneCountInString(strings.TrimRight(l.raw, " ")); n >= 30 {
				ls = append(ls, n)
			}
		}
	}
	if len(ls) == 0 {
		return 72
	}
	slices.Sort(ls)
	w := ls[len(ls)*9/10]
	return max(w, 40)
}

var refBulletRunes = map[rune]bool{'-': true, '*': true, '•': true, '+': true, '–': true, '·': true, '▪': true, '◦': true, '‣': true, '○': true, '►': true, '→': true}

var refMarkerGlyphs = []struct {
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

// classify reads what a line's start says it is.
func refClassify(raw string) refLine {
	l := refLine{raw: raw}
	trimmed := refTrimBlankRight(raw)
	body := refTrimBlankLeft(trimmed)
	l.indent = refIndentOf(trimmed[:len(trimmed)-len(body)])
	if body == "" {
		return l
	}
	switch {
	case strings.HasPrefix(body, "```") || strings.HasPrefix(body, "~~~"):
		l.kind = refLFence
		return l
	case body[0] == '>':
		d := 0
		for body != "" && body[0] == '>' {
			d++
			body = strings.TrimLeft(body[1:], " ")
		}
		l.kind, l.depth, l.text = refLQuote, d, body
		return l
	case refIsRule(body):
		l.kind = refLRule
		return l
	case strings.Count(body, "|") >= 2 || strings.Count(body, "|") == 1 && (body[0] == '|' || body[len(body)-1] == '|'):
		l.kind, l.text = refLRow, body
		return l
	case body[0] == '#':
		n := 0
		for n < len(body) && body[n] == '#' {
			n++
		}
		if n <= 6 && n < len(body) && body[n] == ' ' {
			l.kind, l.depth, l.text = refLHashHeading, n, strings.TrimSpace(strings.TrimRight(body[n:], "# "))
			return l
		}
	}
	if refIsUnderline(body) {
		l.kind, l.text = refLUnderline, body
		return l
	}

	for _, g := range refMarkerGlyphs {
		if rest, ok := strings.CutPrefix(body, g.glyph); ok {
			rest = strings.TrimLeft(strings.TrimPrefix(rest, "\ufe0f"), " ")
			if rest != "" {
				l.kind, l.text, l.marker = refLItem, rest, g.marker
				return l
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
			l.kind, l.text = refLItem, strings.TrimSpace(body[4:])
			return l
		}
	}
	r, size := utf8.DecodeRuneInString(body)
	if refBulletRunes[r] && len(body) > size && (body[size] == ' ' || body[size] == '\t') {
		rest := strings.TrimSpace(body[size:])

		if len(rest) > 3 && rest[0] == '[' && rest[2] == ']' && rest[3] == ' ' {
			switch rest[1] {
			case 'x', 'X':
				l.marker, rest = Checked, strings.TrimSpace(rest[4:])
			case ' ':
				l.marker, rest = Open, strings.TrimSpace(rest[4:])
			}
		}
		for _, g := range refMarkerGlyphs {
			if after, ok := strings.CutPrefix(rest, g.glyph); ok && g.marker != NoMarker {
				l.marker, rest = g.marker, strings.TrimLeft(strings.TrimPrefix(after, "\ufe0f"), " ")
				break
			}
		}
		l.kind, l.text = refLItem, rest
		return l
	}
	if n := refNumberedPrefix(body); n > 0 {
		l.kind, l.text, l.number = refLItem, strings.TrimSpace(body[n:]), true
		return l
	}
	l.kind, l.text = refLText, body
	return l
}

// trimBlankLeft is strings.TrimLeft(s, " \t\u00a0") without the rune
// set: classify runs on every line.
func refTrimBlankLeft(s string) string {
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
func refTrimBlankRight(s string) string {
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

func refIndentOf(s string) int {
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
func refNumberedPrefix(s string) int {
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
func refIsRule(s string) bool {
	if !strings.ContainsAny(s, "|+") {
		return false
	}
	dashes := 0
	for _, c := range s {
		switch c {
		case '-', '=':
			dashes++
		case '|', '+', ':', ' ':
		default:
			return false
		}
	}
	return dashes >= 3
}

// isUnderline is a line of === or --- (a Setext heading's underline).
func refIsUnderline(s string) bool {
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

type refBuilder struct {
	lx     *refLexicon
	lines  []refLine
	width  int
	blocks []Block

	section     Section
	heading     string
	lang        string
	headingHash int // the # level of the current heading, 0 for others
	header      []string
	inTable     bool
}

func (b *refBuilder) build() {
	ls := b.lines
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		switch l.kind {
		case refLBlank:
			b.inTable = false
		case refLFence:
			j := i + 1
			var code []string
			for j < len(ls) && ls[j].kind != refLFence {
				code = append(code, ls[j].raw)
				j++
			}
			b.add(Block{Kind: Code, Text: strings.Join(code, "\n")})
			i = j
		case refLHashHeading:
			b.heading1(l.text, l.depth)
		case refLRule:

			if n := len(b.blocks); n > 0 && b.blocks[n-1].Kind == Row && b.header == nil && b.inTable && i > 0 && ls[i-1].kind == refLRow {
				b.header = b.blocks[n-1].Cells
				b.blocks = b.blocks[:n-1]
			}
			b.inTable = true
		case refLRow:
			cells := refSplitCells(l.text)
			if !b.inTable {
				b.header = nil

				if i+1 < len(ls) && (ls[i+1].kind == refLRow || ls[i+1].kind == refLRule) && b.columnNames(cells) {
					b.header, b.inTable = cells, true
					continue
				}
			}
			bl := Block{Kind: Row, Cells: cells, Header: b.header, Text: strings.Join(cells, " | ")}
			bl.Marker = b.cellMarker(cells, b.header)
			b.inTable = true
			b.add(bl)
		case refLQuote:
			j := i + 1
			parts := []string{l.text}
			for j < len(ls) && ls[j].kind == refLQuote && ls[j].depth == l.depth && ls[j].text != "" {
				parts = append(parts, ls[j].text)
				j++
			}
			b.add(Block{Kind: Quote, Text: b.unwrap(parts, ls[i:j]), Depth: l.depth})
			i = j - 1
		case refLItem:
			j := i + 1
			parts := []string{l.text}
			for j < len(ls) && b.continues(ls[j-1], ls[j], l.indent, true) {
				parts = append(parts, ls[j].text)
				j++
			}
			b.add(Block{Kind: Item, Text: b.unwrap(parts, ls[i:j]), Marker: l.marker, Depth: l.indent / 2})
			i = j - 1
		case refLUnderline:

		case refLText:

			if i+1 < len(ls) && ls[i+1].kind == refLUnderline && utf8.RuneCountInString(l.text) <= 60 {
				b.heading1(l.text, 0)
				i++
				continue
			}
			if h, ok := refStandaloneHeading(l.text); ok && (i+1 >= len(ls) || ls[i+1].kind != refLText || b.knownHeading(h)) {
				b.heading1(h, 0)
				continue
			}

			if i+1 >= len(ls) || ls[i+1].kind == refLBlank || ls[i+1].kind == refLItem {
				if b.isSectionName(l.text) {
					b.heading1(l.text, 0)
					continue
				}
			}

			restore := false
			var saved struct {
				section       Section
				heading, lang string
				hash          int
			}
			if label, rest, ok := b.inlineHeading(l.text); ok {
				saved.section, saved.heading, saved.lang, saved.hash = b.section, b.heading, b.lang, b.headingHash
				restore = true
				b.heading1(label, 0)
				l.text = rest
			}
			j := i + 1
			parts := []string{l.text}
			for j < len(ls) && b.continues(ls[j-1], ls[j], l.indent, false) {
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
func (b *refBuilder) continues(prev, next refLine, indent int, item bool) bool {
	if next.kind != refLText {
		return false
	}
	if _, ok := refStandaloneHeading(next.text); ok && b.knownHeading(next.text) {
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
func (b *refBuilder) unwrap(parts []string, ls []refLine) string {
	if len(parts) == 1 {
		return parts[0]
	}
	var sb strings.Builder
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	sb.Grow(n)
	for k, p := range parts {
		if k > 0 {
			prev := ls[k-1]
			if b.wrapped(prev, p) {
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
func (b *refBuilder) wrapped(prev refLine, next string) bool {
	pl := utf8.RuneCountInString(strings.TrimRight(prev.raw, " \t"))
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

	if ws := refWords(prev.text); len(ws) > 0 {
		if c := b.lx.gContinues; c != nil {
			if _, ok := c.is(ws[len(ws)-1:]); ok {
				return true
			}
		}
	}
	return false
}

func (b *refBuilder) add(bl Block) {
	if bl.Kind != Code && strings.TrimSpace(bl.Text) == "" && len(bl.Cells) == 0 {
		return
	}
	bl.Section, bl.Heading, bl.Lang = b.section, b.heading, b.lang
	b.blocks = append(b.blocks, bl)
}

// heading1 starts a section.
func (b *refBuilder) heading1(text string, hash int) {
	text = strings.TrimSpace(strings.Trim(strings.TrimSpace(text), "*_:"))
	// "## Description: The mission of …": the heading, then a paragraph.
	var rest string
	if label, r, ok := strings.Cut(text, ":"); ok && strings.TrimSpace(r) != "" && len(strings.Fields(label)) <= 4 {
		text, rest = strings.TrimSpace(label), strings.TrimSpace(r)
	}
	kind, lang, known := b.sectionOf(text)
	switch {
	case known:
		b.section, b.lang = kind, lang
	case hash > 0 && (b.headingHash == 0 || hash <= b.headingHash):
		b.section, b.lang = None, ""
	}

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
func (b *refBuilder) sectionOf(text string) (Section, string, bool) {
	ws := refWords(text)
	for n := min(len(ws), 4); n >= 1; n-- {
		if s, ok := b.lx.sections[strings.Join(ws[:n], " ")]; ok {
			return s.kind, s.lang, true
		}
	}
	return None, "", false
}

// isSectionName reports whether a line is exactly a section's name
// ("Next steps", "Risiken"), with no sentence punctuation.
func (b *refBuilder) isSectionName(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || strings.ContainsAny(t[len(t)-1:], ".!?,;") || len(strings.Fields(t)) > 4 {
		return false
	}
	_, ok := b.lx.sections[strings.Join(refWords(t), " ")]
	return ok
}

func (b *refBuilder) knownHeading(text string) bool {
	_, _, ok := b.sectionOf(strings.TrimSuffix(strings.TrimSpace(text), ":"))
	return ok
}

// standaloneHeading is a short line that is only a label: "Risks:",
// "**Next steps**", "WHAT SHIPPED".
func refStandaloneHeading(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if n := utf8.RuneCountInString(t); n == 0 || n > 60 {
		return "", false
	}
	switch {
	case strings.HasPrefix(t, "**") && strings.HasSuffix(strings.TrimSuffix(t, ":"), "**") && len(t) > 4:
		return strings.Trim(t, "*: "), true
	case strings.HasPrefix(t, "__") && strings.HasSuffix(t, "__") && len(t) > 4:
		return strings.Trim(t, "_: "), true
	case strings.HasSuffix(t, ":") && len(strings.Fields(t)) <= 6 && !strings.ContainsAny(t[:len(t)-1], ".!?:"):
		return strings.TrimSuffix(t, ":"), true
	}
	letters, upper := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters >= 3 && upper == letters && len(strings.Fields(t)) <= 5 {
		return t, true
	}
	return "", false
}

// inlineHeading is "Risks: nothing new" or "Still to do: decommission the
// brokers": a known section name, a colon, and its content.
func (b *refBuilder) inlineHeading(s string) (label, rest string, ok bool) {
	label, rest, ok = strings.Cut(s, ":")
	if !ok || strings.TrimSpace(rest) == "" || len(strings.Fields(label)) > 4 {
		return "", "", false
	}
	label = strings.Trim(strings.TrimSpace(label), "*_")
	ws := refWords(label)
	if len(ws) == 0 {
		return "", "", false
	}
	kind, _, known := b.sectionOf(label)
	if !known {
		return "", "", false
	}

	if kind == Risks && (ws[0] == "blocked" || ws[0] == "blocking") {
		return "", "", false
	}
	return label, strings.TrimSpace(rest), true
}

// columnNames reports whether cells look like a table's header: no
// figures, and at least one the lexicon knows as a column name.
func (b *refBuilder) columnNames(cells []string) bool {
	known := false
	cols := b.lx.groups["columns"]
	for _, c := range cells {
		if refHasDigit(c) {
			return false
		}
		if cols != nil {
			if _, ok := cols.is(refWords(c)); ok {
				known = true
			}
		}
	}
	return known
}

func refSplitCells(s string) []string {
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
func (b *refBuilder) cellMarker(cells, header []string) Marker {
	worst := NoMarker
	for _, c := range cells {
		m := b.wordMarker(c)
		if m == NoMarker {
			for _, g := range refMarkerGlyphs {
				if strings.HasPrefix(c, g.glyph) && g.marker != NoMarker {
					m = g.marker
					break
				}
			}
		}
		worst = refWorseMarker(worst, m)
	}
	return worst
}

// wordMarker reads a whole short text as a status word ("Red", "On
// track").
func (b *refBuilder) wordMarker(s string) Marker {
	ws := refWords(s)
	if len(ws) == 0 || len(ws) > 3 {
		return NoMarker
	}
	for _, m := range []Marker{Red, Amber, Green} {
		if _, ok := b.lx.markers[m].is(ws); ok {
			return m
		}
	}
	return NoMarker
}

func refWorseMarker(a, b Marker) Marker {
	rank := map[Marker]int{NoMarker: 0, Open: 0, Checked: 1, Green: 1, Amber: 2, Red: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

var refAbbreviations = map[string]bool{
	"e.g": true, "i.e": true, "eg": true, "ie": true, "vs": true, "approx": true, "incl": true, "excl": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "jr": true, "sr": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "dept": true, "est": true, "fig": true, "no": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "mon": true, "tue": true, "wed": true, "thu": true,
	"fri": true, "sat": true, "sun": true, "cf": true, "al": true, "ca": true, "resp": true, "min": true,
	"max": true, "ref": true, "re": true, "fwd": true, "p": true, "pp": true, "vol": true, "ed": true,

	"z.b": true, "bzw": true, "usw": true, "ggf": true, "evtl": true, "ca.": true, "nr": true, "bspw": true,
	"d.h": true, "u.a": true, "mme": true, "mlle": true, "cf.": true, "env": true, "sra": true, "sr.": true,
	"srta": true, "ud": true, "uds": true, "p.ej": true, "aprox": true, "núm": true,
}

// Sentences splits a paragraph into sentences. A sentence ends at ".",
// "!", "?", "…" (and their CJK forms) followed by a space and what can
// start a sentence, or at a line break kept in the paragraph (a break the
// writer made, not the wrapping). Periods in abbreviations, initials,
// decimals, versions (1.9.1), times (10.30), dates, URLs and addresses do
// not end one. Linear in the length of text.
func refSentences(text string) []string {
	var out []string
	refEachSentence(text, func(s string) { out = append(out, s) })
	return out
}

// eachSentence calls fn with each sentence of text, in order, as
// Sentences returns them.
func refEachSentence(text string, fn func(string)) {
	start := 0
	emit := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			fn(s)
		}
		start = end
	}
	for i := 0; i < len(text); {
		if c := text[i]; c < 0x80 && c != '.' && c != '!' && c != '?' && c != '\n' || c >= 0x80 && c != 0xE2 && c != 0xE3 && c != 0xEF && c < 0xC0 || c >= 0xC0 && c < 0xE0 {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			emit(i)
			start = i + 1
		case r == '。' || r == '！' || r == '？':
			emit(i + size)
		case r == '.' || r == '!' || r == '?' || r == '…':
			j := i + size

			for j < len(text) {
				c, cs := utf8.DecodeRuneInString(text[j:])
				if c == '.' || c == '!' || c == '?' || c == '…' || c == '"' || c == '\'' || c == ')' || c == ']' ||
					c == '\u201d' || c == '\u2019' || c == '»' {
					j += cs
					continue
				}
				break
			}
			if j >= len(text) {
				i = j
				continue
			}
			if refEnds(text, start, i, j, r) {
				emit(j)
			}
			i = j
			continue
		}
		i += size
	}
	emit(len(text))
}

// ends decides whether the terminator at text[i] (the run ending at j)
// ends the sentence that began at start.
func refEnds(text string, start, i, j int, term rune) bool {
	next, _ := utf8.DecodeRuneInString(text[j:])
	if next != ' ' && next != '\t' && next != '\n' && next != '\u00a0' {
		return false
	}

	k := j
	for k < len(text) {
		c, cs := utf8.DecodeRuneInString(text[k:])
		if c == ' ' || c == '\t' || c == '\u00a0' {
			k += cs
			continue
		}
		break
	}
	if k >= len(text) {
		return true
	}
	first, _ := utf8.DecodeRuneInString(text[k:])
	if first == '\n' {
		return true
	}
	if term != '.' {
		return !unicode.IsLower(first)
	}

	w := i
	for w > start {
		c, cs := utf8.DecodeLastRuneInString(text[start:w])
		if c == ' ' || c == '\t' || c == '(' || c == '"' || c == '\n' {
			break
		}
		w -= cs
	}
	word := strings.ToLower(strings.TrimLeft(text[w:i], "(\"'\u201c"))
	switch {
	case word == "":
		return !unicode.IsLower(first)
	case refAbbreviations[word] || refAbbreviations[word+"."]:

		return false
	case utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(text[w:i])[0]):
		return false
	case strings.Contains(word, ".") && !strings.ContainsAny(word[strings.LastIndex(word, ".")+1:], "0123456789") &&
		len(word) <= 6 && !strings.Contains(word, "/"):
		return false
	}
	if unicode.IsLower(first) {
		return false
	}
	if unicode.IsDigit(first) && refIsDigitsWord(word) {
		return false
	}
	return true
}

func refIsDigitsWord(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}
