package message

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// findOpeners is onWordRe.FindAllStringSubmatchIndex(s, n) without the
// regexp, which was a tenth of a parse: the attribution openers ("On",
// "Le", "Am", "w dniu", …) that start s or follow a run of white space,
// dashes, '*' or '>', each followed by white space, matched as (?i) does
// (Unicode simple folding) and longest first. Each match is [start of the
// run (or 0), end of the white space after the word, word start, word
// end]. TestOpenersAgree and FuzzOpenersAgree check it against the regexp.
func findOpeners(s string, n int) [][]int {
	var out [][]int
	for pos := 0; pos < len(s) && (n < 0 || len(out) < n); {
		m := nextOpener(s, pos)
		if m == nil {
			break
		}
		out = append(out, m)
		pos = m[1]
	}
	return out
}

// nextOpener is the leftmost opener match at or after pos, or nil.
func nextOpener(s string, pos int) []int {
	if pos == 0 {
		if end, ok := openerAt(s, 0); ok {
			return []int{0, end + 1, 0, end}
		}
	}
	for p := pos; p < len(s); {
		r, size := rune(s[p]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[p:])
		}
		if !openerSep(r) {
			p += size
			continue
		}
		q := p + size
		for q < len(s) {
			r, size := utf8.DecodeRuneInString(s[q:])
			if !openerSep(r) {
				break
			}
			q += size
		}
		if end, ok := openerAt(s, q); ok {
			return []int{p, end + 1, q, end}
		}
		p = q // a later start in the same run meets the same word
	}
	return nil
}

// openerSep is [\s\-–—*>].
func openerSep(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\f', '\r', '-', '–', '—', '*', '>':
		return true
	}
	return false
}

// openerAt matches one of quoteOnWords at s[q:], longest first, followed
// by one white space character (\s); it returns the word's end.
func openerAt(s string, q int) (int, bool) {
	if q >= len(s) {
		return 0, false
	}
	words := openerWords
	if c := s[q]; c < utf8.RuneSelf {
		// only the openers whose first letter folds to this byte can
		// match (foldPrefix compares that letter first); the list keeps
		// their longest-first order
		words = openersByFirst[c]
	}
	for _, w := range words {
		if end, ok := foldPrefix(s, q, w); ok && end < len(s) && isRESpace(s[end]) {
			return end, true
		}
	}
	return 0, false
}

// foldPrefix matches phrase w at s[q:] as (?i) and \s+ for each space
// do, and returns where the match ends.
func foldPrefix(s string, q int, w string) (int, bool) {
	i := q
	for _, pr := range w {
		if pr == ' ' {
			if i >= len(s) || !isRESpace(s[i]) {
				return 0, false
			}
			for i < len(s) && isRESpace(s[i]) {
				i++
			}
			continue
		}
		if i >= len(s) {
			return 0, false
		}
		tr, size := utf8.DecodeRuneInString(s[i:])
		if !foldEq(pr, tr) {
			return 0, false
		}
		i += size
	}
	return i, true
}

// foldEq says whether r and t are the same letter under Unicode simple
// folding, as (?i) compares them.
func foldEq(r, t rune) bool {
	if r == t {
		return true
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f == t {
			return true
		}
	}
	return false
}

// isRESpace is \s: one of reSpace.
func isRESpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\f', '\r':
		return true
	}
	return false
}

// openerWords are quoteOnWords longest first, as alternation orders them;
// openersByFirst are, for each ASCII byte, those of them whose first
// letter is that byte under simple folding, in the same order (a text
// starting with any other byte cannot match them).
var openerWords, openersByFirst = func() ([]string, [utf8.RuneSelf][]string) {
	ws := append([]string(nil), quoteOnWords...)
	sort.SliceStable(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	var by [utf8.RuneSelf][]string
	for c := range rune(utf8.RuneSelf) {
		for _, w := range ws {
			if r, _ := utf8.DecodeRuneInString(w); foldEq(r, c) {
				by[c] = append(by[c], w)
			}
		}
	}
	return ws, by
}()
