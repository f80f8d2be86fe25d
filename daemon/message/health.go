package message

import (
	"sort"
	"strings"
	"unicode"
)

// HealthHit is one health phrase found in a text, so a user can see why a
// project was called red or green.
type HealthHit struct {
	// Phrase is the lexicon phrase as matched, lowercase.
	Phrase string `json:"phrase"`
	// Polarity is the phrase's effect after negation: "no longer blocked" is
	// Good, "not on track" is Bad, "not blocked" is Neutral.
	Polarity Polarity `json:"polarity"`
	// Negated says a negation stood in front of the phrase.
	Negated bool `json:"negated,omitempty"`
	// Level is what this hit alone says (Unknown when cancelled).
	Level Level `json:"level"`
}

// healthEntry is a lexicon entry split into words for matching.
type healthEntry struct {
	words []string
	w     healthWord
}

// healthIndex maps a first word to its entries, longest phrase first.
var healthIndex = func() map[string][]healthEntry {
	idx := map[string][]healthEntry{}
	for _, w := range healthWords {
		ws := strings.Fields(w.phrase)
		idx[ws[0]] = append(idx[ws[0]], healthEntry{ws, w})
	}
	for _, es := range idx {
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].words) > len(es[j].words) })
	}
	return idx
}()

// Health reads the health words in a text and says what they add up to: red
// when something is blocked, down or escalated; amber when late or at risk;
// green when there is only good news; unknown when there is none.
// Negations are honoured: "not blocked" cancels, "no longer blocked" and
// "not behind schedule" become good news, "not on track" bad news.
func Health(text string) (Level, []HealthHit) {
	var hits []HealthHit
	for _, clause := range clauses(lowerFold(text)) {
		words := wordsOf(clause)
		for i := 0; i < len(words); {
			e, ok := matchHealth(words, i)
			if !ok {
				i++
				continue
			}
			hits = append(hits, hitFor(e.w, words, i))
			i += len(e.words)
		}
	}
	return levelOf(hits), hits
}

// MessageHealth is the health of one message as leadup counts it everywhere
// (Parse, the digest): the subject's words count together with the visible
// text, unless the subject is a reply or forward ("Re: blocked on legal?"
// repeats someone else's words) or the message is an automatic reply (an
// out-of-office subject says nothing about the project).
func MessageHealth(subject, visible string, autoReply bool) (Level, []HealthHit) {
	text := visible
	if s := strings.TrimSpace(subject); s != "" && !autoReply && !isReplySubject(s) && !IsAutoReplySubject(s) {
		text = s + "\n" + visible
	}
	return Health(text)
}

// levelOf combines hits: the worst bad news wins; good news alone is green.
func levelOf(hits []HealthHit) Level {
	level := Unknown
	for _, h := range hits {
		switch {
		case h.Level == Red:
			return Red
		case h.Level == Amber:
			level = Amber
		case h.Level == Green && level == Unknown:
			level = Green
		}
	}
	return level
}

func matchHealth(words []string, i int) (healthEntry, bool) {
	for _, e := range healthIndex[words[i]] {
		if i+len(e.words) > len(words) {
			continue
		}
		ok := true
		for k, w := range e.words {
			if words[i+k] != w {
				ok = false
				break
			}
		}
		if ok {
			return e, true
		}
	}
	return healthEntry{}, false
}

// hitFor applies any negation in the few words before position i.
func hitFor(w healthWord, words []string, i int) HealthHit {
	pol := Good
	if w.level != Green {
		pol = Bad
	}
	h := HealthHit{Phrase: w.phrase, Polarity: pol, Level: w.level}
	start := max(0, i-negationWindow)
	before := " " + strings.Join(words[start:i], " ") + " "
	flip := false
	for _, f := range flipNegators {
		if strings.Contains(before, " "+f+" ") {
			flip = true
		}
	}
	negated := flip
	for _, b := range words[start:i] {
		if negators[b] {
			negated = true
		}
	}
	if !negated {
		return h
	}
	h.Negated = true
	switch {
	case flip && pol == Bad, w.onNegate == negFlip && pol == Bad:
		h.Polarity, h.Level = Good, Green
	case w.onNegate == negFlip && pol == Good:
		h.Polarity, h.Level = Bad, Amber
	default:
		h.Polarity, h.Level = Neutral, Unknown
	}
	return h
}

// clauses splits text where a negation stops reaching: sentence ends,
// commas, semicolons, line breaks and "but".
func clauses(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '.', '!', '?', ';', ':', ',', '\n', '\r', '(', ')', '[', ']', '"', '\u201c', '\u201d':
			return true
		}
		return false
	})
	var out []string
	for _, p := range parts {
		out = append(out, strings.Split(p, " but ")...)
	}
	return out
}

// wordsOf splits a clause into words; hyphens separate words so "off-track"
// reads as "off track", apostrophes stay inside ("isn't").
func wordsOf(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'')
	})
}

// BadPhrases lists the bad news among hits as a reader would say it
// ("blocked", "not on track"), for "why is this red" lines.
func BadPhrases(hits []HealthHit) []string {
	var out []string
	for _, h := range hits {
		if h.Polarity != Bad {
			continue
		}
		p := h.Phrase
		if h.Negated {
			p = "not " + p
		}
		out = append(out, p)
	}
	return out
}
