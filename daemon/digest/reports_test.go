package digest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/reading"
)

type labelledReport struct {
	File     string   `json:"file"`
	Project  string   `json:"project"`
	Chair    string   `json:"chair"`
	Health   string   `json:"health"`
	KeyFacts []string `json:"key_facts"`
}

func readReports(t *testing.T, dir string) ([]labelledReport, map[string]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Skipf("fixtures: %v", err)
	}
	var rs []labelledReport
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, r := range rs {
		b, err := os.ReadFile(filepath.Join(dir, r.File))
		if err != nil {
			t.Fatal(err)
		}
		texts[r.File] = string(b)
	}
	return rs, texts
}

func squash(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Each labelled status report, sent as one mail to a project's label,
// makes a digest whose health agrees with the label, which quotes only
// whole sentences of the report, and which carries the key facts a good
// one-paragraph summary needs.
func TestDigestOfStatusReports(t *testing.T) {
	for _, set := range []struct {
		dir                  string
		minHealth, minFactsP int
	}{
		{"../../../shared/fixtures/status-reports", 14, 80},
		{"../reading/testdata/asf-dev", 29, 80},
	} {
		rs, texts := readReports(t, set.dir)
		loc := time.UTC
		now := time.Date(2026, 11, 20, 15, 0, 0, 0, loc)
		agree, facts, found := 0, 0, 0
		for _, r := range rs {
			src := texts[r.File]
			in := Input{Now: now, Since: now.AddDate(0, 0, -7), Loc: loc, MeName: "Alex Doe", BossName: "Dana",
				Projects: []Project{{Name: r.Project, Label: "Status/" + r.Project}},
				Msgs: []Msg{{Project: r.Project, MessageID: "<" + r.File + "@example.org>", Date: now.Add(-48 * time.Hour),
					FromName: r.Chair, FromAddr: "chair@example.org", Subject: "Apache " + r.Project + " board report", Visible: src}},
			}
			m := Build(in)
			pd := m.Projects[0]
			if string(pd.Health) == r.Health {
				agree++
			} else {
				t.Logf("%s: health %s, labelled %s", r.File, pd.Health, r.Health)
			}
			whole := map[string]bool{}
			for _, s := range reading.Read(src).Sentences {
				whole[squash(s.Text)] = true
			}
			var quoted []string
			for _, th := range pd.Threads {
				for _, s := range th.Status.Sentences {
					quoted = append(quoted, s)
					if !whole[squash(s)] {
						t.Errorf("%s: the digest quotes %q, which is not a whole sentence of the report", r.File, s)
					}
				}
			}
			text := squash(strings.Join(quoted, " "))
			for _, f := range r.KeyFacts {
				facts++
				if strings.Contains(text, squash(f)) {
					found++
				} else {
					t.Logf("%s: key fact %q missing", r.File, f)
				}
			}
		}
		t.Logf("%s: health agrees on %d of %d; %d of %d key facts quoted", set.dir, agree, len(rs), found, facts)
		if agree < set.minHealth {
			t.Errorf("%s: health agrees on %d of %d reports, want at least %d", set.dir, agree, len(rs), set.minHealth)
		}
		if found*100 < facts*set.minFactsP {
			t.Errorf("%s: %d of %d key facts quoted, want at least %d%%", set.dir, found, facts, set.minFactsP)
		}
	}
}
