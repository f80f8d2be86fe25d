package mailbox

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSourceIsReadOnly keeps the read-only promise structural: no IMAP
// command that changes a mailbox appears in the package's code, every
// SELECT is read-only (EXAMINE), and every body section is fetched with
// PEEK. APPEND (AppendDraft) is the one write and is allowed.
func TestSourceIsReadOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	writes := regexp.MustCompile(`\bic\.(Store|Expunge|UIDExpunge|Copy|Move|Delete|Rename|Create|UnselectAndExpunge)\(`)
	sel := regexp.MustCompile(`\.Select\([^)]*\)`)
	section := regexp.MustCompile(`\{Specifier:[^}]*\}`)
	checked, sections := 0, 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		checked++
		if m := writes.FindString(src); m != "" {
			t.Errorf("%s calls %s: the package must not change the mailbox", f, m)
		}
		for _, m := range sel.FindAllString(src, -1) {
			if !strings.Contains(m, "ReadOnly: true") {
				t.Errorf("%s: %s is not read-only", f, m)
			}
		}
		for _, m := range section.FindAllString(src, -1) {
			sections++
			if !strings.Contains(m, "Peek: true") {
				t.Errorf("%s: %s fetches without PEEK", f, m)
			}
		}
	}
	if checked < 5 || sections < 2 {
		t.Fatalf("checked only %d source files and %d body sections", checked, sections)
	}
}
