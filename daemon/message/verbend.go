package message

import (
	"unicode/utf8"
)

// verbEnd says whether s ends in a quote verb, maybe the author, then a
// colon or dashes: "… Bob <bob@example.com> wrote:". It is the expression
//
//	(?i)(?:^|[^\pL])(verb)(?:[^\pL](?:[^:]|\d:\d){0,120})?(?::\s*-*|\s-{2,}|-{2,}|\s*:\s*)\s*$
//
// over quoteVerbs (verbEndRev is it written for the text reversed), read
// without an automaton: Go's regexp ran that one, with its 120 counted
// pieces and some 50 verbs, at several microseconds a line, 5% of a first
// sync's CPU. Here each word start that begins like a verb is tried, and
// what follows a verb is read once from the end (verbEndRest).
// TestAttributionPrefilters and FuzzVerbEnd check it against the
// expression.
func verbEnd(s string) bool {
	if mStart(s) < 0 {
		return false // no colon or dashes at the end: nothing can match
	}
	prev := rune(-1) // the rune before a, as the regexp decodes s; -1 at the start
	for a := 0; a < len(s); {
		r, n := utf8.DecodeRuneInString(s[a:])
		if prev < 0 || !foldLetter(prev) {
			for _, v := range verbsByFirst[s[a]] {
				if b, ok := foldPrefix(s, a, v); ok && verbEndRest(s[b:]) {
					return true
				}
			}
		}
		prev = r
		a += n
	}
	return false
}

// verbEndRest says whether what follows a verb is, in the expression of
// verbEnd, (?:[^\pL](?:[^:]|\d:\d){0,120})? and then the end mark M,
// (?::\s*-*|\s-{2,}|-{2,}|\s*:\s*)\s*$.
//
// M is made of white space, dashes and at most one colon, and what may
// stand before it (the pieces) holds no colon but one between digits. So
// of two places where M could start, the farther from the end leaves
// fewer pieces and is as good: the text between them is white space and
// dashes, single pieces. verbEndRest takes M at its longest (mStart) and
// checks the pieces before it.
func verbEndRest(r string) bool {
	p := mStart(r)
	switch {
	case p < 0:
		return false
	case p == 0:
		return true // the verb, then the mark: "wrote:"
	}
	// the optional group: a non-letter right after the verb, then at
	// most 120 pieces, each a rune that is not a colon or a time's
	// "d:d". M is ASCII, so p is past the first rune.
	c, n := utf8.DecodeRuneInString(r)
	if foldLetter(c) {
		return false
	}
	y := r[n:p]
	colons := 0
	for j := 0; j < len(y); j++ {
		if y[j] != ':' {
			continue
		}
		// a colon is the middle of a "d:d" of its own: digits on both
		// sides, neither shared with another colon ("1:2:3" is none)
		if j == 0 || j+1 >= len(y) || !isDigit(y[j-1]) || !isDigit(y[j+1]) || j+2 < len(y) && y[j+2] == ':' {
			return false
		}
		colons++
	}
	return utf8.RuneCountInString(y)-2*colons <= 120
}

// mStart is where the longest suffix of r matching verbEnd's end mark
// (?::\s*-*|\s-{2,}|-{2,}|\s*:\s*)\s*$ starts, or -1 when none does.
func mStart(r string) int {
	e := len(r)
	for e > 0 && isRESpace(r[e-1]) {
		e--
	}
	d := e // the dashes before the trailing white space
	for d > 0 && r[d-1] == '-' {
		d--
	}
	w := d // and the white space before them
	for w > 0 && isRESpace(r[w-1]) {
		w--
	}
	dashes := e - d
	switch {
	case dashes >= 1 && w > 0 && r[w-1] == ':':
		return w - 1 // ":\s*-*", dashes and all
	case dashes >= 2 && d > 0 && isRESpace(r[d-1]):
		return d - 1 // "\s-{2,}"
	case dashes >= 2:
		return d // "-{2,}"
	case dashes == 0 && e > 0 && r[e-1] == ':':
		x := e - 1 // "\s*:\s*", the white space before the colon too
		for x > 0 && isRESpace(r[x-1]) {
			x--
		}
		return x
	}
	return -1
}

// verbsByFirst are quoteVerbs by the first byte a text can start with to
// match them (byFoldedFirstByte).
var verbsByFirst = byFoldedFirstByte(quoteVerbs)
