package message

import "strings"

// Unflow undoes format=flowed (RFC 3676): a line that ends in a space
// continues on the next line of the same quote depth; one space that
// stuffs a line's start is removed; with delsp=yes the trailing space
// itself was added by the sender's client and is dropped. The "-- "
// signature line is never joined. Linear in the length of text.
func Unflow(text string, delsp bool) string {
	var b strings.Builder
	b.Grow(len(text))
	open := false // the previous line was flowed into this one
	prevDepth := 0
	// the lines of text split at "\n", each without the "\r" of a "\r\n"
	// (what splitting strings.ReplaceAll(text, "\r\n", "\n") gave), read
	// in place
	for rest, more := text, true; more; {
		var l string
		l, rest, more = strings.Cut(rest, "\n")
		if more {
			l = strings.TrimSuffix(l, "\r")
		}
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		body := l[depth:]
		body = strings.TrimPrefix(body, " ") // space-stuffing (and "> " quoting)
		if open && depth != prevDepth {
			b.WriteByte('\n') // a flowed line never joins another depth
			open = false
		}
		if !open && depth > 0 {
			for range depth {
				b.WriteByte('>')
			}
			b.WriteByte(' ')
		}
		flowed := strings.HasSuffix(body, " ") && body != "-- "
		if flowed && delsp {
			body = body[:len(body)-1]
		}
		b.WriteString(body)
		if !flowed {
			b.WriteByte('\n')
		}
		open, prevDepth = flowed, depth
	}
	return strings.TrimSuffix(b.String(), "\n")
}
