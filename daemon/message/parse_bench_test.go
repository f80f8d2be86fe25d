package message

import (
	"bytes"
	"math"
	"testing"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// BenchmarkParseHeaderMIME times Parse's own steps on the corpus of
// BenchmarkParseCorpus, without Visible and finish: the header block, the
// header fields and the MIME walk to the kept text; /ref is the reference
// (go-message's Read and Entity, ef72470's readHeader and walkParts).
func BenchmarkParseHeaderMIME(b *testing.B) {
	mails := make([][]byte, 1000)
	for i := range mails {
		mails[i] = agreeCorpusMail.Mail(i * 50)
	}
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			raw := mails[i%len(mails)]
			i++
			rd := getReader(bytes.NewReader(raw), math.MaxInt32)
			var h hfields
			if err := rd.readFields(&h); err != nil {
				b.Fatal(err)
			}
			rd.hl.n = math.MaxInt64
			top := newEntity(h.get(hContentType), h.get(hTransferEncoding), h.get(hDisposition), rd.br)
			m := &Message{}
			fillHeader(m, &h, top.mediaType)
			w := walker{rd: rd, max: DefaultMaxText}
			w.walk(&top, 0)
			if !w.havePlain {
				b.Fatal("no text")
			}
			rd.release()
		}
	})
	b.Run("ref", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			raw := mails[i%len(mails)]
			i++
			ent, err := gomessage.Read(bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			m := &Message{}
			refParReadHeader(m, mail.Header{Header: ent.Header})
			var plain string
			refParWalkParts(ent, 0, new(int), DefaultMaxText, func(ct, body string) {
				if ct == "text/plain" && plain == "" {
					plain = body
				}
			})
			if plain == "" {
				b.Fatal("no text")
			}
		}
	})
}
