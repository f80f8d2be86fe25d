package reading_test

import (
	"bytes"
	"testing"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/reading"
)

// visible20KB is the visible text Parse reads the health of for
// message's BenchmarkParse20KB mail (benchcorpus.Mail20KB).
func visible20KB(tb testing.TB) string {
	tb.Helper()
	raw, err := benchcorpus.Mail20KB("testdata/asf-dev")
	if err != nil {
		tb.Fatal(err)
	}
	pm, err := message.Parse(bytes.NewReader(raw), message.Options{NoAsk: true})
	if err != nil {
		tb.Fatal(err)
	}
	return pm.Visible
}

// One op: the health of the 20 KB mail's visible text, as Parse reads it
// (JudgeText alone, and message.Health: the verdict turned into hits).
func BenchmarkJudgeTextVisible20KB(b *testing.B) {
	text := visible20KB(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		reading.JudgeText(text)
	}
}

func BenchmarkHealthVisible20KB(b *testing.B) {
	text := visible20KB(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		message.Health(text)
	}
}

// One op: one corpus message's health, as Parse reads it.
func BenchmarkHealthCorpus(b *testing.B) {
	texts := healthTexts(b, 500, 100)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		message.Health(texts[i%len(texts)])
		i++
	}
}
