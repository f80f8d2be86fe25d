package message

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"

	gomessage "github.com/emersion/go-message"
)

// TestMinBench (LEADUP_MINBENCH=1) runs each step and its reference in
// turns, many times, and logs the fastest time of each: on a busy machine
// the minimum is the least disturbed figure.
func TestMinBench(t *testing.T) {
	if os.Getenv("LEADUP_MINBENCH") == "" {
		t.Skip("set LEADUP_MINBENCH=1")
	}
	long := strings.Repeat("Hi team, the rollout went fine and the dashboards look good. We will ship the next batch on Monday after review. ", 500)
	m20, err := Parse(bytes.NewReader(mail20KB(&testing.B{})), Options{NoAsk: true})
	if err != nil {
		t.Fatal(err)
	}
	mails := make([][]byte, 1000)
	for i := range mails {
		mails[i] = agreeCorpusMail.Mail(i * 50)
	}
	type pair struct {
		name     string
		new, ref func()
	}
	i := 0
	pairs := []pair{
		{"IsStatusAskLong", func() { IsStatusAsk(long) }, func() { refParIsStatusAsk(long) }},
		{"IsStatusAsk20KB", func() { IsStatusAsk(m20.Visible) }, func() { refParIsStatusAsk(m20.Visible) }},
		{"HeaderMIME", func() {
			raw := mails[i%len(mails)]
			i++
			rd := getReader(bytes.NewReader(raw), 1<<30)
			var h hfields
			rd.readFields(&h)
			rd.hl.n = 1 << 62
			top := newEntity(h.get(hContentType), h.get(hTransferEncoding), h.get(hDisposition), rd.br)
			m := &Message{}
			fillHeader(m, &h, top.mediaType)
			w := walker{rd: rd, max: DefaultMaxText}
			w.walk(&top, 0)
			rd.release()
		}, func() {
			raw := mails[i%len(mails)]
			i++
			ent, _ := gomessage.Read(bytes.NewReader(raw))
			m := &Message{}
			refParReadHeader(m, mail.Header{Header: ent.Header})
			refParWalkParts(ent, 0, new(int), DefaultMaxText, func(ct, body string) {})
		}},
	}
	for _, p := range pairs {
		bestNew, bestRef := int64(1<<62), int64(1<<62)
		for range 9 {
			for k, f := range []func(){p.new, p.ref} {
				r := testing.Benchmark(func(b *testing.B) {
					for b.Loop() {
						f()
					}
				})
				if ns := r.NsPerOp(); k == 0 && ns < bestNew {
					bestNew = ns
				} else if k == 1 && ns < bestRef {
					bestRef = ns
				}
			}
		}
		t.Logf("%s: new %d ns, ref %d ns, %.2fx", p.name, bestNew, bestRef, float64(bestRef)/float64(bestNew))
	}
}
