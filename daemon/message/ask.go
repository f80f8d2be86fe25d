package message

import (
	"regexp"
	"slices"
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

// askDeadline names when an answer is due, after an imperative at the
// start of a sentence ("Send me the numbers by Friday."). Run only on such
// a sentence.
var askDeadline = regexp.MustCompile(`(?:^|[^\pL\pN])(?:by|before|until|no later than|asap|today|tonight|tomorrow|eod|eow|cob|end of (?:the )?(?:day|week)|this week|monday|tuesday|wednesday|thursday|friday)(?:[^\pL\pN]|$)`)

// askNeedsByByte buckets askNeeds and askImperatives by first byte, for
// the one pass that finds which of them a text holds (askWordsIn).
var askNeedsByByte = func() [256][]string {
	var b [256][]string
	for _, n := range askNeeds {
		b[n[0]] = append(b[n[0]], n)
	}
	for w := range askImperatives {
		b[w[0]] = append(b[w[0]], w)
	}
	return b
}()

// askWordsIn returns the ask words (askNeeds, askImperatives) that start a
// word of t (lowercased), in one pass over t. A need of several words may
// be wrapped across a line break ("on\ntrack").
func askWordsIn(t string, buf []string) []string {
	out := buf[:0]
	prevWord := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		isWord := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80 || c == '\''
		if isWord && !prevWord {
			for _, n := range askNeedsByByte[c] {
				if hasPrefixWrapped(t[i:], n) && !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
		prevWord = isWord
	}
	return out
}

// hasPrefixWrapped is strings.HasPrefix with a line break allowed for each
// space of prefix.
func hasPrefixWrapped(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for j := 0; j < len(prefix); j++ {
		if s[j] != prefix[j] && !(prefix[j] == ' ' && s[j] == '\n') {
			return false
		}
	}
	return true
}

// askCandidates returns the sentences of t (lowercased) that contain one of
// needs (the ask words t holds at all) or open with an imperative
// (askImperatives); only they are worth the regexp. Line breaks inside a
// sentence are spaces (mail wraps at 72 columns); a sentence keeps its
// closing "?" for the phrases that end with one.
func askCandidates(t string, needs []string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		// decided on the raw text, where a need's space may be a line
		// break, so only a candidate is copied with its breaks as spaces
		raw := strings.TrimSpace(t[start:end])
		start = end
		if containsAnyWrapped(raw, needs) || askImperatives[firstWord(raw)] {
			out = append(out, strings.ReplaceAll(raw, "\n", " "))
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

// containsAnyWrapped is containsAny on s with its line breaks read as
// spaces.
func containsAnyWrapped(s string, words []string) bool {
	for _, w := range words {
		head, _, _ := strings.Cut(w, " ")
		for off := 0; ; {
			j := strings.Index(s[off:], head)
			if j < 0 {
				break
			}
			if hasPrefixWrapped(s[off+j:], w) {
				return true
			}
			off += j + 1
		}
	}
	return false
}

// firstWord is the ASCII word s starts with ("send" in "send me …").
func firstWord(s string) string {
	i := 0
	for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
		i++
	}
	return s[:i]
}

// IsStatusAsk says whether a text asks its reader for a status update or
// for action: "any update on X?", "where are we on", "can you send me the
// numbers before Friday?", "could your team take it?", "please confirm",
// "send me the deck by Friday". A thank-you, a statement or a proposal
// ("let's go through it on Thursday") is none, and neither is small talk
// ("how are you?"). Pass the visible text: a question in a quoted thread
// was asked before.
func IsStatusAsk(text string) bool {
	if len(text) > askScanLimit {
		text = text[:askScanLimit]
	}
	lower := lowerFold(text)
	// The ask words the text holds at all: most texts hold few, so most
	// sentences are passed over with a short check, and a text with none
	// is not split at all.
	var buf [64]string
	if present := askWordsIn(lower, buf[:]); len(present) > 0 {
		for _, s := range askCandidates(lower, present) {
			if isAskSentence(s) {
				return true
			}
		}
	}
	// German, French and Spanish asks are phrases in reading's lexicon.
	return reading.Default.MentionsLower("asks", lower)
}

// isAskSentence judges one lowercased candidate sentence.
func isAskSentence(s string) bool {
	if containsAny(s, askNotPhrases) {
		return false
	}
	question := strings.HasSuffix(s, "?")
	for i, a := range askPhrases {
		if (!a.question || question) && containsAny(s, a.needs) && askRes[i].MatchString(s) {
			return true
		}
	}
	// "Send me the numbers by Friday.", "Confirm the venue before Monday."
	return askImperatives[firstWord(s)] && askDeadline.MatchString(s)
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
