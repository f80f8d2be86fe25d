package message

import (
	"regexp"
	"strings"
)

// askRes are the compiled ask phrases, one per lexicon entry so each can be
// tested on its own.
var askRes = func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(askPhrases))
	for i, a := range askPhrases {
		res[i] = regexp.MustCompile(`(?i)(?:^|[^\pL\pN])` + a.pattern)
	}
	return res
}()

// IsStatusAsk says whether a text asks its reader for a status update ("any
// update on X?", "where are we on", "can you update me"). Pass the visible
// text: a question in a quoted thread was asked before.
func IsStatusAsk(text string) bool {
	t := lowerFold(text)
	for _, re := range askRes {
		if re.MatchString(t) {
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
