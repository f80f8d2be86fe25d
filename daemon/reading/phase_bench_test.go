package reading

import "testing"

// The phases of JudgeText on the 18 KB text of BenchmarkJudgeText20KB
// (bench_judge_test.go): readInto, judgeInto, and judge's words, with
// and without their masks. Each reuses its buffers as the pools do.
func phaseText(b *testing.B) string { return text20KB(b) }

func BenchmarkPhaseRead(b *testing.B) {
	text := phaseText(b)
	rb := new(readBuffers)
	b.ReportAllocs()
	for b.Loop() {
		Default.readInto(text, rb, true)
	}
}

func BenchmarkPhaseJudge(b *testing.B) {
	text := phaseText(b)
	rb := new(readBuffers)
	_, ss := Default.readInto(text, rb, true)
	d := Doc{Sentences: ss}
	sc := new(scratch)
	b.ReportAllocs()
	for b.Loop() {
		Default.judgeInto(d, sc, false)
		sc.hits = sc.hits[:0]
	}
}

func BenchmarkPhaseTokens(b *testing.B) {
	text := phaseText(b)
	rb := new(readBuffers)
	_, ss := Default.readInto(text, rb, true)
	sc := new(scratch)
	b.ReportAllocs()
	for b.Loop() {
		sc.arena.reset()
		for _, s := range ss {
			tokensScratch(sc, s.Text)
		}
	}
}

func BenchmarkPhaseSent(b *testing.B) {
	text := phaseText(b)
	rb := new(readBuffers)
	_, ss := Default.readInto(text, rb, true)
	sc := new(scratch)
	b.ReportAllocs()
	for b.Loop() {
		sc.arena.reset()
		for _, s := range ss {
			Default.sentInto(sc, tokensScratch(sc, s.Text))
		}
	}
}
