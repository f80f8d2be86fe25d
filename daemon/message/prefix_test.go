package message

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The quick first-word tests never rule out a line their regexps match:
// checked on every line of the reply-parser fixtures and leadup's own test
// mail, and on each phrase written as people and clients write it.
func TestLeadWordsNeverMissAMatch(t *testing.T) {
	var lines []string
	for _, root := range []string{"../../../shared/fixtures/quotes", "testdata"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			raw, err := os.ReadFile(path)
			if err == nil {
				lines = append(lines, strings.Split(string(raw), "\n")...)
			}
			return nil
		})
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d fixture lines found: wrong fixture path?", len(lines))
	}
	for _, ps := range [][]string{forwardPhrases, mobileSignOffs, mobileGenericSignOffs} {
		for _, p := range ps {
			up := strings.ToUpper(p[:1]) + p[1:]
			lines = append(lines, p, up, strings.ToUpper(p), "  "+up+" iPhone", "---------- "+up+" ---------",
				"(<"+up+">)", "\t"+strings.ReplaceAll(up, " ", "  ")+":", "-----"+up+"-----")
		}
	}
	checks := []struct {
		name string
		lw   leadWords
		re   func(string) bool
	}{
		{"forward", forwardLead, forwardRe.MatchString},
		{"mobile", mobileLead, mobileRe.MatchString},
		{"mobile generic", mobileLead, mobileGenRe.MatchString},
	}
	matched := map[string]int{}
	for _, l := range lines {
		for _, c := range checks {
			if c.re(l) {
				matched[c.name]++
				if !c.lw.may(l) {
					t.Errorf("%s: %q matches the regexp but the first-word test rules it out", c.name, l)
				}
			}
		}
	}
	for _, c := range checks {
		if matched[c.name] == 0 {
			t.Errorf("%s: no line matched at all; the check checks nothing", c.name)
		}
	}
	if forwardLead.may("The rollout went fine on Monday.") || mobileLead.may("We shipped the importer.") {
		t.Error("ordinary lines are not ruled out")
	}
}

// The clues found over the whole text are the clues of each line.
func TestCluesOfLinesAgreeWithEachLine(t *testing.T) {
	var lines []string
	filepath.WalkDir("../../../shared/fixtures/quotes", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if raw, err := os.ReadFile(path); err == nil {
				lines = append(lines, strings.Split(string(raw), "\n")...)
			}
		}
		return nil
	})
	lines = append(lines, "Am 3. Mai 2026 schrieb Jane <j@x.de>:", "ſchrieb", "", "wrote", "WROTE: x", "écrit")
	// asked in both orders: what is found for one question does not
	// change the answer to another
	lc, back := cluesOfLines(lines), cluesOfLines(lines)
	for i := len(lines) - 1; i >= 0; i-- {
		back.lastEnd(i, 1, i%2 == 0)
		back.role(i)
	}
	verbs := 0
	for i, l := range lines {
		want := cluesOf(l)
		want.role = fieldRole(l)
		if got := lc.all(i); got != want {
			t.Errorf("line %d %q: clues %+v, alone %+v", i, l, got, want)
		}
		if got := back.all(i); got != want {
			t.Errorf("line %d %q: clues asked after others %+v, alone %+v", i, l, got, want)
		}
		if lc.all(i).verb {
			verbs++
		}
	}
	if verbs == 0 {
		t.Error("no quote verb found in the fixtures: the check checks nothing")
	}
}
