// Package textwrap fills words into lines of a given width, the way a
// mail client wraps plain text: the digest's bullets and the demo's
// seeded mail use it.
package textwrap

import (
	"strings"
	"unicode/utf8"
)

// Fill writes the words of text after first, breaking before a word that
// would pass width (in runes) and starting each further line with cont.
// A word longer than a line stands on its own line.
func Fill(b *strings.Builder, first, cont, text string, width int) {
	b.WriteString(first)
	col := utf8.RuneCountInString(first)
	fresh := true // nothing on this line yet but its prefix
	for _, w := range strings.Fields(text) {
		n := utf8.RuneCountInString(w)
		if !fresh && col+1+n > width {
			b.WriteString("\n" + cont)
			col = utf8.RuneCountInString(cont)
			fresh = true
		}
		if !fresh {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
		fresh = false
	}
}
