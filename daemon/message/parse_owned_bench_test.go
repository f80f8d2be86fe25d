package message

import (
	"bytes"
	"testing"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// BenchmarkParseOwned20KB and BenchmarkParseOwnedCorpus are
// BenchmarkParse20KB and BenchmarkParseCorpus through ParseOwned, the
// header and the body in buffers of their own as an IMAP fetch reads them
// (the copy of each buffer, which the caller has anyway, is made before
// the timer).

func ownedSplit(b *testing.B, raw []byte) (header, body []byte) {
	i := ownedHeaderEnd(raw)
	if i < 0 {
		b.Fatal("no header end")
	}
	return raw[:i], raw[i:]
}

func BenchmarkParseOwned20KB(b *testing.B) {
	h, body := ownedSplit(b, mail20KB(b))
	b.SetBytes(int64(len(h) + len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOwned(h, body, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseOwnedCorpus(b *testing.B) {
	c := benchcorpus.Test
	type split struct{ h, body []byte }
	mails := make([]split, 1000)
	size := 0
	for i := range mails {
		raw := c.Mail(i * 50)
		h, body := ownedSplit(b, raw)
		mails[i] = split{bytes.Clone(h), bytes.Clone(body)}
		size += len(raw)
	}
	b.SetBytes(int64(size / len(mails)))
	b.ReportAllocs()
	opt := Options{NoAsk: true, Now: c.End}
	i := 0
	for b.Loop() {
		m := mails[i%len(mails)]
		i++
		if _, err := ParseOwned(m.h, m.body, opt); err != nil {
			b.Fatal(err)
		}
	}
}
