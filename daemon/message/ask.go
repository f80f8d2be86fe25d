package message

import (
	"regexp"
	"strings"
)

// askRes are the compiled ask phrases, one per lexicon entry so each can be
// tested on its own. Texts are lowercased before matching (lowerFold), so
// the patterns need no (?i), which is slow in Go's regexp.
var askRes = func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(askPhrases))
	for i, a := range askPhrases {
		res[i] = regexp.MustCompile(askBoundary + a.pattern)
	}
	return res
}()

// askBoundary anchors a phrase at the start of a word, Unicode-aware.
const askBoundary = `(?:^|[^\pL\pN])`

// askAny is every ask phrase in one alternation: one pass over the text
// instead of one per phrase (nine times faster on long mail).
var askAny = func() *regexp.Regexp {
	alts := make([]string, len(askPhrases))
	for i, a := range askPhrases {
		alts[i] = a.pattern
	}
	return regexp.MustCompile(askBoundary + `(?:` + strings.Join(alts, "|") + `)`)
}()

// askScanLimit bounds how much of a text is searched for an ask: a request
// for status is made in the opening of a mail, not 50 KiB down a report.
const askScanLimit = 8 << 10

// IsStatusAsk says whether a text asks its reader for a status update ("any
// update on X?", "where are we on", "can you update me"). Pass the visible
// text: a question in a quoted thread was asked before.
func IsStatusAsk(text string) bool {
	if len(text) > askScanLimit {
		text = text[:askScanLimit]
	}
	return askAny.MatchString(lowerFold(text))
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
