package reading_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/reading"
)

// visible20KB is the visible text Parse reads the health of for
// message's BenchmarkParse20KB mail (the same mail, built the same way:
// the development set's reports, a reply's quote at the end).
func visible20KB(tb testing.TB) string {
	tb.Helper()
	var text strings.Builder
	dir := "testdata/asf-dev"
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".txt") || text.Len() > 17<<10 {
			continue
		}
		raw, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		text.Write(raw)
		text.WriteString("\n")
	}
	body := text.String()
	body = body[:min(len(body), 18<<10)]
	var m bytes.Buffer
	m.WriteString("From: Priya Raman <priya@example.org>\r\nTo: board@example.org\r\n" +
		"Subject: Re: Board report, November\r\nDate: Tue, 17 Nov 2026 10:05:00 +0100\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	m.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	m.WriteString("\r\nOn Mon, 16 Nov 2026 at 09:00, Alex Doe <alex@example.com> wrote:\r\n")
	for range 40 {
		m.WriteString("> Please send the November report by Wednesday so it makes the agenda.\r\n")
	}
	pm, err := message.Parse(bytes.NewReader(m.Bytes()), message.Options{NoAsk: true})
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
