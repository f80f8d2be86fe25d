package reading

import (
	"os"
	"strings"
	"testing"
	"time"
)

// text20KB is the 18 KB body of message's BenchmarkParse20KB: hard-wrapped
// board reports of the development set.
func text20KB(b *testing.B) string {
	var text strings.Builder
	dir := "testdata/asf-dev"
	ents, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".txt") || text.Len() > 17<<10 {
			continue
		}
		raw, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			b.Fatal(err)
		}
		text.Write(raw)
		text.WriteString("\n")
	}
	s := text.String()
	return s[:min(len(s), 18<<10)]
}

// corpusBodies are the bodies of corpus mails (quoted history, HTML
// alternatives and all: more than Parse passes on, see
// BenchmarkJudgeTextCorpus for that).
func corpusBodies(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = corpusBody(benchCorpus.Mail(i * 100))
	}
	return out
}

func benchTexts(b *testing.B, texts []string, judge func(string) Verdict) {
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		judge(texts[i%len(texts)])
		i++
	}
}

// One op is one text. The Ref benchmarks run the reference (the reading
// before the performance work) on the same texts.
func BenchmarkJudgeText20KB(b *testing.B)    { benchTexts(b, []string{text20KB(b)}, JudgeText) }
func BenchmarkRefJudgeText20KB(b *testing.B) { benchTexts(b, []string{text20KB(b)}, refJudgeText) }
func BenchmarkJudgeTextBodies(b *testing.B)  { benchTexts(b, corpusBodies(500), JudgeText) }
func BenchmarkRefJudgeTextBodies(b *testing.B) {
	benchTexts(b, corpusBodies(500), refJudgeText)
}

// benchVsRef alternates the reading and the reference on the same texts,
// text by text, and reports for each the sum over the texts of the
// fastest time it read each in (and the ratio new/old): on a busy machine
// the fastest of many runs says more than the mean.
func benchVsRef(b *testing.B, texts []string) {
	minNew := make([]time.Duration, len(texts))
	minOld := make([]time.Duration, len(texts))
	i := 0
	for b.Loop() {
		k := i % len(texts)
		i++
		t := texts[k]
		t0 := time.Now()
		JudgeText(t)
		t1 := time.Now()
		refJudgeText(t)
		d0, d1 := t1.Sub(t0), time.Since(t1)
		if minNew[k] == 0 || d0 < minNew[k] {
			minNew[k] = d0
		}
		if minOld[k] == 0 || d1 < minOld[k] {
			minOld[k] = d1
		}
	}
	var sumNew, sumOld time.Duration
	for k := range texts {
		sumNew += minNew[k]
		sumOld += minOld[k]
	}
	n := min(i, len(texts))
	b.ReportMetric(float64(sumNew)/float64(sumOld), "new/old")
	b.ReportMetric(float64(sumNew.Nanoseconds())/float64(n), "new-ns/text")
	b.ReportMetric(float64(sumOld.Nanoseconds())/float64(n), "old-ns/text")
}

func BenchmarkVsRef20KB(b *testing.B)   { benchVsRef(b, []string{text20KB(b)}) }
func BenchmarkVsRefBodies(b *testing.B) { benchVsRef(b, corpusBodies(500)) }
