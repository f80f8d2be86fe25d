package reading

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// asfReport is one labelled report of a status-reports fixture set.
type asfReport struct {
	File     string   `json:"file"`
	Project  string   `json:"project"`
	Health   string   `json:"health"`
	Evidence string   `json:"evidence"`
	KeyFacts []string `json:"key_facts"`
	text     string
}

func loadReports(t *testing.T, dir string) []asfReport {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Skipf("fixtures not found: %v", err)
	}
	var rs []asfReport
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		text, err := os.ReadFile(filepath.Join(dir, rs[i].File))
		if err != nil {
			t.Fatal(err)
		}
		rs[i].text = string(text)
	}
	return rs
}

const sharedReports = "../../../shared/fixtures/status-reports"

func TestASFHealthDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	agree := 0
	rs := loadReports(t, sharedReports)
	if d := os.Getenv("DUMP_DIR"); d != "" {
		rs = loadReports(t, d)
	}
	for _, r := range rs {
		v := Judge(Read(r.text))
		ok := string(v.Level) == r.Health
		if ok {
			agree++
		}
		fmt.Printf("%-8v %-10s want %-6s got %-6s %s\n   %q\n", ok, r.Project, r.Health, v.Level, v.Rule, v.Sentence)
	}
	fmt.Printf("%d/%d\n", agree, len(rs))
}
