package message

import (
	"math/rand"
	"strings"
	"testing"
)

// The hand-written checks that stand in for a regexp, or in front of one,
// agree with it: each is run on the attribution corpus (real fixture lines
// and random strings), on random strings over the characters the regexps
// care about, and in FuzzPrefiltersAgree.

// agreeCorpus is the attribution corpus plus random dash, rule and
// bracket lines.
func agreeCorpus(t testing.TB) []string {
	var out []string
	if tt, ok := t.(*testing.T); ok {
		out = attributionCorpus(tt)
	}
	rng := rand.New(rand.NewSource(2))
	alphabet := []string{"-", "--", "_", "=", "*", "~", " ", "\t", "\r", "\f", "\u00a0", "x", "É", "Original Message", "Forwarded",
		"wrote", "sent", "SENT", "present", "ſent", "skrev", "écrit", "ÉCRIT", "napisał(a)", "写道", "1", "2026", "10:26", "@", "<", ">", "(", ")", ":", "K", "İ"}
	for range 20000 {
		var b strings.Builder
		for n := rng.Intn(10); n >= 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		out = append(out, b.String())
	}
	for n := 0; n < 12; n++ {
		for _, c := range []string{"-", "_", "=", "*", "~"} {
			r := strings.Repeat(c, n)
			out = append(out, r, " "+r+" ", r+"x", "\t"+r+"\r", r+" Original Message "+r, r+"-", r+"_")
		}
	}
	return out
}

func checkPrefilters(t *testing.T, s string) (matched int) {
	if re, got := ruleRe.MatchString(s), isRule(s); re != got {
		t.Errorf("isRule(%q) = %v, ruleRe says %v", s, got, re)
	}
	if separatorRe.MatchString(s) || dashTitleRe.MatchString(s) {
		matched++
		if !dashLed(s) || dashesOnly(s) {
			t.Errorf("%q matches a separator regexp, but dashLed %v, dashesOnly %v", s, dashLed(s), dashesOnly(s))
		}
	}
	if dashWrapRe.MatchString(s) {
		matched++
		if !dashWrapped(s) {
			t.Errorf("%q matches dashWrapRe, dashWrapped rules it out", s)
		}
	}
	if bracketEnd.MatchString(s) {
		matched++
		if !bracketEnded(s) {
			t.Errorf("%q matches bracketEnd, bracketEnded rules it out", s)
		}
	}
	if yearOrTime.MatchString(s) && !cluesOf(s).digit {
		t.Errorf("%q matches yearOrTime without a digit clue", s)
	}
	// the one-pass ASCII clues are the clues of the general path
	if c, ok := asciiClues(s); ok {
		want := clues{verb: hasVerbWord(foldVerb(s)), digit: strings.ContainsAny(s, "0123456789"), at: strings.Contains(s, "@")}
		if c != want {
			t.Errorf("asciiClues(%q) = %+v, general path %+v", s, c, want)
		}
	}
	// every verb regexp needs a verb as a word
	if verbEnd(s) || verbBare(s) || verbColon.MatchString(s) || verbDateRe.MatchString(s) || dashWrapRe.MatchString(s) {
		matched++
		if !cluesOf(s).verb {
			t.Errorf("%q matches a verb regexp but has no verb clue", s)
		}
	}
	return matched
}

func TestPrefiltersAgree(t *testing.T) {
	matched := 0
	for _, s := range agreeCorpus(t) {
		matched += checkPrefilters(t, s)
	}
	if matched < 500 {
		t.Fatalf("only %d regexp matches: the check checks little", matched)
	}
}

func FuzzPrefiltersAgree(f *testing.F) {
	for _, s := range []string{"---------- Original Message ----------", "________", "-- Bob wrote: --", "Bob <bob@x.y>:", "On Mon, 4 May 2026, Bob wrote:", "present sent"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 400 {
			return
		}
		checkPrefilters(t, s)
	})
}
