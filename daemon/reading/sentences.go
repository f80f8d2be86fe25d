package reading

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period that does not end a sentence. Lowercase,
// without the final period.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "eg": true, "ie": true, "vs": true, "approx": true, "incl": true, "excl": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "jr": true, "sr": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "dept": true, "est": true, "fig": true, "no": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "mon": true, "tue": true, "wed": true, "thu": true,
	"fri": true, "sat": true, "sun": true, "cf": true, "al": true, "ca": true, "resp": true, "min": true,
	"max": true, "ref": true, "re": true, "fwd": true, "p": true, "pp": true, "vol": true, "ed": true,
	// German, French, Spanish
	"z.b": true, "bzw": true, "usw": true, "ggf": true, "evtl": true, "ca.": true, "nr": true, "bspw": true,
	"d.h": true, "u.a": true, "mme": true, "mlle": true, "cf.": true, "env": true, "sra": true, "sr.": true,
	"srta": true, "ud": true, "uds": true, "p.ej": true, "aprox": true, "núm": true,
}

// Sentences splits a paragraph into sentences. A sentence ends at ".",
// "!", "?", "…" (and their CJK forms) followed by a space and what can
// start a sentence, or at a line break kept in the paragraph (a break the
// writer made, not the wrapping). Periods in abbreviations, initials,
// decimals, versions (1.9.1), times (10.30), dates, URLs and addresses do
// not end one. Linear in the length of text.
func Sentences(text string) []string {
	var out []string
	eachSentence(text, func(s string) { out = append(out, s) })
	return out
}

// eachSentence calls fn with each sentence of text, in order, as
// Sentences returns them.
func eachSentence(text string, fn func(string)) {
	start := 0
	emit := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			fn(s)
		}
		start = end
	}
	for i := 0; i < len(text); {
		if !mayEnd[text[i]] {
			i = quietUntil(text, i+1) // most bytes cannot end a sentence: skip them undecoded
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			emit(i)
			start = i + 1
		case r == '。' || r == '！' || r == '？':
			emit(i + size)
		case r == '.' || r == '!' || r == '?' || r == '…':
			j := i + size
			// A run of closers: "?!", "...", '."', ".)".
			for j < len(text) {
				c, cs := utf8.DecodeRuneInString(text[j:])
				if c == '.' || c == '!' || c == '?' || c == '…' || c == '"' || c == '\'' || c == ')' || c == ']' ||
					c == '\u201d' || c == '\u2019' || c == '»' {
					j += cs
					continue
				}
				break
			}
			if j >= len(text) {
				i = j
				continue
			}
			if ends(text, start, i, j, r) {
				emit(j)
			}
			i = j
			continue
		}
		i += size
	}
	emit(len(text))
}

// mayEnd marks the bytes eachSentence decodes: . ! ? and the line end,
// and the lead bytes of the multibyte runes that may end a sentence
// (… 。 ！ ？ start with E2, E3, EF) or that it must step over whole (three-
// and four-byte runes other than those: F0-F4 and the rest of E0-EF).
// ASCII, continuation bytes and two-byte leads (C0-DF) are skipped.
var mayEnd = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = !(c < 0x80 && c != '.' && c != '!' && c != '?' && c != '\n' ||
			c >= 0x80 && c != 0xE2 && c != 0xE3 && c != 0xEF && c < 0xC0 || c >= 0xC0 && c < 0xE0)
	}
	return t
}()

// quietUntil returns the first index from i on whose byte is mayEnd, or
// len(text): the loop "for !mayEnd[text[i]] { i++ }", eight bytes at a
// time while none of them is.
//
// The test on eight bytes x says whether one of them is '.', '!', '?',
// '\n' or at least 0xE0, which are the bytes mayEnd marks: zero(x^b*lo)
// has a byte's high bit set for some byte iff one byte of x is b (the
// bit trick of "haszero": exact as to whether there is one), and
// x&(x<<1)&(x<<2)&hi has a byte's high bit set iff that byte's top three
// bits are set (each byte's bits 7, 6 and 5 shifted onto its bit 7; a
// bit shifted in from the byte below lands at bit 0 or 1, masked off).
// Which byte: the lowest bit set in the union of the tests is that of
// the first byte that is one of them (zero's lowest bit is exact, it is
// only above a zero byte that a borrow may set more).
func quietUntil(text string, i int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - lo) &^ v & hi }
	for ; i+8 <= len(text); i += 8 {
		b := text[i : i+8]
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if m := zero(x^('.'*lo)) | zero(x^('!'*lo)) | zero(x^('?'*lo)) | zero(x^('\n'*lo)) | x&(x<<1)&(x<<2)&hi; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(text) && !mayEnd[text[i]] {
		i++
	}
	return i
}

// ends decides whether the terminator at text[i] (the run ending at j)
// ends the sentence that began at start.
func ends(text string, start, i, j int, term rune) bool {
	next, _ := utf8.DecodeRuneInString(text[j:])
	if next != ' ' && next != '\t' && next != '\n' && next != '\u00a0' {
		return false // "1.9.1", "example.com", "10.30", "e.g.,"
	}
	// The first letter after the spaces.
	k := j
	for k < len(text) {
		c, cs := utf8.DecodeRuneInString(text[k:])
		if c == ' ' || c == '\t' || c == '\u00a0' {
			k += cs
			continue
		}
		break
	}
	if k >= len(text) {
		return true
	}
	first, _ := utf8.DecodeRuneInString(text[k:])
	if first == '\n' {
		return true
	}
	if term != '.' {
		return !unicode.IsLower(first)
	}
	// The word before the period: back to the last space, tab, (, " or
	// line end. Byte by byte: they are ASCII, and no byte of a multibyte
	// rune (nor of an invalid sequence) is, so the first such byte met
	// going back is where the rune-by-rune loop stopped.
	w := i
	for w > start {
		if c := text[w-1]; c == ' ' || c == '\t' || c == '(' || c == '"' || c == '\n' {
			break
		}
		w--
	}
	word := trimOpeners(text[w:i])
	// strings.ToLower(word), for a short ASCII word (most) in a buffer on
	// the stack: ToLower maps an ASCII string byte by byte, A-Z to a-z.
	var lb [32]byte
	if lw, ok := lowerShortASCII(lb[:0], word); ok {
		word = string(lw) // does not escape: no allocation for 32 bytes
	} else {
		word = strings.ToLower(word)
	}
	switch {
	case word == "":
		return !unicode.IsLower(first)
	case isAbbreviation(word): // abbreviations[word] || abbreviations[word+"."]
		// "e.g. Foo" never ends; "etc. The next" does.
		return false
	case utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(text[w:i])[0]):
		return false // an initial: "J. Smith"
	case strings.Contains(word, ".") && !strings.ContainsAny(word[strings.LastIndex(word, ".")+1:], "0123456789") &&
		len(word) <= 6 && !strings.Contains(word, "/"):
		return false // "U.S." "p.m."
	}
	if unicode.IsLower(first) {
		return false // "approx. half", a lowercase continuation
	}
	if unicode.IsDigit(first) && isDigitsWord(word) {
		return false // "No. 5", "3. 4"
	}
	return true
}

// trimOpeners is strings.TrimLeft(s, "(\"'\u201c") without the rune
// set (it has a rune of three bytes: TrimLeft decoded every rune of s).
func trimOpeners(s string) string {
	for {
		switch {
		case s != "" && (s[0] == '(' || s[0] == '"' || s[0] == '\''):
			s = s[1:]
		case strings.HasPrefix(s, "\u201c"):
			s = s[len("\u201c"):]
		default:
			return s
		}
	}
}

// isAbbreviation is abbreviations[word] || abbreviations[word+"."] as a
// switch on the word (ends ran two map lookups, and built word+".", for
// every period before a space): the cases are abbreviations' keys, and
// those keys with their final period dropped. TestAbbreviationSwitch
// holds the two to each other.
func isAbbreviation(word string) bool {
	if len(word) > maxAbbreviation {
		return false
	}
	switch word {
	case "e.g", "i.e", "eg", "ie", "vs", "approx", "incl", "excl",
		"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr",
		"inc", "ltd", "co", "corp", "dept", "est", "fig", "no",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
		"sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu",
		"fri", "sat", "sun", "cf", "al", "ca", "resp", "min",
		"max", "ref", "re", "fwd", "p", "pp", "vol", "ed",
		"z.b", "bzw", "usw", "ggf", "evtl", "ca.", "nr", "bspw",
		"d.h", "u.a", "mme", "mlle", "cf.", "env", "sra", "sr.",
		"srta", "ud", "uds", "p.ej", "aprox", "núm":
		return true
	}
	return false
}

// maxAbbreviation is the length in bytes of the longest key of
// abbreviations ("approx"): a longer word is none.
const maxAbbreviation = 6

// lowerShortASCII appends s lowercased to dst, if s is ASCII and fits in
// 32 bytes (ok false otherwise).
func lowerShortASCII(dst []byte, s string) ([]byte, bool) {
	if len(s) > 32 {
		return nil, false
	}
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c >= utf8.RuneSelf {
			return nil, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

func isDigitsWord(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}
