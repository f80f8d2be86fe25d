package message

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/reading"
)

// askRes are the compiled ask phrases, one per lexicon entry. Texts are
// lowercased before matching (lowerFold), so the patterns need no (?i),
// which is slow in Go's regexp; and each runs only on a short sentence that
// holds a word it needs, where Go's fast backtracker applies. Compiled at
// the first ask check, not at every start (see lazyRegexp).
var askRes = sync.OnceValue(func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(askPhrases))
	for i, a := range askPhrases {
		res[i] = regexp.MustCompile(askBoundary + a.pattern)
	}
	return res
})

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
//
// The text is lowercased (lowerFold) and cut into sentences; a sentence
// is a candidate when it holds an ask word (askNeeds, askImperatives) that
// also starts a word somewhere in the text, or opens with an imperative,
// and a candidate is judged by isAskSentence. All the ask words' places in
// the text are found in one pass first (places), so a sentence's words
// are known without searching it for each.
func IsStatusAsk(text string) bool {
	if len(text) > askScanLimit {
		text = text[:askScanLimit]
	}
	sc := askScratches.Get().(*askScratch)
	defer askScratches.Put(sc)
	lower := sc.lowerFold(text)
	if present := startersIn(lower); present != (askSet{}) {
		sc.placesOf(lower, present)
		occ := sc.occ
		found := false
		eachSentence(lower, func(a, b int) bool {
			// does a word of present lie wholly in the sentence?
			for len(occ) > 0 && int(occ[0].pos) < a {
				occ = occ[1:]
			}
			holds := false
			for ; len(occ) > 0 && int(occ[0].pos) < b; occ = occ[1:] {
				if o := occ[0]; int(o.pos)+len(askWords[o.word]) <= b {
					holds = true
				}
			}
			raw := lower[a:b]
			if holds || isImperative(firstWord(raw)) {
				// line breaks inside a sentence are spaces (mail wraps at
				// 72 columns); the words' places do not move
				found = isAskSentence(sc.spaced(raw), wordsIn(raw))
			}
			return !found
		})
		if found {
			return true
		}
	}
	// German, French and Spanish asks are phrases in reading's lexicon.
	return reading.Default.MentionsLower("asks", lower)
}

// eachSentence calls fn with the bounds of each sentence of t, trimmed of
// white space (strings.TrimSpace), until fn returns false. A sentence ends
// at ".", "!" or "?" before a space or a line break (and keeps it), or at
// a blank line.
func eachSentence(t string, fn func(a, b int) bool) {
	start := 0
	flush := func(end int) bool {
		a, b := trimSpaceBounds(t, start, end)
		start = end
		return fn(a, b)
	}
	for i := 0; i < len(t); i++ {
		// skip to the next byte that may end a sentence
		for i < len(t) && !sentenceEnds[t[i]] {
			i++
		}
		if i == len(t) {
			break
		}
		switch t[i] {
		case '.', '!', '?':
			if i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\n' {
				if !flush(i + 1) {
					return
				}
			}
		case '\n':
			if i+1 < len(t) && t[i+1] == '\n' {
				if !flush(i + 1) {
					return
				}
			}
		}
	}
	flush(len(t))
}

// sentenceEnds are the bytes eachSentence stops at.
var sentenceEnds = [256]bool{'.': true, '!': true, '?': true, '\n': true}

// trimSpaceBounds gives the bounds of strings.TrimSpace(t[a:b]) in t: the
// ASCII white space is skipped byte by byte, and at a byte >= 0x80 the
// rest goes the general way (strings.TrimLeftFunc and TrimRightFunc with
// unicode.IsSpace, what it replaces: an ASCII byte is white space for
// unicode.IsSpace exactly when it is one of " \t\n\v\f\r").
func trimSpaceBounds(t string, a, b int) (int, int) {
	for a < b && asciiSpace[t[a]] {
		a++
	}
	if a < b && t[a] >= utf8.RuneSelf {
		a = b - len(strings.TrimLeftFunc(t[a:b], unicode.IsSpace))
	}
	for b > a && asciiSpace[t[b-1]] {
		b--
	}
	if b > a && t[b-1] >= utf8.RuneSelf {
		b = a + len(strings.TrimRightFunc(t[a:b], unicode.IsSpace))
	}
	return a, b
}

// isAskSentence judges one lowercased candidate sentence; in is the set of
// ask words it holds (askWords, a line break matching a space).
func isAskSentence(s string, in askSet) bool {
	if in.meets(askNotSet) {
		return false
	}
	question := strings.HasSuffix(s, "?")
	for i, a := range askPhrases {
		if (!a.question || question) && in.meets(askPhraseNeeds[i]) && in.meets(askPhraseStarts[i]) && askRes()[i].MatchString(s) {
			return true
		}
	}
	// "Send me the numbers by Friday.", "Confirm the venue before Monday."
	return isImperative(firstWord(s)) && askDeadline.MatchString(s)
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
	return hasAutoReplyPhrase(subject)
}

// hasAutoReplyPhrase says whether lowerFold(subject) contains one of
// autoReplySubjects, in one pass over the subject rather than one for
// each of the sixty phrases: a phrase is in s exactly when it is a prefix
// of s[i:] for some i where s[i] is its first byte (autoReplyByFirst).
// An ASCII subject is not even lowered: lowerFold of ASCII only lowers
// its letters (the fold replaces non-ASCII runes alone), so comparing
// with hasPrefixFoldASCII is the same, and a phrase with a non-ASCII
// byte, never equal to an ASCII one, is found in neither.
func hasAutoReplyPhrase(subject string) bool {
	ascii := isASCII(subject)
	s := subject
	if !ascii {
		s = lowerFold(subject)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ascii && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		for _, p := range autoReplyByFirst[c] {
			if ascii && hasPrefixFoldASCII(s[i:], p) || !ascii && strings.HasPrefix(s[i:], p) {
				return true
			}
		}
	}
	return false
}

// autoReplyByFirst are autoReplySubjects by their first byte.
var autoReplyByFirst = func() *[256][]string {
	t := new([256][]string)
	for _, p := range autoReplySubjects {
		t[p[0]] = append(t[p[0]], p)
	}
	return t
}()
