package message

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// byFoldedFirstByte indexes phrases, each starting with a letter, by the
// first byte a text can start with to match them under (?i): the first
// byte of every rune in the case-fold orbit of the phrase's first rune
// ("s", "S" and "ſ" for "sent from my"). A phrase is listed once under a
// byte, in the order given; foldPrefix then says whether it matches.
func byFoldedFirstByte(phrases []string) *[256][]string {
	t := new([256][]string)
	for _, p := range phrases {
		r0, _ := utf8.DecodeRuneInString(p)
		for r := r0; ; {
			var b [utf8.UTFMax]byte
			utf8.EncodeRune(b[:], r)
			if l := t[b[0]]; len(l) == 0 || l[len(l)-1] != p { // two runes of one orbit may share a first byte
				t[b[0]] = append(l, p)
			}
			if r = unicode.SimpleFold(r); r == r0 {
				break
			}
		}
	}
	return t
}

// leadWords is a quick, exact-or-more test for regexps anchored at a line's
// start on a phrase list ("^\s*[(<\[]*\s*(?:sent from my|…)"): a line can
// match only if, once the characters allowed before the phrase are trimmed,
// it begins with one of the phrases' first words, case folded. Most lines
// of a mail fail on their first byte, so the regexp runs only on the few
// that might match.
type leadWords struct {
	trim    string         // characters the regexp allows before the phrase
	trimSet *[256]bool     // trim as a byte set, when it is ASCII
	first   *[256][]string // lowercased first words, by their first byte
	long    int            // bytes of the longest first word
}

func newLeadWords(trim string, phrases ...[]string) leadWords {
	lw := leadWords{trim: trim, first: new([256][]string)}
	if isASCII(trim) {
		lw.trimSet = new([256]bool)
		for k := 0; k < len(trim); k++ {
			lw.trimSet[trim[k]] = true
		}
	}
	for _, ps := range phrases {
		for _, p := range ps {
			w, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(p)), " ")
			if w == "" {
				continue
			}
			lw.first[w[0]] = append(lw.first[w[0]], w)
			lw.long = max(lw.long, len(w))
		}
	}
	return lw
}

// may reports whether l may match: false only when it cannot.
func (lw leadWords) may(l string) bool {
	t := l
	if lw.trimSet != nil {
		for t != "" && lw.trimSet[t[0]] {
			t = t[1:]
		}
	} else {
		t = strings.TrimLeft(l, lw.trim)
	}
	if t == "" {
		return false
	}
	c := t[0]
	if c >= utf8.RuneSelf {
		// A first letter outside ASCII ("É", "П"): fold the start.
		n := min(len(t), lw.long+utf8.UTFMax)
		for n < len(t) && !utf8.RuneStart(t[n]) {
			n++
		}
		t = strings.ToLower(t[:n])
		c = t[0]
	} else if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	cands := lw.first[c]
	if len(cands) == 0 {
		return false
	}
	head := t[:min(len(t), lw.long+utf8.UTFMax)]
	if isASCII(head) {
		// ToLower of ASCII, without the copy
		for _, w := range cands {
			if hasPrefixFoldASCII(head, w) {
				return true
			}
		}
		return false
	}
	head = strings.ToLower(head)
	for _, w := range cands {
		if strings.HasPrefix(head, w) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for k := 0; k < len(s); k++ {
		if s[k] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPrefixFoldASCII is strings.HasPrefix(strings.ToLower(s), w) for ASCII s.
func hasPrefixFoldASCII(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for k := 0; k < len(w); k++ {
		c := s[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[k] {
			return false
		}
	}
	return true
}
