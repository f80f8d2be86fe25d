package message

// The reference: snippet.go as it was at ef72470, every name prefixed
// with ref, for the agreement tests.

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// refGreetingRe matches a salutation line ("Hi Bob,", "Hello team!") that
// carries no news and is left out of a snippet.
var refGreetingRe = regexp.MustCompile(`(?i)^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|liebe[rs]?|bonjour|hola|hej|hoi|cześć|привет|здравствуйте)\b[^.!?]{0,40}[,!:]?\s*$`)

// refSnippet summarises visible text on one line of at most max runes: the
// greeting dropped, white space collapsed, cut at a word with "…".
func refSnippet(visible string, max int) string {
	var b strings.Builder
	first, multiline := true, strings.Contains(visible, "\n")
	for l := range strings.Lines(visible) {
		if max > 0 && b.Len() > 4*max {
			break // enough text for the snippet: the rest of a long mail is not read
		}
		l = strings.TrimSpace(l)
		isFirst := first
		first = false
		if l == "" || isFirst && multiline && refGreetingRe.MatchString(l) {
			continue
		}
		// a forward's marker and header lines say nothing about the news
		if isForwardLine(l) || separatorRe.MatchString(l) || fieldRole(l) != "" {
			continue
		}
		if max > 0 && len(l) > 4*max {
			l = refCutBytes(l, 4*max) // one long line: only its start can show
		}
		for w := range strings.FieldsSeq(l) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	s := b.String()
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	cut := len(r)
	for i := len(r) - 1; i > max/2; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:-") + "…"
}

// refCutBytes is s cut to at most n bytes at a rune boundary.
func refCutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
