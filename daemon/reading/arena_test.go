package reading

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

// The strings of a verdict never lie in a pooled arena: verdicts kept
// while many more texts are judged (in the same buffers, from several
// goroutines) still agree with the reference afterwards.
func TestVerdictsOutliveTheArenas(t *testing.T) {
	texts := []string{
		"The work STALLED, and is Struggling.\nIt is\nstill blocked on the vendor; we are mitigating.",
		"Status: Red\nOverall: on track, but not blocked. No longer at risk; was blocked, now fixed.",
		strings.Repeat("The migration is Stalled because the\nvendor is late and we are at risk of slipping. ", 40),
	}
	for i := range agreeN(400) {
		texts = append(texts, corpusBody(benchCorpus.Mail(i*37)))
	}
	type kept struct {
		text      string
		v, judged Verdict
		level     Level
		hits      []Hit
	}
	var (
		mu  sync.Mutex
		all []kept
		wg  sync.WaitGroup
	)
	for g := range 4 {
		wg.Go(func() {
			for k := g; k < len(texts); k += 4 {
				text := texts[k]
				kp := kept{text: text, v: JudgeText(text), judged: Judge(Read(text))}
				kp.level = Default.JudgeTextHits(text, func(hs []Hit) {
					kp.hits = append([]Hit(nil), hs...) // the slice is not ours, its phrases are
				})
				mu.Lock()
				all = append(all, kp)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// Every buffer has been written over many times since.
	for _, kp := range all {
		want := refJudgeText(kp.text)
		if !reflect.DeepEqual(kp.v, want) {
			t.Fatalf("JudgeText(%q) changed after the fact\n got %+v\nwant %+v", kp.text, kp.v, want)
		}
		if !reflect.DeepEqual(kp.judged, want) {
			t.Fatalf("Judge(Read(%q)) changed after the fact\n got %+v\nwant %+v", kp.text, kp.judged, want)
		}
		var hits []Hit
		for _, j := range want.Judged {
			hits = append(hits, j.Hits...)
		}
		if kp.level != want.Level || !reflect.DeepEqual(kp.hits, hits) {
			t.Fatalf("JudgeTextHits(%q) changed after the fact\n got %v %+v\nwant %v %+v", kp.text, kp.level, kp.hits, want.Level, hits)
		}
	}
}
