package message

import (
	"strings"
	"testing"
)

// Benchmarks of Visible's own work on the texts Parse gives it, the new
// code against the reference (visible_ref_test.go) in one binary: "quotes"
// is splitting, cutQuotes and joining, without stripTrailing (the
// signature's, another area); "all" is the whole Visible.

// visBenchTexts are the texts Visible gets in BenchmarkParseCorpus (its
// 1,000 messages: the first plain part, or the first HTML part without
// its quote containers) and in BenchmarkParse20KB.
func visBenchTexts(b *testing.B) (corpus []visibleInput, kb20 visibleInput) {
	for i := range 1000 {
		ins := visMailInputs("corpus", visBenchCorpus.Mail(i*50))
		for _, in := range ins {
			if strings.HasSuffix(in.name, " plain") || strings.HasSuffix(in.name, " stripped") {
				corpus = append(corpus, in)
				break
			}
		}
	}
	ins := visMailInputs("20KB", mail20KB(b))
	if len(corpus) != 1000 || len(ins) != 1 {
		b.Fatalf("%d corpus texts, %d of the 20 KB mail", len(corpus), len(ins))
	}
	return corpus, ins[0]
}

func BenchmarkVisible(b *testing.B) {
	corpus, kb20 := visBenchTexts(b)
	quotes := func(text string) string {
		vb := visibleScratch.Get().(*visibleBuffers)
		defer vb.release()
		vb.lines = splitLinesInto(vb.lines[:0], text)
		return joinLines(vb.cutQuotes(vb.lines))
	}
	refQuotes := func(text string) string {
		vb := refVisVisibleScratch.Get().(*refVisVisibleBuffers)
		defer vb.release()
		vb.lines = refVisSplitLinesInto(vb.lines[:0], text)
		return refVisJoinLines(vb.cutQuotes(vb.lines))
	}
	all := func(text string) string { return Visible(text, "") }
	refAll := func(text string) string { return refVisVisible(text, "") }
	for _, fn := range []struct {
		name string
		f    func(string) string
	}{{"quotes/new", quotes}, {"quotes/ref", refQuotes}, {"all/new", all}, {"all/ref", refAll}} {
		b.Run(fn.name+"/corpus", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				fn.f(corpus[i%len(corpus)].text)
				i++
			}
		})
		b.Run(fn.name+"/20KB", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fn.f(kb20.text)
			}
		})
	}
}
