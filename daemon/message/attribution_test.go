package message

import (
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The attribution regexps as first written, forward: the oracle the
// reversed ones and the cheap prefilters in front of them are checked
// against.
var (
	fwdVerbEnd  = regexp.MustCompile(`(?i)(?:^|[^\pL])(` + alternation(quoteVerbs) + `)(?:[^\pL](?:[^:]|\d:\d){0,120})?(?::\s*-*|\s-{2,}|-{2,}|\s*:\s*)\s*$`)
	fwdVerbBare = regexp.MustCompile(`(?i)[^\pL](` + alternation(quoteVerbs) + `)\s*$`)
)

// attributionCorpus is a mix of real attribution lines, near misses and
// random strings over the characters the regexps care about.
func attributionCorpus(t *testing.T) []string {
	var out []string
	tails := []string{":", " :", ": ", "：", "--", " --", ":--", ": -- ", "-", "", " x:", "x:", ":x", " (a):", " 10:26:", " 1:2:3:",
		" at 10:26 pm:", " 20.05.2019 kello 10:26:", " Bob <bob@example.com>:", " " + strings.Repeat("x", 125) + ":", " a: b:", "(a):"}
	heads := []string{"", "On 3 May 2026, Bob <bob@example.com> ", "Bob ", "x", "1", ":", "wrote: ", "On Mon ", "Le 4 mai 2026 à 10:00, ", "-- "}
	for i, v := range quoteVerbs {
		r := []rune(v)
		forms := []string{v, strings.ToUpper(v), strings.ToUpper(string(r[:1])) + string(r[1:])}
		for j, tl := range tails {
			out = append(out, heads[j%len(heads)]+forms[j%len(forms)]+tl, heads[(i+j)%len(heads)]+v+tl)
		}
		for j, h := range heads {
			out = append(out, h+forms[j%len(forms)]+tails[(i+j)%len(tails)])
		}
	}
	rng := rand.New(rand.NewSource(1))
	alphabet := []string{":", "1", "2", " ", "-", "x", "a", "(", ")", "@", ".", "\t", "wrote", "sent", "a écrit", "napisał(a)", "skrev", "写道", "kirjoitti", "20.05.2019", "ſkrev", "WRITEſ", "K"}
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for n := rng.Intn(12); n >= 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		out = append(out, b.String())
	}
	// every line of the fixtures, and pairs of lines joined as attribution
	// joins them
	files, _ := filepath.Glob(filepath.Join(quotesDir, "*", "*", "input.*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := splitLines(string(b))
		for i, l := range lines {
			if len(l) > 400 || strings.TrimSpace(l) == "" {
				continue // attribution never tries these
			}
			out = append(out, l)
			if i+1 < len(lines) && !isBlank(lines[i+1]) {
				out = append(out, l+" "+strings.TrimSpace(lines[i+1]))
			}
		}
	}
	return out
}

// The reversed regexps say what the forward ones say, and the prefilters
// never turn away a string the regexps would accept.
func TestAttributionPrefilters(t *testing.T) {
	corpus := attributionCorpus(t)
	matched := 0
	for _, s := range corpus {
		end, bare := fwdVerbEnd.MatchString(s), fwdVerbBare.MatchString(s)
		if got := verbEnd(s); got != end {
			t.Errorf("verbEnd(%q) = %v, forward regexp says %v", s, got, end)
		}
		if got := verbBare(s); got != bare {
			t.Errorf("verbBare(%q) = %v, forward regexp says %v", s, got, bare)
		}
		if end || verbColon.MatchString(s) || verbDateRe.MatchString(s) {
			matched++
			if !hasQuoteVerb(s) || !endsLikeAttribution(s) || !verbInTail(s) {
				t.Errorf("prefilters turn away %q (verb %v, end %v, tail %v)", s, hasQuoteVerb(s), endsLikeAttribution(s), verbInTail(s))
			}
		}
		if bare && (!hasQuoteVerb(s) || !endsWithQuoteVerb(s)) {
			t.Errorf("prefilters turn away bare %q", s)
		}
	}
	t.Logf("%d strings, %d attribution matches", len(corpus), matched)
	if matched < 500 || matched == len(corpus) {
		t.Fatalf("corpus of %d has %d attribution matches: not a useful mix", len(corpus), matched)
	}
}

// A hostile body of lines that look like the start of an attribution but
// cannot end one never reaches the large regexps: each line is turned away
// by a substring check. (Counted, not timed; BenchmarkVisiblePathological
// shows the cost.)
func TestAttributionRegexpsSkipped(t *testing.T) {
	evals := 0
	testHookAttributionRe = func() { evals++ }
	defer func() { testHookAttributionRe = nil }()
	for _, unit := range []string{"On Mon wrote\n", "On Monday the team met\n", "On 1 Mon wrote\n", "On 1 Mon wrote x: y:\n",
		"On 1 Mon wrotex y:\n", "On 1 wrote 1:2:3:\n", "Le 1 mai, Bob:\n"} {
		evals = 0
		body := strings.Repeat(unit, 1000)
		Visible(body, "")
		if evals != 0 {
			t.Errorf("%d lines of %q: %d attribution regexp runs, want 0", strings.Count(body, "\n"), unit, evals)
		}
	}
	// a real attribution still reaches them, and is found
	evals = 0
	if got := Visible(reply+"\n\nOn Mon, 4 May 2026 at 10:00, Bob <bob@example.com> wrote:\n> Where are we?", ""); got != reply || evals == 0 {
		t.Errorf("Visible = %q after %d regexp runs, want %q after some", got, evals, reply)
	}
}
