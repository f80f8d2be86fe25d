package message

import (
	"bytes"
	"os"
	"strings"
	"testing"
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
