package message

import (
	"bytes"
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
