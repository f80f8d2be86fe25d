package reading

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// appendWords appends the words of s, as words(s) splits and lowercases
// them, joined by single spaces, to dst: strings.Join(words(s), " ")
// without the slices and strings (the block builder looks up every
// heading and label this way). ends[k] gets the end of the join of the
// first k+1 words, for the first len(ends) words; n is the number of
// words. Words follow one another rune by rune as in words: ’ is ', a
// rune is lowercased (unicode.ToLower, as strings.ToLower does it; an
// invalid byte is U+FFFD, as strings.ToLower writes it), and a word is a
// run of letters, digits, marks (Mn), ' and *.
func appendWords(dst []byte, s string, ends []int) (out []byte, n int) {
	return appendWordsUpTo(dst, s, ends, -1)
}

// appendWordsUpTo is appendWords that stops at the start of word most+1
// (when most >= 0), with n = most+1: a caller that wants at most a few
// words need not read a paragraph.
func appendWordsUpTo(dst []byte, s string, ends []int, most int) (out []byte, n int) {
	in := false
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		if c < utf8.RuneSelf {
			i++
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\'' || c == '*') {
				in = false
				continue
			}
			if !in {
				if n == most {
					return dst, n + 1
				}
				if n > 0 {
					dst = append(dst, ' ')
				}
				n++
				in = true
			}
			dst = append(dst, c)
			if n <= len(ends) {
				ends[n-1] = len(dst)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\u2019' {
			r = '\''
		} else {
			r = unicode.ToLower(r) // RuneError stays itself: a separator
		}
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '*' || unicode.Is(unicode.Mn, r)) {
			in = false
			continue
		}
		if !in {
			if n == most {
				return dst, n + 1
			}
			if n > 0 {
				dst = append(dst, ' ')
			}
			n++
			in = true
		}
		dst = utf8.AppendRune(dst, r)
		if n <= len(ends) {
			ends[n-1] = len(dst)
		}
	}
	return dst, n
}

// fieldCount is len(strings.Fields(s)) up to limit (it stops counting
// there): the builder only asks whether a label has more than a few.
func fieldCount(s string, limit int) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		space := false
		if c < utf8.RuneSelf {
			i++
			space = asciiSpace[c]
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			space = unicode.IsSpace(r)
		}
		switch {
		case space:
			in = false
		case !in:
			in = true
			if n++; n >= limit {
				return n
			}
		}
	}
	return n
}

// asciiSpace is unicode.IsSpace on ASCII, as strings.Fields reads it.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// isLastWord says whether the last word of text (as words splits it) is
// one of the set's phrases: s.is(words(text)[last:]) without the words.
func (s *phraseSet) isLastWord(text string) bool {
	var buf [128]byte
	key, n := appendWords(buf[:0], text, nil)
	if n == 0 {
		return false
	}
	if i := bytes.LastIndexByte(key, ' '); i >= 0 {
		key = key[i+1:]
	}
	_, ok := s.whole[string(key)]
	return ok
}

// isText says whether the whole of text, as words, is one of the set's
// phrases: s.is(words(text)) without the words.
func (s *phraseSet) isText(text string) bool {
	var buf [128]byte
	key, n := appendWords(buf[:0], text, nil)
	if n == 0 {
		return false
	}
	_, ok := s.whole[string(key)]
	return ok
}
