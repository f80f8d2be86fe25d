package message

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The reply-extraction suite: every case in ../shared/fixtures/quotes (see
// its README), scored line by line, with per-folder floors kept in
// testdata/quotes_floor.json. The floors are a ratchet: -update-floor raises
// them to what was achieved and never lowers them.

var updateFloor = flag.Bool("update-floor", false, "raise testdata/quotes_floor.json to the achieved figures")

const quotesDir = "../../../shared/fixtures/quotes"

// folderScore is what the suite reports per folder.
type folderScore struct {
	Cases     int     `json:"cases"`
	Exact     int     `json:"exact"`
	Precision float64 `json:"precision"` // mean line precision
	Recall    float64 `json:"recall"`    // mean line recall
	Leaks     int     `json:"leaks"`     // quoted or signature lines that survived
	Strict    int     `json:"-"`         // exact without the sign-off allowance
}

type caseMeta struct {
	Sender string `json:"sender"`
}

func TestQuotesFixtures(t *testing.T) {
	if _, err := os.Stat(quotesDir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("fixtures missing in CI: %v", err)
		}
		t.Skipf("fixtures not present: %v", err)
	}
	folders, err := filepath.Glob(filepath.Join(quotesDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	scores := map[string]*folderScore{}
	var names []string
	totalLines, totalKept := 0, 0
	for _, dir := range folders {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		folder := filepath.Base(dir)
		cases, _ := filepath.Glob(filepath.Join(dir, "*"))
		sc := &folderScore{}
		for _, c := range cases {
			raw, input := readInput(c)
			if raw == nil {
				continue
			}
			want, err := os.ReadFile(filepath.Join(c, "expected.txt"))
			if err != nil {
				continue
			}
			var meta caseMeta
			if b, err := os.ReadFile(filepath.Join(c, "meta.json")); err == nil {
				_ = json.Unmarshal(b, &meta)
			}
			rep, err := Inspect(raw, Options{SenderName: meta.Sender})
			if err != nil {
				t.Errorf("%s/%s: inspect %s: %v", folder, filepath.Base(c), input, err)
				continue
			}
			r := scoreCase(rep.Visible, string(want))
			sc.Cases++
			if strings.Join(nonBlankLines(rep.Visible), "\n") == strings.Join(nonBlankLines(string(want)), "\n") {
				sc.Strict++
			}
			if r.exact {
				sc.Exact++
			} else {
				t.Logf("%s/%s: not exact (p=%.2f r=%.2f leaks=%d)\n--- got:\n%s\n--- want:\n%s", folder, filepath.Base(c), r.precision, r.recall, r.leaks, rep.Visible, strings.TrimSpace(string(want)))
			}
			sc.Precision += r.precision
			sc.Recall += r.recall
			sc.Leaks += r.leaks
			totalLines += r.got
			totalKept += r.got - r.leaks
		}
		if sc.Cases == 0 {
			continue
		}
		sc.Precision = round3(sc.Precision / float64(sc.Cases))
		sc.Recall = round3(sc.Recall / float64(sc.Cases))
		scores[folder] = sc
		names = append(names, folder)
	}
	if len(names) == 0 {
		t.Fatalf("no cases found under %s", quotesDir)
	}
	sort.Strings(names)
	for _, n := range names {
		s := scores[n]
		t.Logf("%-11s exact %2d/%-2d (%2d without the sign-off allowance)  precision %.3f  recall %.3f  leaks %d", n, s.Exact, s.Cases, s.Strict, s.Precision, s.Recall, s.Leaks)
	}
	if totalLines > 0 {
		t.Logf("overall line precision %.3f", float64(totalKept)/float64(totalLines))
	}
	checkFloor(t, scores)
}

// readInput returns a case's input.eml or input.txt.
func readInput(dir string) ([]byte, string) {
	for _, n := range []string{"input.eml", "input.txt"} {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			return b, n
		}
	}
	return nil, ""
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

const floorFile = "testdata/quotes_floor.json"

// checkFloor fails when a folder is below its floor, and with -update-floor
// raises floors (never lowers them).
func checkFloor(t *testing.T, scores map[string]*folderScore) {
	floors := map[string]*folderScore{}
	if b, err := os.ReadFile(floorFile); err == nil {
		if err := json.Unmarshal(b, &floors); err != nil {
			t.Fatalf("%s: %v", floorFile, err)
		}
	}
	for name, f := range floors {
		s, ok := scores[name]
		if !ok {
			t.Errorf("folder %s has a floor but no cases", name)
			continue
		}
		if s.Exact < f.Exact || s.Precision < f.Precision || s.Recall < f.Recall || s.Leaks > f.Leaks {
			t.Errorf("%s below its floor: got exact %d precision %.3f recall %.3f leaks %d; floor exact %d precision %.3f recall %.3f leaks %d",
				name, s.Exact, s.Precision, s.Recall, s.Leaks, f.Exact, f.Precision, f.Recall, f.Leaks)
		}
	}
	if !*updateFloor {
		return
	}
	for name, s := range scores {
		f, ok := floors[name]
		if !ok {
			floors[name] = s
			continue
		}
		f.Cases = s.Cases
		f.Exact = max(f.Exact, s.Exact)
		f.Precision = math.Max(f.Precision, s.Precision)
		f.Recall = math.Max(f.Recall, s.Recall)
		f.Leaks = min(f.Leaks, s.Leaks)
	}
	b, _ := json.MarshalIndent(floors, "", "  ")
	if err := os.WriteFile(floorFile, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// caseResult is one case's score.
type caseResult struct {
	exact             bool
	precision, recall float64
	leaks, got        int
}

// scoreCase compares got and want line by line after trimming and dropping
// blank lines. As the fixtures' README allows, lines that differ only
// because they are a sign-off or a signature at the end of the text (talon
// keeps some, leadup removes them all) are left out of the comparison.
func scoreCase(got, want string) caseResult {
	g, w := nonBlankLines(got), nonBlankLines(want)
	// the longest common subsequence aligns the two
	common := lcs(g, w)
	inCommonG, inCommonW := map[int]bool{}, map[int]bool{}
	lastW, lastG := -1, -1
	for _, p := range common {
		inCommonG[p[0]], inCommonW[p[1]] = true, true
		lastG, lastW = p[0], p[1]
	}
	missing, extra := 0, 0
	gCount, wCount := 0, 0
	for j, l := range w {
		if inCommonW[j] {
			wCount++
			continue
		}
		if j > lastW && signatureLine(l) {
			continue // a sign-off or signature talon kept and leadup removed
		}
		wCount++
		missing++
	}
	for i, l := range g {
		if inCommonG[i] {
			gCount++
			continue
		}
		if i > lastG && signatureLine(l) {
			continue // a trailing name or sign-off talon removed
		}
		gCount++
		extra++
	}
	r := caseResult{exact: missing == 0 && extra == 0, precision: 1, recall: 1, leaks: extra, got: gCount}
	if gCount > 0 {
		r.precision = float64(gCount-extra) / float64(gCount)
	}
	if wCount > 0 {
		r.recall = float64(wCount-missing) / float64(wCount)
	}
	return r
}

func nonBlankLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// lcs returns index pairs of a longest common subsequence of a and b.
func lcs(a, b []string) [][2]int {
	n, m := len(a), len(b)
	dp := make([][]int, n+1)
	for i := range dp {
		dp[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out = append(out, [2]int{i, j})
			i++
			j++
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

// The scorer's own idea of a sign-off or signature line, kept independent of
// the package's signature code: a closing phrase, a delimiter, a contact
// line, or a short line that is not a sentence (a name, a title).
var (
	testSignOffRe = regexp.MustCompile(`(?i)^(?:--|thanks|thank you|regards|best|cheers|sincerely|sent (?:from|with|via)|via mobile|get outlook)\b`)
	testContactRe = regexp.MustCompile(`(?i)@|https?://|www\.|\d{3}[-. )]\d{3}[-. ]\d{4}`)
)

func signatureLine(l string) bool {
	if l == "--" || testSignOffRe.MatchString(l) || testContactRe.MatchString(l) && len(strings.Fields(l)) <= 6 {
		return true
	}
	ws := strings.Fields(l)
	return len(ws) <= 4 && len(l) <= 40 && !strings.ContainsAny(l[len(l)-1:], ".?!:")
}
