package message

import (
	"reflect"
	"strings"
	"testing"
)

// MessageHealth reads the subject and the text from a pooled buffer: what
// it returns is what Health says of healthText, and a message's hits stay
// as they were when the buffer is reused for the next message (a phrase
// that was a piece of the buffer was copied out).
func TestMessageHealthPooledBuffer(t *testing.T) {
	type kept struct {
		level Level
		hits  []HealthHit
		copy  []HealthHit
	}
	var got []kept
	subjects := []string{"apollo blocked on legal", "hermes on track", "Re: blocked?", "", "zeus at risk: vendor slipped"}
	texts := []string{"we are blocked by legal review.", "shipped the beta; all green.", "no issues.",
		"the vendor slipped two weeks, so we are at risk.", "blocked blocked blocked on the db migration"}
	for i := range 50 {
		subj, text := subjects[i%len(subjects)], texts[(i*3)%len(texts)]+strings.Repeat(" more words here.", i%7)
		level, hits := MessageHealth(subj, text, false)
		wl, wh := Health(healthText(subj, text, false))
		if level != wl || !reflect.DeepEqual(hits, wh) {
			t.Fatalf("MessageHealth(%q, %q) = %v %+v, Health of its text %v %+v", subj, text, level, hits, wl, wh)
		}
		deep := append([]HealthHit(nil), hits...)
		for j := range deep {
			deep[j].Phrase = strings.Clone(deep[j].Phrase)
		}
		got = append(got, kept{level, hits, deep})
	}
	phrases := 0
	for _, k := range got {
		for j := range k.hits {
			phrases++
			if k.hits[j] != k.copy[j] {
				t.Fatalf("a hit changed after later messages: %+v, was %+v", k.hits[j], k.copy[j])
			}
		}
	}
	if phrases < 40 {
		t.Fatalf("%d hits in 50 messages: the test reads too little", phrases)
	}
}
