package message

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// greetingRe matches a salutation line ("Hi Bob,", "Hello team!") that
// carries no news and is left out of a snippet. isGreeting says what it
// says without running it.
var greetingRe = regexp.MustCompile(`(?i)^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|liebe[rs]?|bonjour|hola|hej|hoi|cześć|привет|здравствуйте)\b[^.!?]{0,40}[,!:]?\s*$`)

// Snippet summarises visible text on one line of at most max runes: the
// greeting dropped, white space collapsed, cut at a word with "…".
//
// It stops reading once it holds more than max runes: the snippet is then
// the first max-1 of them cut at a word, and nothing further can change
// it (it once joined up to 4*max bytes of words and cut the whole of them
// to runes). The words are gathered in a stack buffer, so the snippet
// itself is the one allocation.
func Snippet(visible string, max int) string {
	var arr [1024]byte
	b := arr[:0]
	runes := 0 // in b
	first := true
	for l := range strings.Lines(visible) {
		if max > 0 && (len(b) > 4*max || runes > max) {
			break // enough text for the snippet: the rest of a long mail is not read
		}
		// the text has more than one line if and only if its first ends
		// in a line break
		greetable := first && strings.HasSuffix(l, "\n")
		first = false
		l = strings.TrimSpace(l)
		if l == "" || greetable && isGreeting(l) {
			continue
		}
		// a forward's marker and header lines say nothing about the news
		// (separatorRe needs dashLed: ^\s*[-_=*~]{2,}; fieldRole a known
		// name before the colon, see mayHeaderField)
		if isForwardLine(l) || dashLed(l) && separatorRe.MatchString(l) || mayHeaderField(l) && fieldRole(l) != "" {
			continue
		}
		if max > 0 && len(l) > 4*max {
			l = cutBytes(l, 4*max) // one long line: only its start can show
		}
		// the words of l, each after one space (strings.FieldsSeq's
		// words: split at unicode.IsSpace), until more than max runes
		for i := 0; i < len(l) && (max <= 0 || runes <= max); {
			c := l[i]
			if c < utf8.RuneSelf {
				if asciiSpace[c] {
					i++
					continue
				}
			} else if r, size := utf8.DecodeRuneInString(l[i:]); unicode.IsSpace(r) {
				i += size
				continue
			}
			if len(b) > 0 {
				b = append(b, ' ')
				runes++
			}
			j := i // the word is l[i:j]
			for j < len(l) {
				if c := l[j]; c < utf8.RuneSelf {
					if asciiSpace[c] {
						break
					}
					j++
					runes++
				} else {
					r, size := utf8.DecodeRuneInString(l[j:])
					if unicode.IsSpace(r) {
						break
					}
					j += size
					runes++
				}
			}
			b = append(b, l[i:j]...)
			i = j
		}
	}
	if max <= 0 || runes <= max {
		return string(b)
	}
	if !utf8.Valid(b) {
		// a byte that is not UTF-8 becomes U+FFFD, as []rune makes it
		b = []byte(string([]rune(string(b))))
	}
	// the first max-1 runes, cut at the last space after the first max/2+1
	cut, end := -1, 0
	if runes == len(b) {
		// all ASCII: a rune is a byte
		end = max - 1
		if k := bytes.LastIndexByte(b[:end], ' '); k > max/2 {
			cut = k
		}
	} else {
		for k := 0; k < max-1; k++ {
			if b[end] == ' ' && k > max/2 {
				cut = end
			}
			if b[end] < utf8.RuneSelf {
				end++
			} else {
				_, size := utf8.DecodeRune(b[end:])
				end += size
			}
		}
	}
	if cut < 0 {
		cut = end
	}
	b = append(bytes.TrimRight(b[:cut], " ,;:-"), "…"...)
	return string(b)
}

// isGreeting says greetingRe.MatchString(s), by hand: the regexp ran on
// the first line of every snippet.
//
// After ^\s*, a greeting word (greetingWords: greetingRe's alternation
// spelt out) matches rune by rune under (?i), i.e. when the runes fold to
// the same least rune of their orbit (foldRune). Then \b: Go's is ASCII,
// true where exactly one of the runes around it is [0-9A-Za-z_]. Then
// [^.!?]{0,40}[,!:]?\s*$ matches the rest if and only if the rest, less
// its trailing \s and then one final ',', '!' or ':', holds no '.', '!'
// or '?' and at most 40 runes: a split X Y Z has Z within the trailing \s,
// and a Y is the last rune before them, so this X is the shortest and the
// only one that can hold no '!'.
func isGreeting(s string) bool {
	s = strings.TrimLeft(s, reSpace)
	for _, w := range greetingWords {
		n, last, ok := foldedPrefix(s, w)
		if !ok {
			continue
		}
		rest := s[n:]
		next, _ := utf8.DecodeRuneInString(rest)
		if syntax.IsWordChar(last) == (rest != "" && syntax.IsWordChar(next)) {
			continue // no \b after the word
		}
		rest = strings.TrimRight(rest, reSpace)
		if rest != "" && strings.IndexByte(",!:", rest[len(rest)-1]) >= 0 {
			rest = rest[:len(rest)-1]
		}
		if !strings.ContainsAny(rest, ".!?") && utf8.RuneCountInString(rest) <= 40 {
			return true
		}
	}
	return false
}

// greetingWords are greetingRe's alternatives.
var greetingWords = []string{"hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "hallo",
	"liebe", "lieber", "liebes", "bonjour", "hola", "hej", "hoi", "cześć", "привет", "здравствуйте"}

// foldedPrefix says whether s starts with w under (?i), the bytes of s
// that match and the last rune of them.
func foldedPrefix(s, w string) (n int, last rune, ok bool) {
	for _, wr := range w {
		if n == len(s) {
			return 0, 0, false
		}
		r, size := utf8.DecodeRuneInString(s[n:])
		if r != wr && foldRune(r) != foldRune(wr) {
			return 0, 0, false
		}
		n += size
		last = r
	}
	return n, last, true
}

// mayHeaderField says whether fieldRole(l) may be a role: false only when
// it cannot, so the lines of a status mail ("Done:", "Next steps: …")
// skip fieldRe's match and its allocation.
//
// fieldRole gives a role only when fieldRe (^\s*\*?\s*(name)\s*\*?\s*:)
// matches and headerFields holds the name, lowered, its words joined by
// one space. The name cannot hold a colon, so the match's colon is the
// line's first; before it stand only white space and at most two '*'
// around the name, and the name's own white space is spaces. So the
// runes before the first colon, but for \s and '*', lowered, are the
// name's, lowered, without its spaces: they must be a headerFields name
// without its spaces (headerFieldsSqueezed).
func mayHeaderField(l string) bool {
	c := strings.IndexByte(l, ':')
	if c < 0 {
		return false
	}
	var arr [64]byte
	b := arr[:0]
	for _, r := range l[:c] {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' || r == '*':
			continue
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
		default:
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
		if len(b) > maxHeaderFieldName {
			return false // longer than every name
		}
	}
	return headerFieldsSqueezed[string(b)]
}

// headerFieldsSqueezed are headerFields' names without their spaces, and
// maxHeaderFieldName the bytes of the longest.
var headerFieldsSqueezed, maxHeaderFieldName = func() (map[string]bool, int) {
	m, n := map[string]bool{}, 0
	for name := range headerFields {
		sq := strings.Join(strings.Fields(name), "")
		m[sq] = true
		n = max(n, len(sq))
	}
	return m, n
}()

// asciiSpace are the ASCII bytes unicode.IsSpace holds spaces.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// cutBytes is s cut to at most n bytes at a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
