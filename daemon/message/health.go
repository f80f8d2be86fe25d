package message

import (
	"strings"
	"sync"
	"unsafe"

	"github.com/leadup/leadup/daemon/reading"
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

// Health reads a text as leadup reads status mail (package reading:
// paragraphs, sentences, sections, markers, negation) and says what it adds
// up to: red when work stopped or is blocked, amber for a concern or risk,
// green for progress, unknown when nothing was said about how the work goes.
func Health(text string) (Level, []HealthHit) {
	// The hits of reading.JudgeText(text)'s Judged, in order, without the
	// verdict: straight from the reading's buffers, in one slice.
	var out []HealthHit
	level := reading.Default.JudgeTextHits(text, func(hits []reading.Hit) {
		if len(hits) == 0 {
			return // nil, as appending none left it
		}
		out = make([]HealthHit, len(hits))
		for k, h := range hits {
			out[k] = healthHit(h)
		}
	})
	return Level(level), out
}

// ReadHealth is Health with the model and the verdict, for `leadup inspect`
// and the digest.
func ReadHealth(text string) (reading.Doc, reading.Verdict) {
	d := reading.Read(text)
	return d, reading.Judge(d)
}

// healthText is what a message's health is read from: the visible text
// and, unless the subject is a reply or forward ("Re: blocked on legal?"
// repeats someone else's words) or the message is an automatic reply, the
// subject as a paragraph of its own.
func healthText(subject, visible string, autoReply bool) string {
	return healthLead(subject, autoReply) + visible
}

// healthLead is what healthText puts before the visible text: the
// subject and a blank line, or nothing.
func healthLead(subject string, autoReply bool) string {
	if s := strings.TrimSpace(subject); s != "" && !autoReply && !isReplySubject(s) && !IsAutoReplySubject(s) {
		return s + "\n\n"
	}
	return ""
}

// MessageHealth is the health of one message as leadup counts it everywhere
// (Parse, the digest, reminders).
func MessageHealth(subject, visible string, autoReply bool) (Level, []HealthHit) {
	if autoReply {
		return Unknown, nil
	}
	lead := healthLead(subject, autoReply)
	if lead == "" {
		return Health(visible)
	}
	// The subject and the text are joined in a pooled buffer rather than
	// a new string a message (5% of a first sync's allocations): the
	// reading keeps nothing of its text but the hits' phrases, which may
	// be pieces of it, so those are copied out before the buffer is
	// reused.
	bp := healthBufs.Get().(*[]byte)
	b := append(append((*bp)[:0], lead...), visible...)
	level, hits := Health(unsafe.String(unsafe.SliceData(b), len(b)))
	for k := range hits {
		if inBuffer(hits[k].Phrase, b) {
			hits[k].Phrase = strings.Clone(hits[k].Phrase)
		}
	}
	if cap(b) <= 64<<10 {
		*bp = b[:0]
		healthBufs.Put(bp)
	}
	return level, hits
}

var healthBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// inBuffer says whether s lies in b's memory.
func inBuffer(s string, b []byte) bool {
	if s == "" || cap(b) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(b[:cap(b)])))
	return p >= lo && p < lo+uintptr(cap(b))
}

// healthHit is a reading hit as a HealthHit.
func healthHit(h reading.Hit) HealthHit {
	hit := HealthHit{Phrase: h.Phrase, Negated: h.Negated, Level: Level(h.Level)}
	switch h.Level {
	case reading.LevelGreen:
		hit.Polarity = Good
	case reading.LevelRed, reading.LevelAmber:
		hit.Polarity = Bad
	default:
		hit.Polarity = Neutral
	}
	return hit
}

// BadPhrases lists the bad news among hits as a reader would say it
// ("blocked", "not on track"), for "why is this red" lines, each once.
func BadPhrases(hits []HealthHit) []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		if h.Polarity != Bad {
			continue
		}
		p := h.Phrase
		if h.Negated && !strings.HasPrefix(p, "not ") {
			p = "not " + p
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
