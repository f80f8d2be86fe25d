package reading_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/reading"
)

// refHealth is message.Health as it was: the reference's verdict, its
// Judged's hits one by one as message.HealthHits.
func refHealth(text string) (message.Level, []message.HealthHit) {
	v := reading.RefJudgeText(text)
	var out []message.HealthHit
	for _, j := range v.Judged {
		for _, h := range j.Hits {
			hit := message.HealthHit{Phrase: h.Phrase, Negated: h.Negated, Level: h.Level}
			switch h.Level {
			case reading.LevelGreen:
				hit.Polarity = message.Good
			case reading.LevelRed, reading.LevelAmber:
				hit.Polarity = message.Bad
			default:
				hit.Polarity = message.Neutral
			}
			out = append(out, hit)
		}
	}
	return v.Level, out
}

// healthAgrees fails when message.Health or JudgeTextHits differ from the
// reference on text.
func healthAgrees(t testing.TB, name, text string) {
	t.Helper()
	level, hits := message.Health(text)
	wantLevel, wantHits := refHealth(text)
	if level != wantLevel || !reflect.DeepEqual(hits, wantHits) {
		t.Fatalf("%s: Health(%q) = %v %+v, want %v %+v", name, text, level, hits, wantLevel, wantHits)
	}
	var got []reading.Hit
	l := reading.Default.JudgeTextHits(text, func(hs []reading.Hit) {
		if hs != nil {
			got = append([]reading.Hit{}, hs...)
		}
	})
	v := reading.RefJudgeText(text)
	var want []reading.Hit
	for _, j := range v.Judged {
		want = append(want, j.Hits...)
	}
	if l != v.Level || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: JudgeTextHits(%q) = %v %+v, want %v %+v", name, text, l, got, v.Level, want)
	}
}

func TestHealthAgreesOnCorpus(t *testing.T) {
	n := reading.AgreeN(3000)
	if testing.Short() {
		n = 300
	}
	for _, text := range healthTexts(t, n, 16) {
		healthAgrees(t, "corpus", text)
	}
	healthAgrees(t, "20 KB mail", visible20KB(t))
}

func TestHealthAgreesOnFixtures(t *testing.T) {
	n := 0
	for _, dir := range []string{"testdata", "../../../shared/fixtures/status-reports", "../../../shared/fixtures/quotes"} {
		err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() || strings.Contains(p, "/fuzz/") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			healthAgrees(t, p, string(b))
			healthAgrees(t, p+" with subject", "Weekly status\n\n"+string(b))
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 200 {
		t.Fatalf("only %d fixtures", n)
	}
}

// FuzzHealthAgrees: message.Health and JudgeTextHits agree with the
// reference on any text.
func FuzzHealthAgrees(f *testing.F) {
	for _, s := range []string{
		"## Risks\nNothing new.\n- [x] done\n| a | b |\n|---|---|\n| 1 | 🔴 |",
		"The beta is at risk and will\nslip. ✅ Shipped 1.9.1. e.g. this",
		"Status: Red\nOverall: on track, but not blocked. No longer at risk; was blocked, now fixed.",
		"Risiken: Keine. La migración está bloqueada. Le projet est en retard. Ya no está bloqueado.",
		"İSTANBUL is BLOCKED \u212a ſ Zoë’s pool-size change – we’ll see",
		"The work STALLED and is\nStruggling, but Decreasing risk; Mitigated.",
	} {
		f.Add(s)
	}
	for _, text := range healthTexts(f, 20, 97) {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		healthAgrees(t, "fuzz", text)
	})
}
