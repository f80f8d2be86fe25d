package message

import (
	"encoding/binary"
	"regexp/syntax"
	"strings"
	"sync"
	"unsafe"
)

// The passes IsStatusAsk makes over a lowercased text instead of searching
// every sentence for every word (what it did before, and what took most of
// its time). askWords are the phrases' needs, the imperatives, the small
// talk of askNotPhrases and the strings the phrases' patterns start with
// (phraseStarts); a word matches with a line break for each of its spaces
// (hasPrefixWrapped), as the words matched a sentence with its line breaks
// made spaces.
//   - startersIn: the needs and imperatives that start a word somewhere
//     (askWordsIn before); none, and no sentence is a candidate.
//   - placesOf: where those words occur, as substrings, in one pass; a
//     sentence that holds one is a candidate (containsAnyWrapped before).
//   - wordsIn: the ask words a candidate holds, in one pass over it, for
//     isAskSentence (its containsAny per phrase before), which also runs a
//     phrase's regexp only when the sentence holds a string every match of
//     it starts with.

// askWords is every ask word once; askSet is a set of them.
var askWords, askWordIndex = func() ([]string, map[string]int) {
	idx := map[string]int{}
	var words []string
	add := func(w string) {
		if _, ok := idx[w]; !ok {
			idx[w] = len(words)
			words = append(words, w)
		}
	}
	for _, w := range askNeeds {
		add(w)
	}
	for w := range askImperatives {
		add(w)
	}
	for _, w := range askNotPhrases {
		add(w)
	}
	for _, a := range askPhrases {
		for _, w := range phraseStarts(a.pattern) {
			add(w)
		}
	}
	if len(words) > 256 {
		panic("message: more than 256 ask words; widen askSet")
	}
	for _, w := range words {
		if len(w) < 2 || w[0] == ' ' || w[1] == ' ' {
			panic("message: ask word " + w + " is shorter than two letters")
		}
	}
	return words, idx
}()

type askSet [4]uint64

func (s *askSet) add(w uint8) { s[w>>6] |= 1 << (w & 63) }
func (s askSet) meets(t askSet) bool {
	return s[0]&t[0] != 0 || s[1]&t[1] != 0 || s[2]&t[2] != 0 || s[3]&t[3] != 0
}
func askSetOf(words []string) (s askSet) {
	for _, w := range words {
		s.add(uint8(askWordIndex[w]))
	}
	return s
}

var (
	// askStarters may start a candidate: the needs and imperatives.
	askStarters = func() askSet {
		s := askSetOf(askNeeds)
		for w := range askImperatives {
			s.add(uint8(askWordIndex[w]))
		}
		return s
	}()
	askNotSet      = askSetOf(askNotPhrases)
	askPhraseNeeds = func() []askSet {
		out := make([]askSet, len(askPhrases))
		for i, a := range askPhrases {
			out[i] = askSetOf(a.needs)
		}
		return out
	}()
	// askPhraseStarts holds, for each phrase, the strings every match of
	// its pattern starts with (phraseStarts); a phrase whose pattern gives
	// none has the full set, which meets any sentence's.
	askPhraseStarts = func() []askSet {
		out := make([]askSet, len(askPhrases))
		for i, a := range askPhrases {
			if starts := phraseStarts(a.pattern); starts != nil {
				out[i] = askSetOf(starts)
			} else {
				out[i] = askSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
			}
		}
		return out
	}()
	// askByByte lists the ask words by first byte; askStarterPair marks
	// the first two bytes of each need and imperative (no ask word has a
	// space there, so a line break cannot stand for one), which rules out
	// most places at once (askJudgedPair below likewise).
	askByByte = func() (b [256][]uint8) {
		for i, w := range askWords {
			b[w[0]] = append(b[w[0]], uint8(i))
		}
		return b
	}()
	askStartersByByte = func() (b [256][]uint8) {
		for i, w := range askWords {
			if askStarters[i>>6]&(1<<(i&63)) != 0 {
				b[w[0]] = append(b[w[0]], uint8(i))
			}
		}
		return b
	}()
	askStarterPair = func() [1 << 16 / 64]uint64 {
		var words []string
		for i, w := range askWords {
			if askStarters[i>>6]&(1<<(i&63)) != 0 {
				words = append(words, w)
			}
		}
		return pairsOf(words)
	}()
)

// askJudgedPair marks the first two bytes of the ask words whose presence
// isAskSentence asks about, and askJudgedByByte lists them by first byte:
// the small talk (askNotSet), the phrases' needs and their starts. The
// others (imperatives that are none of those) only make a sentence a
// candidate; leaving them out of wordsIn's set changes no answer of
// isAskSentence, which asks the set only whether it meets askNotSet,
// a phrase's needs and a phrase's starts: each of those is within
// those words, or is the full set for a phrase without starts, which the
// set meets whenever it meets the phrase's needs (asked in the same
// conjunction).
var askJudgedPair, askJudgedByByte = func() (pair [1 << 16 / 64]uint64, by [256][]uint8) {
	full := askSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	set := askNotSet
	for i := range askPhrases {
		for k := range set {
			set[k] |= askPhraseNeeds[i][k]
			if askPhraseStarts[i] != full {
				set[k] |= askPhraseStarts[i][k]
			}
		}
	}
	var words []string
	for i, w := range askWords {
		if set[i>>6]&(1<<(i&63)) != 0 {
			words = append(words, w)
			by[w[0]] = append(by[w[0]], uint8(i))
		}
	}
	return pairsOf(words), by
}()

func pairsOf(words []string) (p [1 << 16 / 64]uint64) {
	for _, w := range words {
		k := int(w[0])<<8 | int(w[1])
		p[k>>6] |= 1 << (k & 63)
	}
	return p
}

// askOcc is one place of an ask word in a text.
type askOcc struct {
	pos  int32
	word uint8
}

// askScratch is what one IsStatusAsk works in, pooled: the lowercased
// text and the ask words' places in it.
type askScratch struct {
	lower []byte
	sent  []byte // a sentence with its line breaks made spaces (spaced)
	occ   []askOcc
	pairs [1 << 16 / 64]uint64
}

var askScratches = sync.Pool{New: func() any {
	return &askScratch{lower: make([]byte, 0, askScanLimit)}
}}

// lowerFold is lowerFold(text), into sc's buffer when text is ASCII: then
// strings.ToLower only maps A-Z, and foldReplacer has nothing to replace.
// Eight bytes are lowered at a time. The string it returns lives until sc
// goes back to the pool; nothing IsStatusAsk hands it to keeps it (regexp
// matching, MentionsLower).
func (sc *askScratch) lowerFold(text string) string {
	b := append(sc.lower[:0], text...)
	sc.lower = b
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if x&0x8080808080808080 != 0 {
			return lowerFold(text)
		}
		// per byte (all below 0x80, so no carry crosses bytes): the high
		// bit of x+0x3f is set from 'A' up, that of x+0x25 above 'Z'
		upper := ((x + 0x3f3f3f3f3f3f3f3f) ^ (x + 0x2525252525252525)) & 0x8080808080808080
		binary.LittleEndian.PutUint64(b[i:], x|upper>>2)
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c >= 0x80 {
			return lowerFold(text)
		}
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// startersIn returns the needs and imperatives that start a word of t (a
// word is made of a-z, 0-9, ' and any non-ASCII byte, as askWordsIn had
// it): only if there is one are the sentences worth a look.
func startersIn(t string) (present askSet) {
	for i := 0; i < len(t); {
		for i < len(t) && !askWordTab[t[i]] {
			i++
		}
		// a word starts at i
		if i+1 < len(t) {
			if k := int(t[i])<<8 | int(t[i+1]); askStarterPair[k>>6]&(1<<(k&63)) != 0 {
				for _, w := range askStartersByByte[t[i]] {
					if hasPrefixWrapped(t[i:], askWords[w]) {
						present.add(w)
					}
				}
			}
		}
		for i < len(t) && askWordTab[t[i]] {
			i++
		}
	}
	return present
}

// placesOf records in sc.occ, in order, every place in t of the words of
// set, in one pass: sc.pairs marks the first two bytes of those words for
// the pass, and is cleared after it.
func (sc *askScratch) placesOf(t string, set askSet) {
	for w, word := range askWords {
		if set[w>>6]&(1<<(w&63)) != 0 {
			k := int(word[0])<<8 | int(word[1])
			sc.pairs[k>>6] |= 1 << (k & 63)
		}
	}
	occ := sc.occ[:0]
	for i := 0; i+1 < len(t); i++ {
		k := int(t[i])<<8 | int(t[i+1])
		if sc.pairs[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for _, w := range askByByte[t[i]] {
			if set[w>>6]&(1<<(w&63)) != 0 && hasPrefixWrapped(t[i:], askWords[w]) {
				occ = append(occ, askOcc{pos: int32(i), word: w})
			}
		}
	}
	sc.occ = occ
	for w, word := range askWords {
		if set[w>>6]&(1<<(w&63)) != 0 {
			k := int(word[0])<<8 | int(word[1])
			sc.pairs[k>>6] = 0
		}
	}
}

// spaced is strings.ReplaceAll(s, "\n", " ") in sc's buffer (without an
// allocation per sentence); it lives until the next call or until sc goes
// back to the pool, and isAskSentence keeps nothing of it.
func (sc *askScratch) spaced(s string) string {
	if strings.IndexByte(s, '\n') < 0 {
		return s
	}
	b := append(sc.sent[:0], s...)
	for i, c := range b {
		if c == '\n' {
			b[i] = ' '
		}
	}
	sc.sent = b
	return unsafe.String(&b[0], len(b))
}

// isImperative is askImperatives[w], with the map asked only about a word
// of an imperative's length and first letter.
func isImperative(w string) bool {
	if len(w) < askImperativeLen[0] || len(w) > askImperativeLen[1] || !askImperativeFirst[w[0]] {
		return false
	}
	return askImperatives[w]
}

var askImperativeLen, askImperativeFirst = func() (n [2]int, first [256]bool) {
	n = [2]int{1 << 30, 0}
	for w := range askImperatives {
		n[0], n[1] = min(n[0], len(w)), max(n[1], len(w))
		first[w[0]] = true
	}
	return n, first
}()

// wordsIn returns the set of ask words that occur in s, of those
// isAskSentence asks about (askJudged).
func wordsIn(s string) (in askSet) {
	for i := 0; i+1 < len(s); i++ {
		k := int(s[i])<<8 | int(s[i+1])
		if askJudgedPair[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for _, w := range askJudgedByByte[s[i]] {
			if hasPrefixWrapped(s[i:], askWords[w]) {
				in.add(w)
			}
		}
	}
	return in
}

// phraseStarts returns strings one of which begins every match of the
// phrase pattern p (without askBoundary, which only looks at the rune
// before), or nil when it finds none: "can you", "could you", … for
// "(?:can|could|would) you (?:please )?(?:update|brief) me\b". A sentence
// that holds none of them cannot match, so the regexp is not run on it.
// The strings come from p's syntax tree: a literal, a small character
// class and an alternation of those give the exact strings they match;
// a concatenation extends its strings while its parts are exact, and
// stops at the first part that is not (a repetition, \S, \b): what it has
// then still begins every match.
func phraseStarts(p string) []string {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		panic(err)
	}
	starts, _ := exactPrefixes(re)
	for _, s := range starts {
		if len(s) < 2 || s[0] == ' ' || s[1] == ' ' {
			return nil // too short for the scans (their pair tables) to find
		}
	}
	return starts
}

// exactPrefixes returns strings one of which begins every match of re, and
// whether re matches exactly those strings; nil when it knows none.
func exactPrefixes(re *syntax.Regexp) ([]string, bool) {
	const maxStarts = 24
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if out = append(out, string(r)); len(out) > 4 {
					return nil, false
				}
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return exactPrefixes(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		exact := true
		for _, sub := range re.Sub {
			s, ex := exactPrefixes(sub)
			if s == nil {
				return nil, false
			}
			out, exact = append(out, s...), exact && ex
		}
		return out, exact
	case syntax.OpConcat:
		acc := []string{""}
		for _, sub := range re.Sub {
			s, ex := exactPrefixes(sub)
			if s == nil || len(acc)*len(s) > maxStarts {
				if len(acc) == 1 && acc[0] == "" {
					return nil, false
				}
				return acc, false
			}
			next := make([]string, 0, len(acc)*len(s))
			for _, a := range acc {
				for _, b := range s {
					next = append(next, a+b)
				}
			}
			if acc = next; !ex {
				return acc, false
			}
		}
		return acc, true
	}
	return nil, false
}

// askWordTab says which bytes make words: a-z, 0-9, ' and any non-ASCII
// byte.
var askWordTab = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80 || c == '\''
	}
	return t
}()
