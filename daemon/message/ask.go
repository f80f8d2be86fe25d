package message

import (
	"regexp"
	"strings"

	"github.com/leadup/leadup/daemon/reading"
)

// askRes are the compiled ask phrases, one per lexicon entry. Texts are
// lowercased before matching (lowerFold), so the patterns need no (?i),
// which is slow in Go's regexp; and each runs only on a short sentence that
// holds a word it needs, where Go's fast backtracker applies.
var askRes = func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(askPhrases))
	for i, a := range askPhrases {
		res[i] = regexp.MustCompile(askBoundary + a.pattern)
	}
	return res
}()

// askBoundary anchors a phrase at the start of a word, Unicode-aware.
const askBoundary = `(?:^|[^\pL\pN])`

// askScanLimit bounds how much of a text is searched for an ask: a request
// for status is made in the opening of a mail, not 50 KiB down a report.
const askScanLimit = 8 << 10

// askNeeds is every word some ask phrase needs (askPhrase.needs).
var askNeeds = func() []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range askPhrases {
		for _, n := range a.needs {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}()

// askCandidates returns the sentences of t (lowercased) that contain a word
// some ask phrase needs; only they are worth the regexp. Line breaks inside
// a sentence are spaces (mail wraps at 72 columns); a sentence keeps its
// closing "?" for the phrases that end with one.
func askCandidates(t string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		s := strings.TrimSpace(strings.ReplaceAll(t[start:end], "\n", " "))
		start = end
		if containsAny(s, askNeeds) {
			out = append(out, s)
		}
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '.', '!', '?':
			if i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\n' {
				flush(i + 1)
			}
		case '\n':
			if i+1 < len(t) && t[i+1] == '\n' {
				flush(i + 1)
			}
		}
	}
	flush(len(t))
	return out
}

// IsStatusAsk says whether a text asks its reader for a status update ("any
// update on X?", "where are we on", "can you update me"). Pass the visible
// text: a question in a quoted thread was asked before.
func IsStatusAsk(text string) bool {
	if len(text) > askScanLimit {
		text = text[:askScanLimit]
	}
	lower := lowerFold(text)
	for _, s := range askCandidates(lower) {
		for i, a := range askPhrases {
			if containsAny(s, a.needs) && askRes[i].MatchString(s) {
				return true
			}
		}
	}
	// German, French and Spanish asks are phrases in reading's lexicon.
	return reading.Default.MentionsLower("asks", lower)
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// IsAutoReplySubject says whether a subject is an out-of-office or other
// automatic reply's. A reply or forward ("Re: out of office next week") is a
// person writing about it, not an auto-reply.
func IsAutoReplySubject(subject string) bool {
	if isReplySubject(subject) {
		return false
	}
	s := lowerFold(subject)
	for _, p := range autoReplySubjects {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
