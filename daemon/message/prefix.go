package message

import (
	"strings"
	"unicode/utf8"
)

// leadWords is a quick, exact-or-more test for regexps anchored at a line's
// start on a phrase list ("^\s*[(<\[]*\s*(?:sent from my|…)"): a line can
// match only if, once the characters allowed before the phrase are trimmed,
// it begins with one of the phrases' first words, case folded. Most lines
// of a mail fail on their first byte, so the regexp runs only on the few
// that might match.
type leadWords struct {
	trim  string            // characters the regexp allows before the phrase
	first map[byte][]string // lowercased first words, by their first byte
	long  int               // bytes of the longest first word
}

func newLeadWords(trim string, phrases ...[]string) leadWords {
	lw := leadWords{trim: trim, first: map[byte][]string{}}
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
	t := strings.TrimLeft(l, lw.trim)
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
	head := strings.ToLower(t[:min(len(t), lw.long+utf8.UTFMax)])
	for _, w := range cands {
		if strings.HasPrefix(head, w) {
			return true
		}
	}
	return false
}
