package message

import (
	"bytes"
	"strings"
	"testing"
)

// BenchmarkIsStatusAsk20KB: the status-ask check on the visible text of
// BenchmarkParse20KB's mail; /ref is the reference (ask.go at ef72470).
func BenchmarkIsStatusAsk20KB(b *testing.B) {
	m, err := Parse(bytes.NewReader(mail20KB(b)), Options{NoAsk: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			IsStatusAsk(m.Visible)
		}
	})
	b.Run("ref", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			refParIsStatusAsk(m.Visible)
		}
	})
}

// BenchmarkIsStatusAskLongRef is BenchmarkIsStatusAskLong's text through
// the reference, to compare in one binary.
func BenchmarkIsStatusAskLongRef(b *testing.B) {
	text := strings.Repeat("Hi team, the rollout went fine and the dashboards look good. We will ship the next batch on Monday after review. ", 500)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		refParIsStatusAsk(text)
	}
}
