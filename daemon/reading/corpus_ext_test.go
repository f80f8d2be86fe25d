package reading_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/reading"
)

var corpus = benchcorpus.Test

// healthTexts are the texts Parse reads the health of for corpus mails
// 0, step, 2*step …: the subject and the visible text, and the visible
// text alone (a reply's).
func healthTexts(tb testing.TB, n, step int) []string {
	tb.Helper()
	var out []string
	for i := range n {
		m, err := message.Parse(bytes.NewReader(corpus.Mail(i*step)), message.Options{NoAsk: true, Now: corpus.End})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, m.Subject+"\n\n"+m.Visible, m.Visible)
	}
	return out
}

// The corpus mails' visible texts, as Parse passes them to the reading,
// read and judge as the reference does.
func TestAgreesOnParsedCorpus(t *testing.T) {
	n := reading.AgreeN(3000)
	if testing.Short() {
		n = 300
	}
	for _, text := range healthTexts(t, n, 16) {
		if got, want := reading.JudgeText(text), reading.RefJudgeText(text); !reflect.DeepEqual(got, want) {
			t.Fatalf("JudgeText(%q) differs\n got %+v\nwant %+v", text, got, want)
		}
		d := reading.Read(text)
		if want := reading.RefRead(text); !reflect.DeepEqual(d, want) {
			t.Fatalf("Read(%q) differs", text)
		}
		if got, want := reading.Judge(d), reading.RefJudge(d); !reflect.DeepEqual(got, want) {
			t.Fatalf("Judge(Read(%q)) differs", text)
		}
	}
}

func benchJudge(b *testing.B, texts []string, judge func(string) reading.Verdict) {
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		judge(texts[i%len(texts)])
		i++
	}
}

// One op is one corpus message's health text (its visible text, with the
// subject for the half that has one), as Parse reads it.
func BenchmarkJudgeTextCorpus(b *testing.B) {
	benchJudge(b, healthTexts(b, 500, 100), reading.JudgeText)
}

// The reference (the reading before the performance work), for the
// before and after figures in one binary.
func BenchmarkRefJudgeTextCorpus(b *testing.B) {
	benchJudge(b, healthTexts(b, 500, 100), reading.RefJudgeText)
}
