package reading

import (
	"strings"
	"sync/atomic"
)

// Level is a health as the digest shows it.
type Level string

// Health levels, in the words of `leadup status --json`.
const (
	LevelGreen   Level = "green"
	LevelAmber   Level = "amber"
	LevelRed     Level = "red"
	LevelUnknown Level = "unknown"
)

// Rank orders levels from no news (0) to the worst (red, 3).
func Rank(l Level) int {
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

// Hit is one health phrase found in a sentence, after negation and
// resolution.
type Hit struct {
	Phrase   string `json:"phrase"`             // as matched, lowercase
	Level    Level  `json:"level"`              // what it says now: unknown when cancelled
	Negated  bool   `json:"negated,omitempty"`  // a negation stood in front of it
	Resolved bool   `json:"resolved,omitempty"` // a later "now fixed" in the sentence ended it
}

// Judged is one sentence's health and why.
type Judged struct {
	Sentence int    `json:"sentence"` // index into Doc.Sentences
	Level    Level  `json:"level"`
	Rule     string `json:"rule"`
	Hits     []Hit  `json:"hits,omitempty"`
}

// Verdict is a message's health with the sentence and rule behind it.
type Verdict struct {
	Level    Level    `json:"level"`
	Sentence string   `json:"sentence,omitempty"` // the sentence behind the level
	Rule     string   `json:"rule"`
	Judged   []Judged `json:"judged,omitempty"` // every sentence that said something
}

// Bad lists the bad-news phrases behind a verdict, as a reader would say
// them ("blocked", "not on track").
func (v Verdict) Bad() []string {
	var out []string
	seen := map[string]bool{}
	for _, j := range v.Judged {
		for _, h := range j.Hits {
			if h.Level != LevelRed && h.Level != LevelAmber {
				continue
			}
			p := h.Phrase
			if h.Negated {
				p = "not " + p
			}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// Judge judges a document with the default lexicon.
func Judge(d Doc) Verdict { return Default.Judge(d) }

// Judge judges the document as a boss would read it. An explicit status
// ("Status: Red", a 🔴 on the summary) wins. Otherwise the worst sentence
// counts: red for work that stopped or is blocked, amber for a concern or
// risk, green for progress; unknown only when nothing was said about how
// the work goes. Negations ("no issues", "not blocked"), resolutions
// ("was blocked, now fixed"), a section that says there is nothing to
// report ("Risks: nothing new") and context (the description of a project
// is not news) are honoured.
func (lx *Lexicon) Judge(d Doc) Verdict {
	sc := scratches.Get().(*scratch) // buffers reused from sentence to sentence
	defer sc.release()
	v := lx.judgeInto(d, sc, true)
	v.Judged = cloneOrNil(v.Judged)
	// The hits, out of the arena: one slice for all, their phrases out of
	// the words' arena.
	n := 0
	for _, j := range v.Judged {
		n += len(j.Hits)
	}
	if n > 0 {
		all := make([]Hit, 0, n)
		for k, j := range v.Judged {
			if len(j.Hits) > 0 {
				all = append(all, j.Hits...)
				v.Judged[k].Hits = all[len(all)-len(j.Hits) : len(all) : len(all)]
			}
		}
		for k := range all {
			all[k].Phrase = sc.arena.keep(all[k].Phrase)
		}
	}
	return v
}

// JudgeTextHits is JudgeText for a caller that keeps only the level and
// the hits (message.Health): the verdict's level, and fn called once with
// the hits of its Judged, sentence by sentence, as they are in the
// verdict JudgeText returns (nil when there are none). The slice is valid
// only during fn; its phrases may be kept.
func (lx *Lexicon) JudgeTextHits(text string, fn func(hits []Hit)) Level {
	rb := readScratch.Get().(*readBuffers)
	defer rb.release()
	// Without the Info sections' sentences: judge passes over them
	// without a word (no level, hit or rule), so the verdict's level and
	// hits are those of the others; only the indices of its Judged,
	// unused here, would differ.
	_, sentences := lx.readSentencesInto(text, rb, true, false)
	sc := scratches.Get().(*scratch)
	defer sc.release()
	v := lx.judgeInto(Doc{Sentences: sentences}, sc, false)
	// judgeInto leaves in sc.hits exactly the hits of v.Judged, in their
	// order: judge appends a sentence's hits there and takes back the
	// ones it does not keep (a contrast's tail), and a sentence with hits
	// is always judged.
	var hits []Hit
	if len(sc.hits) > 0 {
		hits = sc.hits
		for k := range hits {
			hits[k].Phrase = rb.arena.keep(sc.arena.keep(hits[k].Phrase))
		}
	}
	fn(hits)
	return v.Level
}

// judgeInto is Judge in sc's buffers: v.Judged and their hits are sc's.
// Without rules, the rules that name a hit are not written (a Judged's
// and v's Rule may be ruleOfHits): they are strings of their own, and
// JudgeTextHits has no use for them.
func (lx *Lexicon) judgeInto(d Doc, sc *scratch, rules bool) Verdict {
	v := Verdict{Level: LevelUnknown, Rule: "nothing in the mail says how the work is going"}
	explicit := -1
	best := -1
	sc.arena.reset() // the last Judge's words were copied out
	v.Judged = sc.judged[:0]
	for i, s := range d.Sentences {
		j := lx.judge(d, i, s, sc)
		if j.Level == LevelUnknown && len(j.Hits) == 0 && j.Rule == "" {
			continue
		}
		if j.Rule == ruleOfHits && rules {
			j.Rule = lx.rules.ruleFor(j.Hits, j.Level) // what judge left for later
		}
		v.Judged = append(v.Judged, j)
		if j.Rule == ruleExplicit && explicit < 0 {
			explicit = len(v.Judged) - 1
		}
		if best < 0 || Rank(j.Level) > Rank(v.Judged[best].Level) ||
			Rank(j.Level) == Rank(v.Judged[best].Level) && weight(s.Section) > weight(d.Sentences[v.Judged[best].Sentence].Section) {
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
	return v
}

// release clears sc's buffers (pooled, they must not keep a text alive)
// and gives it back.
func (sc *scratch) release() {
	clear(sc.hits[:cap(sc.hits)])
	sc.hits = sc.hits[:0]
	clear(sc.judged)
	clear(sc.ws[:cap(sc.ws)])
	clear(sc.wm[:cap(sc.wm)])
	sc.arena.reset()
	scratches.Put(sc)
}

const ruleExplicit = "the mail states its status"

// ruleOfHits is the rule judge gives a sentence whose level its hits make:
// judgeInto writes it, ruleFor(j.Hits, j.Level), if it is wanted. It is
// no rule ruleFor writes (they are not empty) nor ruleExplicit.
const ruleOfHits = "\x00hits"

// ruleMarked and ruleNothingIn are judge's rules for a marker and for a
// section that says nothing, written once: "marked " + marker, "says
// there is nothing to report in the " + section + " section".
var (
	ruleMarked    = map[Marker]string{Red: "marked red", Amber: "marked amber", Green: "marked green"}
	ruleNothingIn = map[Section]string{
		Risks:     "says there is nothing to report in the risks section",
		Asks:      "says there is nothing to report in the asks section",
		Decisions: "says there is nothing to report in the decisions section",
	}
)

// judge reads one sentence.
func (lx *Lexicon) judge(d Doc, i int, s Sentence, sc *scratch) Judged {
	j := Judged{Sentence: i, Level: LevelUnknown}
	if s.Section == Info {
		return j // what the project is, who is in it: context, not news
	}
	switch s.Marker {
	case Red, Amber, Green:
		j.Level, j.Rule = Level(s.Marker), ruleMarked[s.Marker]
		if s.Section == Health || s.Section == Summary {
			j.Rule = ruleExplicit
		}
		return j
	}
	ws := tokensScratch(sc, s.Text)
	if s.Section == Health || s.Section == Summary {
		wm := sc.withoutMarks(ws)
		// "Status: Red", "Overall: on track"
		for _, m := range []Marker{Red, Amber, Green} {
			if _, ok := lx.markers[m].is(wm); ok {
				j.Level, j.Rule = Level(m), ruleExplicit
				return j
			}
		}
	}
	// The words' sets, read once for every test below (before saysNothing:
	// a sentence that says nothing starts with a nothing phrase's first
	// word, so its first word's mask has the nothing bit; wm[0] is ws[0],
	// as tokens never starts with a clause mark).
	st := lx.sentInto(sc, ws)
	sw := &st // on the stack: a sent in sc took write barriers
	if len(ws) <= 16 && len(ws) > 0 && sw.mask[0]&lx.nothing.bit != 0 && lx.saysNothing(sc.withoutMarks(ws)) {
		switch s.Section {
		case Risks, Asks, Decisions:
			j.Rule = ruleNothingIn[s.Section]
		case Progress:
			// "Development: None": no progress is the news.
			j.Level, j.Rule = LevelRed, "says there was no progress"
		case Done:
			j.Level, j.Rule = LevelAmber, "says nothing was done"
		}
		return j
	}
	// The hits go to sc.hits, the arena of the Judge's hits, copied out
	// at its end.
	from := len(sc.hits)
	sc.hits = lx.hits(sw, sc.hits)
	if len(sc.hits) > from {
		j.Hits = sc.hits[from:len(sc.hits):len(sc.hits)]
	}
	if len(j.Hits) == 0 && lx.deniesRisk(sw) {
		// "There are no relevant issues requiring board attention."
		j.Rule = "says there are no issues"
		return j
	}
	level := LevelUnknown
	for _, h := range j.Hits {
		if Rank(h.Level) > Rank(level) {
			level = h.Level
		}
	}
	// "Traffic decreased, but contributors increased": the clause after
	// the "but" has the last word. It can only turn amber green: it needs
	// bad news (a red or amber hit) and no red one, a level of amber; for
	// any other the contrast and the tail's hits (read again, and
	// dropped) changed nothing.
	if level == LevelAmber && lx.tailIsGreen(sw, sc) {
		level = LevelGreen
	}
	switch {
	case level != LevelUnknown:
		j.Level = level
		j.Rule = ruleOfHits // ruleFor(j.Hits, level), by judgeInto
	case s.Section == Risks && s.Kind != Row:
		j.Level, j.Rule = LevelAmber, "written under a risks heading"
	case s.Marker == Checked || s.Section == Done && s.Kind != Row && words3(ws) && !isLink(s.Text):
		j.Level, j.Rule = LevelGreen, "reported as done"
	case isProgressFact(ws):
		j.Level, j.Rule = LevelGreen, "reports progress in numbers or a release"
	}
	return j
}

// tailIsGreen says whether the clause after the sentence's last contrast
// ("but", "however") says green news at worst, and some: the level of
// its hits, read on their own (those of the words from the contrast on,
// as if the sentence started there), is green. It takes back the tail's
// hits from sc.hits: they are not the sentence's.
func (lx *Lexicon) tailIsGreen(sw *sent, sc *scratch) bool {
	c := lx.lastContrast(sw)
	if c <= 0 {
		return false
	}
	at := len(sc.hits)
	sc.hits = lx.hits(&sent{ws: sw.ws[c:], mask: sw.mask[c:], info: sw.info[c:], infos: sw.infos, any: sw.any}, sc.hits) // any: a superset
	tl := LevelUnknown
	for _, h := range sc.hits[at:] {
		if Rank(h.Level) > Rank(tl) {
			tl = h.Level
		}
	}
	sc.hits = sc.hits[:at]
	return tl == LevelGreen
}

// ruleText is the rule of a hit whose level is the sentence's: what
// ruleFor returns for the first such hit.
func ruleText(h Hit, level Level) string {
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

// ruleCache holds ruleFor's strings for the phrases of the sets hits
// come from (the level sets, "amber trend", "negated red"), each written
// the first time it is asked for and then shared by every verdict that
// has it: Judge used to write a new one for most sentences. Its map is
// made once, at Load, and only read; the strings are set atomically, so
// concurrent Judges may both write one (the same text) and either wins.
type ruleCache map[string]*[ruleKinds]atomic.Pointer[string]

// The kinds of rule ruleText writes for a phrase, by ruleKind.
const (
	ruleResolved = iota
	ruleNegatedGood
	ruleNegatedBad
	ruleRed
	ruleAmber
	ruleGreen
	ruleKinds
)

// ruleKind says which of ruleText's strings a hit's is: the same case
// analysis, with "(red)", "(amber)" and "(green)" apart. ruleFor is asked
// only for a level hits make: red, amber or green.
func ruleKind(h Hit, level Level) int {
	switch {
	case h.Resolved:
		return ruleResolved
	case h.Negated && level == LevelGreen:
		return ruleNegatedGood
	case h.Negated:
		return ruleNegatedBad
	case level == LevelRed:
		return ruleRed
	case level == LevelAmber:
		return ruleAmber
	case level == LevelGreen:
		return ruleGreen
	}
	return -1
}

// ruleFor names the hit behind a sentence's level: the first hit of that
// level, its string from the cache when it has the phrase (a stem's word
// is not in it).
func (c ruleCache) ruleFor(hits []Hit, level Level) string {
	for _, h := range hits {
		if h.Level != level {
			continue
		}
		rs, k := c[h.Phrase], ruleKind(h, level)
		if rs == nil || k < 0 {
			return ruleText(h, level)
		}
		if p := rs[k].Load(); p != nil {
			return *p
		}
		r := ruleText(h, level)
		rs[k].Store(&r)
		return r
	}
	return string(level)
}

// saysNothing reports whether a sentence only says there is nothing to
// report: "Nothing new.", "None.", "There are no issues requiring board
// attention at this time."
// ws is the sentence's words without clause marks; the caller has ruled
// out a sentence of more than 16 words with them (one that says nothing is
// short).
func (lx *Lexicon) saysNothing(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	if _, ok := lx.nothing.is(ws); ok {
		return true
	}
	// A nothing phrase followed by a few words: "None so far this week"
	// (at most three words after it, so n is at least len(ws)-3).
	for n := min(len(ws), 9); n >= max(1, len(ws)-3); n-- {
		if _, ok := lx.nothing.is(ws[:n]); ok && len(ws)-n <= 3 {
			return true
		}
	}
	return false
}

// lastContrast returns the index of the word after the last "but",
// "however", "although" or "though", or 0.
func (lx *Lexicon) lastContrast(sw *sent) int {
	c := 0
	contrast := lx.gContrast
	if !sw.has(contrast) {
		return 0
	}
	for i := range sw.ws {
		if p := contrast.atS(sw, i); p != nil {
			c = i + len(p.words)
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
func (sc *scratch) withoutMarks(ws []string) []string {
	k := 0
	for k < len(ws) && ws[k] != clauseMark {
		k++
	}
	if k == len(ws) {
		return ws
	}
	out := append(sc.wm[:0], ws[:k]...)
	for _, w := range ws[k+1:] {
		if w != clauseMark {
			out = append(out, w)
		}
	}
	sc.wm = out
	return out
}

// negationWindow is how many words before a phrase a negation reaches.
const negationWindow = 4

// words3 says whether ws has at least 3 words besides its clause marks
// (len(withoutMarks(ws)) >= 3).
func words3(ws []string) bool {
	n := 0
	for _, w := range ws {
		if w != clauseMark {
			if n++; n >= 3 {
				return true
			}
		}
	}
	return false
}

// hits appends the health phrases of a sentence's words to out.
func (lx *Lexicon) hits(sw *sent, out []Hit) []Hit {
	ws := sw.ws
	if sw.any == 0 {
		return out // no phrase of any set starts at any word
	}
	neutral := lx.gNeutral
	clause := 0 // where the current clause began (negation does not cross it)
	contrast := lx.gContrast
	metric := lx.mentions(sw, lx.gMetrics)
	// Where the sentence last says "now fixed": bad news before it is over.
	lastResolved := -1
	for k := range ws {
		if !sw.has(lx.resolved) {
			break
		}
		if lx.resolved.atS(sw, k) != nil {
			lastResolved = k
		}
	}
	for i := 0; i < len(ws); {
		if ws[i] == clauseMark {
			clause = i + 1
			i++
			continue
		}
		if sw.mask[i]&lx.hitStarts == 0 || !sw.mayHit(i, lx.hitStarts) {
			// No phrase of a set asked for below starts here (their
			// atS say no where their bit is not set, or where the word
			// after is none of their second words): what the tests
			// below came to, with i++ at the end.
			i++
			continue
		}
		if p := contrast.atS(sw, i); p != nil {
			clause = i + len(p.words)
			i += len(p.words)
			continue
		}
		if p := neutral.atS(sw, i); p != nil {
			i += len(p.words)
			continue
		}
		var (
			best  *phrase // the longest of the sets', the first of its length
			level Level
		)
		for k, set := range lx.levelSets {
			if p := set.atS(sw, i); p != nil && (best == nil || len(p.words) > len(best.words)) {
				best, level = p, levelOrder[k]
			}
		}
		trend := false
		if t := lx.gAmberTrend; t != nil {
			if p := t.atS(sw, i); p != nil && (best == nil || len(p.words) > len(best.words)) {
				best, level, trend = p, LevelAmber, true
			}
		}
		if best == nil {
			if nr := lx.gNegatedRed; nr != nil {
				if p := nr.atS(sw, i); p != nil && lx.stronglyNegated(sw, max(clause, i-negationWindow), i) {
					out = append(out, Hit{Phrase: p.said(ws, i), Level: LevelRed, Negated: true})
					i += len(p.words)
					continue
				}
			}
			i++
			continue
		}
		if trend && metric {
			// "mailing list traffic is down 20%": a figure, not a concern
			i += len(best.words)
			continue
		}
		if h := lx.gHedges; h != nil && level != LevelGreen {
			hedged := false
			for k := max(clause, i-2); k < i; k++ {
				if h.atS(sw, k) != nil {
					hedged = true
				}
			}
			if hedged {
				// "identify potential regressions", "to avoid delays"
				i += len(best.words)
				continue
			}
		}
		h := Hit{Phrase: best.said(ws, i), Level: level}
		if neg, noLonger := lx.negatedAt(sw, max(clause, i-negationWindow), i); neg {
			h.Negated = true
			_, flips := lx.flip.whole[best.key] // flip.is(best.words)
			switch {
			case noLonger && level != LevelGreen:
				h.Level = LevelGreen // "no longer blocked"
			case flips && level == LevelGreen:
				h.Level = LevelAmber // "not on track", "no progress"
			case flips:
				h.Level = LevelGreen // "not behind schedule"
			default:
				h.Level = LevelUnknown // "not blocked", "no issues"
			}
		}
		if (h.Level == LevelRed || h.Level == LevelAmber) && lastResolved >= i+len(best.words) {
			h.Level, h.Resolved = LevelGreen, true
		}
		out = append(out, h)
		i += len(best.words)
	}
	return out
}

// stronglyNegated reports whether "no", "none", "any" … stands in
// ws[from:to].
func (lx *Lexicon) stronglyNegated(sw *sent, from, to int) bool {
	g := lx.gStrongNeg
	for k := from; k < to; k++ {
		if g.atS(sw, k) != nil {
			return true
		}
	}
	return false
}

// deniesRisk reports whether a negation stands a few words before a risk
// topic: "no relevant issues", "No issue for last quarter".
func (lx *Lexicon) deniesRisk(sw *sent) bool {
	topics := lx.gRiskTopics
	if !sw.has(topics) {
		return false
	}
	for i := range sw.ws {
		if topics.atS(sw, i) == nil {
			continue
		}
		if neg, _ := lx.negatedAt(sw, max(0, i-3), i); neg {
			return true
		}
	}
	return false
}

// mentions reports whether any phrase of a group occurs in ws.
func (lx *Lexicon) mentions(sw *sent, g *phraseSet) bool {
	if !sw.has(g) {
		return false
	}
	for i := range sw.ws {
		if g.atS(sw, i) != nil {
			return true
		}
	}
	return false
}

// negatedAt reports whether a negation stands in ws[from:to]; noLonger
// says it was "no longer", which turns bad news good.
func (lx *Lexicon) negatedAt(sw *sent, from, to int) (neg, noLonger bool) {
	for k := from; k < to; k++ {
		if p := lx.negators.atS(sw, k); p != nil && k+len(p.words) <= to {
			neg = true
			if len(p.words) == 2 && p.words[1] == "longer" || p.text == "nicht mehr" || p.text == "ya no" || p.text == "plus" {
				noLonger = true
			}
		}
	}
	return neg, noLonger
}

// isProgressFact: "25 of 40 queues moved", "latency 30% lower", "1.22 was
// released", "v2.7.4": numbers that report how far the work got.
func isProgressFact(ws []string) bool {
	// A digit in ws[i], ws[i+1] "of" and a digit in ws[i+2], for some i:
	// looked for from the "of", which rules out most words by its length
	// alone, where every word was searched for a digit.
	for j := 1; j+1 < len(ws); j++ {
		if ws[j] == "of" && hasDigit(ws[j-1]) && hasDigit(ws[j+1]) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// isLink reports whether a sentence is mostly a link ("Dashboard:
// https://…"): a pointer, not news.
func isLink(s string) bool {
	i := strings.Index(s, "://")
	return i >= 0 && i < 24
}

// weight says how much a section's sentences speak for the whole mail: a
// health or summary section first, then risks.
func weight(s Section) int {
	switch s {
	case Health, Summary:
		return 2
	case Risks:
		return 1
	}
	return 0
}
