package message

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Literal tests in front of the signature regexps. Each says no only where
// its regexp cannot match, and the regexp still decides every yes, so a
// test can save work but never change a result. signature_agree_test.go
// checks each against its regexp (TestSigPrefiltersAgree,
// FuzzSigPrefiltersAgree).

// hasPhone says phoneRe.MatchString(s).
//
// phoneRe is (?:^|[^\d])\+?\(?\d[\d\s().\-/]{5,}\d(?:[^\d]|$): a digit,
// five or more of the ASCII class C = [0-9 \t\n\f\r().\-/], a digit, with
// no digit just before or after. Take the maximal run of C bytes a match
// lies in: its first digit has no digit before it and its last none after
// (the byte before or after is outside C, or in C but not a digit), and
// every byte between them is in C; the optional "+(" may always be left
// out, the byte before the digit serving as [^\d]. So phoneRe matches if
// and only if some maximal run of C holds a first and a last digit at
// least six bytes apart, which mayPhone checks in one pass (C is ASCII,
// and no byte of a multi-byte rune is in it).
func hasPhone(s string) bool { return mayPhone(s) && phoneRe.MatchString(s) }

func mayPhone(s string) bool {
	firstDigit, lastDigit := -1, -1 // in the current run of C
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			if firstDigit < 0 {
				firstDigit = i
			}
			lastDigit = i
			if lastDigit-firstDigit >= 6 {
				return true
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
			c == '(' || c == ')' || c == '.' || c == '-' || c == '/':
		default:
			firstDigit = -1 // the run ends
		}
	}
	return false
}

// hasEmail says emailRe.MatchString(s); emailRe ([\w.+-]+@[\w-]+\.[\w.-]+)
// holds a literal '@'.
func hasEmail(s string) bool {
	return strings.IndexByte(s, '@') >= 0 && emailRe.MatchString(s)
}

// hasURL says urlRe.MatchString(s).
//
// urlRe is (?i)(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|…|biz)\b: a
// match holds "://", or "www." in any case, or a '.' followed by a
// top-level domain in any case. mayURL looks for "://", and at every '.'
// for "www" before it or, after it, the first letter of one of the domains
// (or its capital: no rune outside ASCII folds to c, o, n, i, d, f, u, e,
// b or w, the letters involved, under (?i)'s simple folding).
func hasURL(s string) bool { return mayURL(s) && urlRe.MatchString(s) }

func mayURL(s string) bool {
	if strings.Contains(s, "://") {
		return true
	}
	for i := strings.IndexByte(s, '.'); i >= 0; {
		if i+1 < len(s) && urlTLDLead[s[i+1]] {
			return true
		}
		if i >= 3 && hasPrefixFoldASCII(s[i-3:i], "www") {
			return true
		}
		j := strings.IndexByte(s[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// urlTLDLead are the first letters of urlRe's top-level domains, both
// cases.
var urlTLDLead = func() (t [256]bool) {
	for _, d := range []string{"com", "org", "net", "io", "de", "fr", "co", "uk", "eu", "info", "biz"} {
		t[d[0]], t[d[0]-'a'+'A'] = true, true
	}
	return t
}()

// signOffLead rules out the lines neither signOffRe nor signOffGlue can
// match: both start ^\s*(?i:sign-off), so a line that may match starts,
// after \s, with the first runes of a sign-off, case folded.
var signOffLead = newFoldLead(signOffs, 4)

// foldLead is a quick, exact-or-more test for a regexp anchored at a
// line's start on a phrase list under (?i) (^\s*(?i:phrase|…), spaces in
// a phrase matching \s+, as alternation writes them): a line can match
// only if, after leading \s, its first runes are the first runes of a
// phrase. Runes are compared folded as (?i) folds them: to the least rune
// of their unicode.SimpleFold orbit (so ſ is s and the Kelvin sign is k,
// which strings.ToLower does not give), and a run of \s as one space.
type foldLead struct {
	heads map[string]bool // the phrases' folded first n runes (fewer for a shorter phrase)
	n     int
}

func newFoldLead(phrases []string, n int) foldLead {
	fl := foldLead{heads: map[string]bool{}, n: n}
	for _, p := range phrases {
		var buf [64]byte
		fl.heads[string(fl.head(buf[:0], strings.TrimLeft(p, reSpace)))] = true
	}
	return fl
}

// head appends the folded first n runes of s to dst.
func (fl foldLead) head(dst []byte, s string) []byte {
	for k := 0; k < fl.n && s != ""; k++ {
		if strings.IndexByte(reSpace, s[0]) >= 0 {
			dst = append(dst, ' ')
			s = strings.TrimLeft(s, reSpace)
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		dst = utf8.AppendRune(dst, foldRune(r))
	}
	return dst
}

// may reports whether l may match: false only when it cannot.
func (fl foldLead) may(l string) bool {
	var buf [32]byte
	h := fl.head(buf[:0], strings.TrimLeft(l, reSpace))
	// a phrase shorter than n runes is kept whole: try every rune boundary
	for k := len(h); k > 0; k-- {
		if (k == len(h) || utf8.RuneStart(h[k])) && fl.heads[string(h[:k])] {
			return true
		}
	}
	return false
}

// foldRune is the least rune of r's simple case-folding orbit: two runes
// are equal under (?i) if and only if their foldRune is.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		// the capital is the least of an ASCII letter's orbit (k's holds
		// the Kelvin sign, s's the long s, both above ASCII)
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}
