package message

import (
	"bytes"
	"sync"
	"testing"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// Benchmarks of the trailing-text removal and the snippet alone, on the
// messages BenchmarkParseCorpus parses.

// corpusInput is one corpus message as Visible and Snippet see it.
type corpusInput struct {
	text, sender string
	lines        []string // after splitLines and cutQuotes: stripTrailing's input
	visible      string   // Snippet's input
}

var corpusInputsOnce = sync.OnceValues(func() ([]corpusInput, error) {
	c := benchcorpus.Test
	var out []corpusInput
	for i := range 1000 {
		m, err := Parse(bytes.NewReader(c.Mail(i*50)), Options{NoAsk: true, Now: c.End})
		if err != nil {
			return nil, err
		}
		in := corpusInput{text: m.Text, sender: m.From.Name, visible: m.Visible}
		vb := new(visibleBuffers)
		in.lines = append([]string(nil), vb.cutQuotes(splitLines(m.Text))...)
		out = append(out, in)
	}
	return out, nil
})

// corpusInputs are the first 1,000 messages of BenchmarkParseCorpus's
// corpus (every 50th of 50,000).
func corpusInputs(tb testing.TB) []corpusInput {
	ins, err := corpusInputsOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return ins
}

// BenchmarkStripTrailingCorpus: one op is stripTrailing on one corpus
// message's lines.
func BenchmarkStripTrailingCorpus(b *testing.B) {
	ins := corpusInputs(b)
	var buf []int
	lines := make([]string, 0, 1024)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := ins[i%len(ins)]
		i++
		lines = append(lines[:0], in.lines...)
		stripTrailing(lines, in.sender, &buf)
	}
}

// BenchmarkRefStripTrailingCorpus is BenchmarkStripTrailingCorpus on the
// reference (the code before the fast paths).
func BenchmarkRefStripTrailingCorpus(b *testing.B) {
	ins := corpusInputs(b)
	var buf []int
	lines := make([]string, 0, 1024)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := ins[i%len(ins)]
		i++
		lines = append(lines[:0], in.lines...)
		refStripTrailing(lines, in.sender, &buf)
	}
}

// BenchmarkVisibleCorpus: one op is Visible on one corpus message.
func BenchmarkVisibleCorpus(b *testing.B) {
	ins := corpusInputs(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := ins[i%len(ins)]
		i++
		Visible(in.text, in.sender)
	}
}

// BenchmarkSnippetCorpus: one op is the snippet of one corpus message.
func BenchmarkSnippetCorpus(b *testing.B) {
	ins := corpusInputs(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := ins[i%len(ins)]
		i++
		Snippet(in.visible, 200)
	}
}

// BenchmarkRefSnippetCorpus is BenchmarkSnippetCorpus on the reference.
func BenchmarkRefSnippetCorpus(b *testing.B) {
	ins := corpusInputs(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := ins[i%len(ins)]
		i++
		refSnippet(in.visible, 200)
	}
}
