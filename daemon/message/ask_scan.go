package message

import (
	"sync"
	"unsafe"
)

// The one pass IsStatusAsk makes over a lowercased text: every place where
// an ask word (askWords: the phrases' needs, the imperatives and the small
// talk of askNotPhrases) occurs, as a substring, with a line break allowed
// for each of its spaces (hasPrefixWrapped). From those places IsStatusAsk
// knows, without searching each sentence for each word:
//   - the needs and imperatives that start a word somewhere in the text
//     (what askWordsIn found before);
//   - the words each sentence holds (containsAnyWrapped on the sentence,
//     containsAny on it with its line breaks as spaces: the same test, as
//     a space in a word matches a line break).

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
	if len(words) > 128 {
		panic("message: more than 128 ask words; widen askSet")
	}
	for _, w := range words {
		if len(w) < 2 || w[0] == ' ' || w[1] == ' ' {
			panic("message: ask word " + w + " is shorter than two letters")
		}
	}
	return words, idx
}()

type askSet [2]uint64

func (s *askSet) add(w uint8)        { s[w>>6] |= 1 << (w & 63) }
func (s askSet) meets(t askSet) bool { return s[0]&t[0] != 0 || s[1]&t[1] != 0 }
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
	// askByByte lists the ask words by first byte; askPair marks the
	// first two bytes of each (no ask word has a space there, so a line
	// break cannot stand for one), which rules out most places at once.
	askByByte = func() (b [256][]uint8) {
		for i, w := range askWords {
			b[w[0]] = append(b[w[0]], uint8(i))
		}
		return b
	}()
	askPair = func() (p [1 << 16 / 64]uint64) {
		for _, w := range askWords {
			k := int(w[0])<<8 | int(w[1])
			p[k>>6] |= 1 << (k & 63)
		}
		return p
	}()
)

// askOcc is one place of an ask word in a text.
type askOcc struct {
	pos  int32
	word uint8
}

// askScratch is what one IsStatusAsk works in, pooled: the lowercased
// text and the ask words' places in it.
type askScratch struct {
	lower []byte
	occ   []askOcc
}

var askScratches = sync.Pool{New: func() any {
	return &askScratch{lower: make([]byte, 0, askScanLimit)}
}}

// lowerFold is lowerFold(text), into sc's buffer when text is ASCII: then
// strings.ToLower only maps A-Z, and foldReplacer has nothing to replace.
// The string it returns lives until sc goes back to the pool; nothing
// IsStatusAsk hands it to keeps it (regexp matching, MentionsLower).
func (sc *askScratch) lowerFold(text string) string {
	b := append(sc.lower[:0], text...)
	for i, c := range b {
		if c >= 0x80 {
			return lowerFold(text)
		}
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	sc.lower = b
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// scan records in sc.occ every place of an ask word in t, in order, and
// returns the needs and imperatives that start a word (a word is made of
// a-z, 0-9, ' and any non-ASCII byte, as askWordsIn had it).
func (sc *askScratch) scan(t string) (present askSet) {
	occ := sc.occ[:0]
	for i := 0; i+1 < len(t); i++ {
		k := int(t[i])<<8 | int(t[i+1])
		if askPair[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		start := i == 0 || !askWordByte(t[i-1])
		for _, w := range askByByte[t[i]] {
			if hasPrefixWrapped(t[i:], askWords[w]) {
				occ = append(occ, askOcc{pos: int32(i), word: w})
				if start && askStarters[w>>6]&(1<<(w&63)) != 0 {
					present.add(w)
				}
			}
		}
	}
	sc.occ = occ
	return present
}

func askWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80 || c == '\''
}
