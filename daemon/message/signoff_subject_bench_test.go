package message

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// The hand matchers against the regexp code they replaced
// (signoff_subject_test.go), on what a first sync gives them: the lines of
// the corpus' texts (stripTrailing asks isMobileSignOff about the last
// ones), the few of those the first-word test lets through to the
// regexps, and the corpus' subjects. Run old and new alternately:
//
//	go test -run '^$' -bench 'SignOffSubject/.*/old' -benchmem -count 1
//	go test -run '^$' -bench 'SignOffSubject/.*/new' -benchmem -count 1

// signOffBench is the benchmarks' input.
type signOffBench struct{ lines, leadLines, subjects []string }

// signOffBenchInput builds it once.
var signOffBenchInput = sync.OnceValue(func() (in signOffBench) {
	c := benchcorpus.Test
	for i := 0; i < 400; i++ {
		raw := c.Mail(i * 97)
		m, err := Parse(bytes.NewReader(raw), Options{NoAsk: true})
		if err != nil {
			panic(err)
		}
		in.subjects = append(in.subjects, m.Subject)
		for _, l := range splitLines(m.Text) {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			in.lines = append(in.lines, l)
			if mobileLead.may(l) {
				in.leadLines = append(in.leadLines, l)
			}
		}
	}
	for _, l := range signOffFixtureLines() {
		if s, ok := strings.CutPrefix(strings.TrimSpace(l), "Subject:"); ok {
			in.subjects = append(in.subjects, strings.TrimSpace(s))
		}
	}
	return in
})

func BenchmarkSignOffSubject(b *testing.B) {
	in := signOffBenchInput()
	lines, leadLines, subjects := in.lines, in.leadLines, in.subjects
	b.Logf("%d lines, %d past mobileLead, %d subjects", len(lines), len(leadLines), len(subjects))
	type impl struct {
		name         string
		mobile       func(string) bool
		reply, autoR func(string) bool
	}
	for _, im := range []impl{
		{"old", oldIsMobileSignOff, oldIsReplySubject, oldIsAutoReplySubject},
		{"new", isMobileSignOff, isReplySubject, IsAutoReplySubject},
	} {
		run := func(name string, in []string, f func(string) bool) {
			b.Run(name+"/"+im.name, func(b *testing.B) {
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					for _, s := range in {
						if f(s) {
							n++
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/input")
			})
		}
		run("MobileLines", lines, im.mobile)
		run("MobileLeadLines", leadLines, im.mobile)
		run("ReplySubject", subjects, im.reply)
		run("AutoReplySubject", subjects, im.autoR)
		// as healthText asks: both, on the trimmed subject
		run("HealthSubject", subjects, func(s string) bool { return !im.reply(s) && !im.autoR(s) })
	}
}
