package reading

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

//go:embed lexicon/*.txt
var lexiconFiles embed.FS

// phrase is one lexicon entry split into words; a word ending in "*"
// matches any word it begins.
type phrase struct {
	words []string
	text  string // as written in the file
	lang  string
	// key is the words joined by " " (the set's key for it); plain says
	// no word is a stem, so the words a phrase matches are its own and
	// key is what they join to (a hit's phrase, without a Join).
	key   string
	plain bool
}

// said is the words p matched at ws[i:] joined by " ", as a hit names
// them: p's own key when it has no stem.
func (p *phrase) said(ws []string, i int) string {
	if p.plain {
		return p.key
	}
	return strings.Join(ws[i:i+len(p.words)], " ")
}

// matches reports whether p matches ws at i.
func (p *phrase) matches(ws []string, i int) bool {
	return p.matchesFrom(ws, i, 0)
}

// matchesAfterFirst is matches for a phrase whose first word is ws[i]
// (looked up by it).
func (p *phrase) matchesAfterFirst(ws []string, i int) bool {
	return p.matchesFrom(ws, i, 1)
}

// matchesFrom is matches checking p's words from the k-th on.
func (p *phrase) matchesFrom(ws []string, i, k int) bool {
	if i+len(p.words) > len(ws) {
		return false
	}
	if p.plain {
		// No word is a stem: the loop below without looking for a "*".
		for ; k < len(p.words); k++ {
			if ws[i+k] != p.words[k] {
				return false
			}
		}
		return true
	}
	for ; k < len(p.words); k++ {
		w, got := p.words[k], ws[i+k]
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

// phraseSet finds the longest phrase of a set at a word position in time
// independent of the set's size: phrases are indexed by their first word
// (or its stem).
type phraseSet struct {
	bit     uint64              // this set's bit in Lexicon.firsts
	byFirst map[string][]phrase // exact first word
	stems   []phrase            // first word is a stem: checked by prefix
	whole   map[string]phrase   // the phrase as one string, for whole-text tests
	maxLen  int                 // the longest key of whole, in bytes
	// quick has, per first byte of a first word, a bit per length (up to
	// 63) of the first words starting with it: most words of a text are
	// ruled out without a map lookup.
	quick [256]uint64
}

func newPhraseSet() *phraseSet {
	return &phraseSet{byFirst: map[string][]phrase{}, whole: map[string]phrase{}}
}

func (s *phraseSet) add(text, lang string) {
	ws := words(text)
	if len(ws) == 0 {
		return
	}
	key := strings.Join(ws, " ")
	p := phrase{words: ws, text: text, lang: lang, key: key, plain: !strings.Contains(key, "*")}
	s.whole[key] = p
	s.maxLen = max(s.maxLen, len(key))
	if strings.HasSuffix(ws[0], "*") {
		s.stems = append(s.stems, p)
		return
	}
	s.byFirst[ws[0]] = append(s.byFirst[ws[0]], p)
	s.quick[ws[0][0]] |= 1 << min(len(ws[0]), 63)
}

func (s *phraseSet) sort() {
	for _, ps := range s.byFirst {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].words) > len(ps[j].words) })
	}
}

// is reports whether the whole of ws is one of the set's phrases. It
// joins the words in a stack buffer (a map lookup of string(bytes) does
// not allocate), and words longer than every phrase are ruled out first.
func (s *phraseSet) is(ws []string) (phrase, bool) {
	n := len(ws) - 1
	for _, w := range ws {
		n += len(w)
	}
	if n > s.maxLen || len(ws) == 0 {
		return phrase{}, false // add never keys an empty phrase
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

// Lexicon is every language's words, merged.
type Lexicon struct {
	sections  map[string]sectionName // heading words joined by " " -> kind
	commands  map[string]string      // a reply's first word -> the command it means
	levels    map[string]*phraseSet  // "red", "amber", "green"
	flip      *phraseSet
	negators  *phraseSet
	resolved  *phraseSet
	nothing   *phraseSet
	markers   map[Marker]*phraseSet
	groups    map[string]*phraseSet // any other group, for other packages (asks, commands)
	languages []string
	// markerWords is the marker each key of markers' sets names, Red's
	// over Amber's over Green's (the order they are asked in): one
	// lookup where there were three.
	markerWords map[string]Marker

	// firsts has, per word, a bit for each set with a phrase starting
	// with it; stems the same for stem phrases. A sentence's words are
	// looked up once, and a set is asked only where its bit is set.
	firsts map[string]firstInfo
	// firstBloom holds the keys of firsts: most words are ruled out
	// without a map lookup.
	firstBloom wordBloom
	// infos are firsts' values (infos[0] the empty one), and firstTable
	// finds a word's: an open-addressed table over bloomHash, of indexes
	// into infos (0: an empty slot). A word is looked up with the hash
	// the Bloom filter took, and compared once, instead of a map lookup.
	infos []firstInfo
	// firstWords and firstMasks are infos' words and masks, on their own:
	// the lookups of every word read them, in fewer cache lines.
	firstWords []string
	firstMasks []uint64
	firstTable [firstTableSize]int32
	stems      []stemBit
	// stemStart marks the first bytes of stems: a word starting with
	// any other byte has no stem's prefix, and skips the stem loop.
	stemStart [256]bool
	// levelSets are levels["red"], ["amber"], ["green"], in levelOrder.
	levelSets [3]*phraseSet
	// the groups asked for on every sentence or line, looked up once
	gContrast, gNeutral, gAmberTrend, gNegatedRed, gHedges, gStrongNeg, gRiskTopics, gContinues, gMetrics *phraseSet
	// rules are the rules of the hits of those sets' phrases
	rules ruleCache
	// hitStarts are the bits of the sets hits asks for at a word:
	// contrast, neutral, the levels, amber trend, negated red.
	hitStarts uint64
}

var levelOrder = [3]Level{LevelRed, LevelAmber, LevelGreen}

type stemBit struct {
	prefix string
	bit    uint64
}

// wordBloom is a one-hash Bloom filter of words over their length and
// first, second and last bytes: may is false only for a word never added.
type wordBloom [1 << 10]uint64

func bloomHash(w string) uint32 {
	h := uint32(len(w))*0x9e3779b1 ^ uint32(w[0])<<16 ^ uint32(w[len(w)-1])
	if len(w) > 1 {
		h ^= uint32(w[1]) << 8
	}
	h *= 0x85ebca6b
	return (h >> 16) & (1<<16 - 1)
}

func (b *wordBloom) add(w string) { h := bloomHash(w); b[h>>6] |= 1 << (h & 63) }

const firstTableSize = 1 << 12 // at least 4 slots per first word

// firstOf is the index in infos of what the lexicon knows of w as a first
// word, 0 for nothing: lx.firsts[w] as an index.
func (lx *Lexicon) firstOf(w string) int32 {
	if w == "" {
		return 0
	}
	h := bloomHash(w)
	if lx.firstBloom[h>>6]&(1<<(h&63)) == 0 {
		return 0 // most words start no phrase
	}
	for k := h; ; k++ {
		idx := lx.firstTable[k&(firstTableSize-1)]
		if idx == 0 || lx.firstWords[idx] == w {
			return idx
		}
	}
}

// sent is a sentence's words with, per word, the sets that may match there.
type sent struct {
	ws    []string
	mask  []uint64
	info  []int32     // per word: its firstInfo in infos (0: none)
	infos []firstInfo // the lexicon's
	// any is the union of mask: a set whose bit is not in it matches
	// nowhere in the sentence, and its word-by-word loop is skipped.
	any uint64
}

// has says whether set may match somewhere in s (false: nowhere).
func (s *sent) has(set *phraseSet) bool { return set != nil && s.any&set.bit != 0 }

// cand is a phrase of a set that may match at a word.
type cand struct {
	set *phraseSet
	p   phrase
}

// firstInfo is what the lexicon knows of a word as a phrase's first word.
type firstInfo struct {
	mask  uint64
	cands []cand // longest first within each set
	word  string
	// groups are cands by set, in the same order: a set's phrases that
	// start with the word, longest first.
	groups []candGroup
	// hitSeconds are the second words of the phrases of the hitStarts
	// sets that start with the word, when every one of them has a plain
	// second word (two words or more, no stem) and no stem of those sets
	// is a prefix of the word; hitAny says that is not so. See mayHit.
	hitSeconds []string
	hitAny     bool
}

// candGroup is a set's phrases that start with a word, longest first.
type candGroup struct {
	set *phraseSet
	ps  []phrase
	// quick has, per phrase of ps, what rules most of them out before
	// their words are read: their number, and the second word of a
	// phrase of two or more with no stem ("" for the others).
	quick []candQuick
}

type candQuick struct {
	n      int
	second string
}

// scratch holds the buffers one Judge reuses for every sentence.
type scratch struct {
	ws   []string
	mask []uint64
	info []int32
	// arena holds the changed words of one Judge's sentences, until the
	// next Judge: a hit's phrase is copied out of it (arena.keep).
	arena arena
	wm    []string // the words without clause marks
	// judged gathers a Judge's verdicts before they are copied out
	judged []Judged
	// hits gathers a Judge's hits, the same way
	hits []Hit
}

// scratches are the scratch buffers of Judge calls.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

// sentInto is newSent with sc's buffers.
func (lx *Lexicon) sentInto(sc *scratch, ws []string) sent {
	if cap(sc.mask) < len(ws) {
		sc.mask = make([]uint64, len(ws), 2*len(ws))
		sc.info = make([]int32, len(ws), 2*len(ws))
	}
	sc.mask, sc.info = sc.mask[:len(ws)], sc.info[:len(ws)]
	any := lx.fillMask(ws, sc.mask, sc.info)
	return sent{ws: ws, mask: sc.mask, info: sc.info, infos: lx.infos, any: any}
}

// fillMask sets, per word, the bits of the sets with a phrase starting
// with it and their candidate phrases; it returns the union of the bits.
func (lx *Lexicon) fillMask(ws []string, mask []uint64, info []int32) uint64 {
	var any uint64
	mask, info = mask[:len(ws)], info[:len(ws)] // no bounds checks below
	for i, w := range ws {
		// lx.firstOf(w), written out: it is not inlined, and this loop
		// runs for every word.
		var idx int32
		if w != "" {
			h := bloomHash(w)
			if lx.firstBloom[h>>6]&(1<<(h&63)) != 0 {
				for k := h; ; k++ {
					idx = lx.firstTable[k&(firstTableSize-1)]
					if idx == 0 || lx.firstWords[idx] == w {
						break
					}
				}
			}
		}
		m := lx.firstMasks[idx]
		info[i] = idx
		if w == "" || lx.stemStart[w[0]] { // no stem starts with another byte
			for _, st := range lx.stems {
				if m&st.bit == 0 && strings.HasPrefix(w, st.prefix) {
					m |= st.bit
				}
			}
		}
		mask[i] = m
		any |= m
	}
	return any
}

// atS is set.at on a sentence, skipping the words no phrase of set
// starts: the longest phrase of set at word i (the first of its length),
// nil for none. The phrase is the set's own: read, never written.
func (set *phraseSet) atS(s *sent, i int) *phrase {
	if set != nil && s.mask[i]&set.bit != 0 { // most words fail here, inlined
		return set.atWord(s, i)
	}
	return nil
}

// atWord is atS where the set's bit is set.
func (set *phraseSet) atWord(s *sent, i int) *phrase {
	var best *phrase
	// The set's phrases that start with ws[i], longest first: the first
	// that matches is the longest (and the first of its length, as the
	// scan over all candidates kept it). Their first word is ws[i]. The
	// word's groups are in the order of their sets' bits, one for each
	// bit of its mask: the set's is the one after those of the lower bits
	// (where the loop over the groups used to look for it).
	if info := &s.infos[s.info[i]]; info.mask&set.bit != 0 {
		g := &info.groups[bits.OnesCount64(info.mask&(set.bit-1))]
		for k := range g.ps {
			// matchesAfterFirst is false where there are not
			// enough words, and for a plain phrase whose second word
			// is not ws[i+1]: quick says so without reading p.
			if q := &g.quick[k]; i+q.n > len(s.ws) || q.second != "" && s.ws[i+1] != q.second {
				continue
			}
			if p := &g.ps[k]; p.matchesAfterFirst(s.ws, i) {
				best = p
				break
			}
		}
	}
	for k := range set.stems {
		if p := &set.stems[k]; (best == nil || len(p.words) > len(best.words)) && p.matches(s.ws, i) {
			best = p
		}
	}
	return best
}

type sectionName struct {
	kind Section
	lang string
}

// Default is the lexicon built from the embedded data files.
var Default = mustLoad(lexiconFiles)

func mustLoad(fsys fs.FS) *Lexicon {
	lx, err := Load(fsys)
	if err != nil {
		panic(err)
	}
	return lx
}

// Load reads every lexicon/*.txt of fsys.
func Load(fsys fs.FS) (*Lexicon, error) {
	lx := &Lexicon{
		sections: map[string]sectionName{}, commands: map[string]string{},
		levels: map[string]*phraseSet{"red": newPhraseSet(), "amber": newPhraseSet(), "green": newPhraseSet()},
		flip:   newPhraseSet(), negators: newPhraseSet(), resolved: newPhraseSet(), nothing: newPhraseSet(),
		markers: map[Marker]*phraseSet{Green: newPhraseSet(), Amber: newPhraseSet(), Red: newPhraseSet()},
		groups:  map[string]*phraseSet{},
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
	for k, l := range levelOrder {
		lx.levelSets[k] = lx.levels[string(l)]
	}
	lx.gContrast, lx.gNeutral, lx.gAmberTrend, lx.gNegatedRed = lx.groups["contrast"], lx.groups["neutral"], lx.groups["amber trend"], lx.groups["negated red"]
	lx.gHedges, lx.gStrongNeg, lx.gRiskTopics, lx.gContinues = lx.groups["hedges"], lx.groups["strong negators"], lx.groups["risk topics"], lx.groups["continues"]
	lx.gMetrics = lx.groups["metrics"]
	lx.markerWords = map[string]Marker{}
	for _, m := range []Marker{Green, Amber, Red} { // the later overwrite: Red wins
		for key := range lx.markers[m].whole {
			lx.markerWords[key] = m
		}
	}
	lx.rules = ruleCache{}
	for _, s := range []*phraseSet{lx.levelSets[0], lx.levelSets[1], lx.levelSets[2], lx.gAmberTrend, lx.gNegatedRed} {
		if s != nil {
			for key := range s.whole {
				lx.rules[key] = new([ruleKinds]atomic.Pointer[string])
			}
		}
	}
	lx.firsts = map[string]firstInfo{}
	// Only the sets health reading asks word by word get a bit: common
	// words ("the", "of") are in other groups and must not make every
	// position look interesting.
	judged := map[*phraseSet]bool{lx.flip: true, lx.negators: true, lx.resolved: true, lx.nothing: true}
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
		if n == 64 {
			panic("reading: more than 64 sets a sentence's words are looked up in")
		}
		s.bit = 1 << n
		n++
		for w, ps := range s.byFirst {
			info := lx.firsts[w]
			info.mask |= s.bit
			for _, p := range ps {
				info.cands = append(info.cands, cand{s, p})
			}
			lx.firsts[w] = info
			lx.firstBloom.add(w)
		}
		for _, p := range s.stems {
			prefix := strings.TrimSuffix(p.words[0], "*")
			lx.stems = append(lx.stems, stemBit{prefix, s.bit})
			if prefix == "" {
				lx.stemStart = [256]bool{} // every word: mark every byte
				for c := range lx.stemStart {
					lx.stemStart[c] = true
				}
			} else {
				lx.stemStart[prefix[0]] = true
			}
		}
	}
	for _, s := range []*phraseSet{lx.gContrast, lx.gNeutral, lx.levelSets[0], lx.levelSets[1], lx.levelSets[2], lx.gAmberTrend, lx.gNegatedRed} {
		if s != nil {
			lx.hitStarts |= s.bit
		}
	}
	lx.indexFirsts() // after hitStarts: it reads them
	return lx, nil
}

// indexFirsts builds infos and firstTable from firsts, and each word's
// candidates grouped by set.
func (lx *Lexicon) indexFirsts() {
	ws := make([]string, 0, len(lx.firsts))
	for w := range lx.firsts {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	if len(ws)*4 > firstTableSize {
		panic("reading: firstTableSize too small for the lexicon's first words")
	}
	lx.infos = make([]firstInfo, 1, len(ws)+1)
	defer func() {
		for _, info := range lx.infos {
			lx.firstWords = append(lx.firstWords, info.word)
			lx.firstMasks = append(lx.firstMasks, info.mask)
		}
	}()
	for _, w := range ws {
		info := lx.firsts[w]
		info.word = w
		for _, c := range info.cands {
			if n := len(info.groups); n > 0 && info.groups[n-1].set == c.set {
				info.groups[n-1].ps = append(info.groups[n-1].ps, c.p)
				continue
			}
			for _, g := range info.groups {
				if g.set == c.set {
					panic("reading: a set's candidates are not together")
				}
			}
			info.groups = append(info.groups, candGroup{set: c.set, ps: []phrase{c.p}})
		}
		// by bit, for atWord; a set's phrases keep their order
		sort.Slice(info.groups, func(a, b int) bool { return info.groups[a].set.bit < info.groups[b].set.bit })
		if len(info.groups) != bits.OnesCount64(info.mask) {
			panic("reading: a first word's groups are not its mask's sets")
		}
		for k := range info.groups {
			g := &info.groups[k]
			for _, p := range g.ps {
				q := candQuick{n: len(p.words)}
				if p.plain && len(p.words) >= 2 {
					q.second = p.words[1]
				}
				g.quick = append(g.quick, q)
			}
		}
		info.hitSeconds, info.hitAny = lx.hitShape(&info)
		lx.infos = append(lx.infos, info)
		for k := bloomHash(w); ; k++ {
			if slot := &lx.firstTable[k&(firstTableSize-1)]; *slot == 0 {
				*slot = int32(len(lx.infos) - 1)
				break
			}
		}
	}
}

// hitShape is info's hitSeconds and hitAny: the distinct second words of
// its phrases in the hitStarts sets, or any when one of those has no
// plain second word (one word, or a stem), or when the word begins with
// a stem of those sets (atWord tries a set's stems wherever its bit is,
// and fillMask does not mark a stem's bit that the word's info has).
func (lx *Lexicon) hitShape(info *firstInfo) (seconds []string, any bool) {
	for _, st := range lx.stems {
		if st.bit&lx.hitStarts != 0 && strings.HasPrefix(info.word, st.prefix) {
			return nil, true
		}
	}
	for _, g := range info.groups {
		if g.set.bit&lx.hitStarts == 0 {
			continue
		}
		for _, q := range g.quick {
			if q.second == "" {
				return nil, true
			}
			if !slices.Contains(seconds, q.second) {
				seconds = append(seconds, q.second)
			}
		}
	}
	return seconds, false
}

// mayHit says whether a phrase of the hitStarts sets may start at word i,
// whose mask has one of their bits: false where every such phrase that
// starts with ws[i] needs a second word that ws[i+1] is not ("on" not
// before "track", "hold", "schedule" …), where their atS all say no.
func (s *sent) mayHit(i int, hitStarts uint64) bool {
	info := &s.infos[s.info[i]]
	if s.mask[i]&^info.mask&hitStarts != 0 || info.hitAny {
		return true // a stem's bit, or a phrase of one word or a stem's second
	}
	if i+1 >= len(s.ws) {
		return false // every one needs a second word
	}
	next := s.ws[i+1]
	for _, w := range info.hitSeconds {
		if next == w {
			return true
		}
	}
	return false
}

func (lx *Lexicon) all() []*phraseSet {
	out := []*phraseSet{lx.flip, lx.negators, lx.resolved, lx.nothing}
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

func (lx *Lexicon) read(r fs.File, lang, name string) error {
	sc := bufio.NewScanner(r)
	group := ""
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			group = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		if group == "" {
			return fmt.Errorf("%s:%d: an entry before any [group]", name, n)
		}
		if group == "sections" {
			kind, list, ok := strings.Cut(line, ":")
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
				if ws := words(s); len(ws) > 0 {
					lx.sections[strings.Join(ws, " ")] = sectionName{k, lang}
				}
			}
			continue
		}
		if group == "commands" {
			kind, list, ok := strings.Cut(line, ":")
			if !ok {
				return fmt.Errorf("%s:%d: want \"command: word, word\"", name, n)
			}
			for _, w := range strings.Split(list, ",") {
				if ws := words(w); len(ws) > 0 {
					lx.commands[strings.Join(ws, " ")] = strings.TrimSpace(kind)
				}
			}
			continue
		}
		set := lx.set(group)
		for _, s := range strings.Split(line, ",") {
			if s = strings.TrimSpace(s); s != "" {
				set.add(s, lang)
			}
		}
	}
	return sc.Err()
}

func (lx *Lexicon) set(group string) *phraseSet {
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
		s = newPhraseSet()
		lx.groups[group] = s
	}
	return s
}

// Command returns the reply command ("done", "snooze", "skip", "away") a
// reply's first word or two mean in any language ("erledigt", "fait",
// "más tarde"), and how many words that took.
func (lx *Lexicon) Command(ws []string) (string, int) {
	for n := min(len(ws), 3); n >= 1; n-- {
		if c, ok := lx.commands[strings.Join(ws[:n], " ")]; ok {
			return c, n
		}
	}
	return "", 0
}

// Mentions reports whether text holds a phrase of the lexicon's group
// ("asks"), on word boundaries, across any separators ("peux-tu").
func (lx *Lexicon) Mentions(group, text string) bool {
	return lx.MentionsLower(group, strings.ReplaceAll(strings.ToLower(text), "\u2019", "'"))
}

// MentionsLower is Mentions on text already lowercased (with ’ as '): it
// runs on every Inbox message, so it allocates nothing and tries a phrase
// only where its first word stands.
func (lx *Lexicon) MentionsLower(group, lower string) bool {
	g := lx.groups[group]
	if g == nil {
		return false
	}
	for i := 0; i < len(lower); {
		start, end := nextWord(lower, i)
		if start < 0 {
			break
		}
		i = end
		w := lower[start:end]
		if g.quick[w[0]]&(1<<min(len(w), 63)) == 0 {
			continue
		}
		for _, p := range g.byFirst[w] {
			if wordsAt(lower, end, p.words[1:]) {
				return true
			}
		}
	}
	return false
}

// nextWord finds the word at or after s[i]: its start and end, or -1.
func nextWord(s string, i int) (int, int) {
	for i < len(s) {
		if c := s[i]; c < 0x80 {
			if asciiWord(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
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
			if !asciiWord(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			break
		}
		i += n
	}
	return start, i
}

// asciiWord is isWordRune for an ASCII byte of lowercased text.
func asciiWord(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\'' || 'A' <= c && c <= 'Z'
}

// wordsAt reports whether the words ws follow s[i], one separator run
// between each.
func wordsAt(s string, i int, ws []string) bool {
	for _, w := range ws {
		start, end := nextWord(s, i)
		if start < 0 || s[start:end] != w || start-i > 3 {
			return false
		}
		i = end
	}
	return true
}

func isWordRune(r rune) bool {
	return r == '\'' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Languages lists the languages the lexicon was read from.
func (lx *Lexicon) Languages() []string { return lx.languages }

// clauseMark is the token tokens puts where punctuation ends a clause; no
// phrase contains it, so no phrase matches across it.
const clauseMark = ","

// tokensScratch splits a sentence into lowercase words, with a clauseMark
// for each comma, semicolon, colon, parenthesis or dash between words (a
// negation does not reach past one). A word that lowercasing leaves as it
// is (most) is a slice of the sentence itself; one that it changes (a
// capital, ’) is lowercased into sc.arena, an append-only string for the
// whole Judge, and sliced from there: most words cost no allocation, and
// the rest share a few.
//
// It reads the sentence once: an ASCII byte is classified by asciiClass
// (what the per-rune lowering and word test said of it, see the table),
// and only other bytes are decoded.
func tokensScratch(sc *scratch, s string) []string {
	out := sc.ws[:0]
	start, changed := -1, false // the word being read, and whether lowercasing changes it
	// word ends the word being read, if any, at s[end].
	word := func(end int) {
		switch {
		case start < 0:
			return
		case !changed:
			out = append(out, s[start:end]) // the same bytes
		default:
			out = append(out, sc.lowerWord(s[start:end]))
		}
		start = -1
	}
	for i := 0; i < len(s); {
		at := i
		var lr rune
		ch, isWord := false, false
		switch asciiClass[s[i]] {
		case aLower, aUpper:
			// A run of ASCII word bytes, read in one loop: what the
			// byte-by-byte cases of a-z and A-Z did (start a word, or go
			// on with it; A-Z changes it).
			if start < 0 {
				start, changed = at, false
			}
			for ; i < len(s); i++ {
				if k := asciiClass[s[i]]; k == aUpper {
					changed = true
				} else if k != aLower {
					break
				}
			}
			if i < len(s) && asciiClass[s[i]] == aOther {
				// The common end of a word, a space: what the case of
				// it below does, without the turn of the loop.
				word(i)
				i++
			}
			continue
		case aClause:
			i++
			word(at)
			if len(out) > 0 && out[len(out)-1] != clauseMark { // no mark after a mark or first
				out = append(out, clauseMark)
			}
			continue
		case aOther:
			i++
			word(at)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		lr = r
		if r == '\u2019' {
			lr = '\''
		} else if r != utf8.RuneError {
			lr = unicode.ToLower(r)
		}
		ch = lr != r || r == utf8.RuneError
		if lr < utf8.RuneSelf { // İ and the Kelvin sign lowercase to ASCII
			isWord = asciiWordByte[lr]
		} else {
			isWord = unicode.IsLetter(lr) || unicode.IsDigit(lr) || unicode.Is(unicode.Mn, lr)
		}
		if isWord {
			if start < 0 {
				start, changed = at, false
			}
			changed = changed || ch
			continue
		}
		word(at)
		switch lr {
		case ',', ';', ':', '(', ')', '"', '\u2014', '\u2013', '\u201c', '\u201d':
			if len(out) > 0 && out[len(out)-1] != clauseMark {
				out = append(out, clauseMark)
			}
		}
	}
	word(len(s))
	sc.ws = out
	return out
}

// Byte classes for tokensScratch: an ASCII word byte that lowercasing
// keeps (a-z, 0-9, '), one it changes (A-Z), a clause mark (, ; : ( ) "),
// any other ASCII byte, and the bytes of multibyte runes.
const (
	aOther = iota
	aLower
	aUpper
	aClause
	aMulti // not ASCII: a byte of a multibyte rune, decoded
)

var asciiClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = aMulti
		case asciiWordByte[c]:
			t[c] = aLower
		case 'A' <= c && c <= 'Z':
			t[c] = aUpper
		}
	}
	for _, c := range ",;:()\"" {
		t[c] = aClause
	}
	return t
}()

// lowerWord lowercases a word as tokensScratch reads it (’ as ') into the
// arena and returns it.
func (sc *scratch) lowerWord(w string) string {
	a := &sc.arena
	n := len(a.buf)
	// An ASCII word (most), byte by byte into room made for it: what the
	// rune loop below writes for it.
	a.grow(len(w))
	out := a.buf[n : n+len(w)]
	ascii := true
	for k := 0; k < len(w); k++ {
		c := w[k]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[k] = c
	}
	if ascii {
		a.buf = a.buf[:n+len(w)]
		return a.string(n)
	}
	for _, r := range w {
		switch {
		case 'A' <= r && r <= 'Z':
			a.buf = append(a.buf, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
			a.buf = append(a.buf, byte(r))
		case r == '\u2019':
			a.buf = append(a.buf, '\'')
		default:
			a.buf = utf8.AppendRune(a.buf, unicode.ToLower(r))
		}
	}
	return a.string(n)
}

// asciiWordByte marks the lowercase ASCII bytes that are word characters.
var asciiWordByte = func() (t [utf8.RuneSelf]bool) {
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = true
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = true
	}
	t['\''] = true
	return t
}()

// words lowercases s and splits it into words: letters, digits and the
// apostrophe inside a word ("isn't"), plus a trailing "*" for stems.
// Hyphens and slashes separate words ("off-track" is "off track").
func words(s string) []string {
	s = strings.ToLower(strings.ReplaceAll(s, "\u2019", "'"))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '*' || unicode.Is(unicode.Mn, r))
	})
}
