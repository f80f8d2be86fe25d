package reading

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// The agreement tests: the reading as it is and the reference copy of it
// as it was before the performance work (ref_test.go, generated from
// commit ef72470) read and judge every text there is to the same blocks,
// sentences, verdicts and hits.

// RefJudgeText and RefRead are the reference for the external tests
// (corpus_ext_test.go), which read the corpus through package message.
var (
	RefJudgeText = refJudgeText
	RefRead      = refRead
	RefJudge     = refJudge
)

// agreeOn fails when the reading of text differs from the reference's.
func agreeOn(t testing.TB, name, text string) {
	t.Helper()
	if got, want := JudgeText(text), refJudgeText(text); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: JudgeText differs\n got %+v\nwant %+v", name, got, want)
	}
	d, rd := Read(text), refRead(text)
	if !reflect.DeepEqual(d, rd) {
		t.Fatalf("%s: Read differs\n got %+v\nwant %+v", name, d, rd)
	}
	if got, want := Judge(d), refJudge(d); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Judge differs\n got %+v\nwant %+v", name, got, want)
	}
	if got, want := Sentences(text), refSentences(text); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Sentences differs\n got %q\nwant %q", name, got, want)
	}
}

// fixtureTexts are the texts of the fixture trees: reading's testdata,
// the shared status reports and quote fixtures (every file, as text).
func fixtureTexts(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range []string{"testdata", "../../../shared/fixtures/status-reports", "../../../shared/fixtures/quotes"} {
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			if strings.Contains(p, "/fuzz/") {
				return nil // read as corpus files by the fuzz targets
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = string(b)
			return nil
		})
		if err != nil {
			t.Fatalf("fixtures: %v", err)
		}
	}
	if len(out) < 200 {
		t.Fatalf("only %d fixture files", len(out))
	}
	return out
}

// corpusBody is the text of a corpus mail after its header, its CRLFs
// kept: the reading turns them into line ends itself.
func corpusBody(raw []byte) string {
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		raw = raw[i+4:]
	}
	return string(raw)
}

var benchCorpus = benchcorpus.Test

func TestAgreesOnFixtures(t *testing.T) {
	texts := fixtureTexts(t)
	for name, text := range texts {
		agreeOn(t, name, text)
		// the lines of a text one by one, and a report as its subject
		// and body, as message.healthText joins them
		for i, l := range strings.Split(text, "\n") {
			if i < 40 {
				agreeOn(t, name+" line", l)
			}
		}
		agreeOn(t, name+" with subject", "Weekly status\n\n"+text)
	}
	t.Logf("%d fixture files agree", len(texts))
}

func TestAgreesOnCorpus(t *testing.T) {
	n := agreeN(3000)
	if testing.Short() {
		n = 300
	}
	for i := range n {
		agreeOn(t, "corpus mail", corpusBody(benchCorpus.Mail(i*16)))
	}
}

func TestAgreesOnHostileShapes(t *testing.T) {
	for name, text := range map[string]string{
		"long line":       strings.Repeat("blocked on the vendor and ", 4000),
		"no sentence end": strings.Repeat("word ", 20000),
		"quote levels":    strings.Repeat(">", 100) + " x\n" + strings.Repeat("> ", 100) + "y",
		"short lines":     strings.Repeat("a\n", 10000),
		"periods":         strings.Repeat(". ", 20000),
		"scripts":         strings.Repeat("Готово. 完成了。 Listo. İSTANBUL \u212a ſ. ", 2000),
		"table":           "| Status | Owner |\n|---|---|\n" + strings.Repeat("| On track | Priya |\n| Blocked | Sam |\n", 1000),
		"negations":       strings.Repeat("Not blocked, no longer at risk; was blocked, now fixed. No issues. ", 500),
		"invalid":         "\xff\xfe blocked \xc3 at risk\r\nRisks:\r\n- none\r\n",
	} {
		agreeOn(t, name, text)
	}
}

// FuzzJudgeAgrees: on any text, reading and judging agree with the
// reference.
func FuzzJudgeAgrees(f *testing.F) {
	texts := fixtureTexts(f)
	for _, text := range texts {
		if len(text) > 4<<10 {
			text = text[:4<<10]
		}
		f.Add(text)
	}
	for i := range 40 {
		f.Add(corpusBody(benchCorpus.Mail(i * 97)))
	}
	for _, s := range []string{
		"## Risks\nNothing new.\n- [x] done\n| a | b |\n|---|---|\n| 1 | 🔴 |",
		"The beta is at risk and will\nslip. ✅ Shipped 1.9.1. e.g. this",
		"Status: Red\nOverall: on track, but not blocked. No longer at risk; was blocked, now fixed.",
		"Risiken: Keine. La migración está bloqueada. Le projet est en retard. Ya no está bloqueado.",
		"İSTANBUL is BLOCKED \u212a ſ Zoë’s pool-size change – we’ll see",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		agreeOn(t, "fuzz", text)
	})
}
