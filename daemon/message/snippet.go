package message

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// greetingRe matches a salutation line ("Hi Bob,", "Hello team!") that
// carries no news and is left out of a snippet.
var greetingRe = regexp.MustCompile(`(?i)^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|liebe[rs]?|bonjour|hola|hej|hoi|cześć|привет|здравствуйте)\b[^.!?]{0,40}[,!:]?\s*$`)

// Snippet summarises visible text on one line of at most max runes: the
// greeting dropped, white space collapsed, cut at a word with "…".
func Snippet(visible string, max int) string {
	var parts []string
	n := 0
	for i, l := range strings.Split(visible, "\n") {
		if max > 0 && n > 4*max {
			break // enough text for the snippet: the rest of a long mail is not read
		}
		l = strings.TrimSpace(l)
		if l == "" || i == 0 && greetingRe.MatchString(l) && strings.Contains(visible, "\n") {
			continue
		}
		// a forward's marker and header lines say nothing about the news
		if forwardRe.MatchString(l) || separatorRe.MatchString(l) || fieldRole(l) != "" {
			continue
		}
		parts = append(parts, l)
		n += len(l) + 1
	}
	s := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
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
