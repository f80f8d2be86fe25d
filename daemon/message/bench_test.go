package message

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// Benchmarks, not timed tests: they show that hostile bodies (64 KiB of
// header-like, quote-like or signature-like lines) cost about as much as
// ordinary ones, i.e. nothing is quadratic.

var pathological = []string{"\n", "> x\n", "From: a\n", "----\n", "-- \n", "Thanks,\n",
	"On 1 May 2026, b <b@x.y> wrote:\n", "2026-01-01 b@x.y>\n", "<blockquote>", "not blocked ",
	"On Mon wrote\n", "On 1 Mon wrote\n", "On 1 Mon wrote x: y:\n", "On 1 Mon wrotex y:\n", "On 1 wrote 1:2:3:\n", "On 1 Mon a@b wrote\n", "On Monday the team met\n",
	"The rollout went fine on Monday and the dashboards look good to me.\n"}

func BenchmarkVisiblePathological(b *testing.B) {
	for _, unit := range pathological {
		s := strings.Repeat(unit, DefaultMaxText/len(unit))
		b.Run(strings.TrimSpace(unit), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				ParseBody(s, Options{})
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	raw, err := os.ReadFile("testdata/fuzz/multipart_gmail.eml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(raw), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIsStatusAskLong: a long status report with no ask, the common
// case on a project label (was 90 ms a message with one regexp per phrase
// and (?i); the goal is well under a millisecond or two).
func BenchmarkIsStatusAskLong(b *testing.B) {
	text := strings.Repeat("Hi team, the rollout went fine and the dashboards look good. We will ship the next batch on Monday after review. ", 500)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		IsStatusAsk(text)
	}
}

// mail20KB is benchcorpus.Mail20KB: a 20 KB status mail as a chair
// writes it.
func mail20KB(b *testing.B) []byte {
	m, err := benchcorpus.Mail20KB("../reading/testdata/asf-dev")
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkParse20KB: the goal is at most 100 µs and 20 KB allocated for
// one 20 KB message (see the performance issue).
func BenchmarkParse20KB(b *testing.B) {
	raw := mail20KB(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(raw), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseCorpus parses the first 1,000 messages of the `.ci/bench`
// corpus (daemon/internal/benchcorpus: 1–20 KB, 30% multipart, reports,
// replies with quoted history, signatures) as the first sync of a label
// does (no ask check); one op is one message, so ns/op and B/op compare
// with the goals directly. The corpus is built before the timer.
func BenchmarkParseCorpus(b *testing.B) {
	c := benchcorpus.Test
	mails := make([][]byte, 1000)
	size := 0
	for i := range mails {
		mails[i] = c.Mail(i * 50)
		size += len(mails[i])
	}
	b.SetBytes(int64(size / len(mails)))
	b.ReportAllocs()
	opt := Options{NoAsk: true, Now: c.End}
	i := 0
	for b.Loop() {
		raw := mails[i%len(mails)]
		i++
		if _, err := Parse(bytes.NewReader(raw), opt); err != nil {
			b.Fatal(err)
		}
	}
}
