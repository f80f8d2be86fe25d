package message

import (
	"bytes"
	"testing"
)

// BenchmarkVisible20KB is Visible alone on BenchmarkParse20KB's text (CRLF
// line ends, as Parse hands it over), for profiles of the quote cutting.
func BenchmarkVisible20KB(b *testing.B) {
	m, err := Parse(bytes.NewReader(mail20KB(b)), Options{NoAsk: true})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(m.Text)))
	b.ReportAllocs()
	for b.Loop() {
		Visible(m.Text, m.From.Name)
	}
}
