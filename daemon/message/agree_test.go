package message

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
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
		"wrote", "sent", "SENT", "From:", "*Sent:*", "Reply-To: ", "a.b'c-d", "  *  ", "ÄÖ", "\n", "on\ntrack", "any update", "—", "–", "__", "-- ", "12", "123", "12345", ".", "_", "9", "a1", "present", "ſent", "skrev", "écrit", "ÉCRIT", "napisał(a)", "写道", "1", "2026", "10:26", "@", "<", ">", "(", ")", ":", "K", "İ"}
	for range agreeN(20000) {
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
	if re := yearOrTime.MatchString(s); re != hasYearOrTime(s) || re && !cluesOf(s).digit {
		t.Errorf("%q: yearOrTime says %v, hasYearOrTime %v, digit clue %v", s, re, hasYearOrTime(s), cluesOf(s).digit)
	}
	// the one-pass ASCII clues are the clues of the general path
	if c, ok := asciiClues(s); ok {
		want := clues{verb: hasVerbWord(foldVerb(s)), digit: strings.ContainsAny(s, "0123456789"), at: strings.Contains(s, "@")}
		c.end, c.verbAtEnd = false, false
		if c != want {
			t.Errorf("asciiClues(%q) = %+v, general path %+v", s, c, want)
		}
	}
	if re, got := sigDelimRe.MatchString(s), isSigDelim(s); re != got {
		t.Errorf("isSigDelim(%q) = %v, sigDelimRe says %v", s, got, re)
	}
	if old, got := strings.Trim(strings.TrimSpace(s), "-_=*—–~") == "" && utf8.RuneCountInString(strings.TrimSpace(s)) >= 3, dashLine(s); old != got {
		t.Errorf("dashLine(%q) = %v, the Trim test says %v", s, got, old)
	}
	lower := lowerFold(s)
	if old, got := containsAny(strings.ReplaceAll(lower, "\n", " "), askNeeds), containsAnyWrapped(lower, askNeeds); old != got {
		t.Errorf("containsAnyWrapped(%q) = %v, containsAny on spaces says %v", lower, got, old)
	}
	if fieldRe.MatchString(s) && !fieldShaped(s) {
		t.Errorf("%q matches fieldRe, fieldShaped rules it out", s)
	}
	// every attribution ends its line the way the end clues say
	c := cluesOf(s)
	if (endsLikeAttribution(s) || verbColon.MatchString(s) || verbDateRe.MatchString(s) || bracketEnd.MatchString(s) ||
		cjkAttribution(strings.TrimSpace(s), true) || strings.HasSuffix(strings.TrimSpace(s), ">")) && !c.end {
		t.Errorf("%q ends like a header, but its end clue is false", s)
	}
	if verbBare(s) && !c.verbAtEnd {
		t.Errorf("%q ends with a quote verb, but its verbAtEnd clue is false", s)
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
	if matched < agreeN(500) {
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

func checkOpeners(t *testing.T, s string) bool {
	want := onWordRe.FindAllStringSubmatchIndex(s, 4)
	got := findOpeners(s, 4)
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("findOpeners(%q) = %v, onWordRe says %v", s, got, want)
	}
	if w, g := onWordRe.FindStringSubmatchIndex(s), nextOpener(s, 0); fmt.Sprint(w) != fmt.Sprint(g) {
		t.Errorf("nextOpener(%q) = %v, onWordRe says %v", s, g, w)
	}
	return want != nil
}

func TestOpenersAgree(t *testing.T) {
	corpus := agreeCorpus(t)
	rng := rand.New(rand.NewSource(3))
	alphabet := append([]string{" ", "  ", "\t", "-", "–", "—", "*", ">", "x", "O", "N", "ON", "On", "oN", "Le", "AM", "w  Dniu", "W\tDNIU", "Στις", "ΣΤΙΣ", "στιϲ", "В", "på", "PÅ", "vào", "ÀS", "ſ", "K", "Zitat  von", ",", "\u00a0", "é"}, quoteOnWords...)
	for range agreeN(20000) {
		var b strings.Builder
		for n := rng.Intn(10); n >= 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		corpus = append(corpus, b.String())
	}
	matched := 0
	for _, s := range corpus {
		if checkOpeners(t, s) {
			matched++
		}
	}
	if matched < agreeN(1000) {
		t.Fatalf("only %d strings hold an opener: the check checks little", matched)
	}
}

func FuzzOpenersAgree(f *testing.F) {
	for _, s := range []string{"On Mon, 4 May 2026, Bob wrote:", "reply On Wed wrote", "-- > On x", "W dniu 3 maja", "Στις 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 400 {
			return
		}
		checkOpeners(t, s)
	})
}

func checkFieldRole(t *testing.T, s string) bool {
	want := ""
	if m := fieldRe.FindStringSubmatch(s); m != nil {
		want = headerFields[strings.ToLower(strings.Join(strings.Fields(m[1]), " "))]
	}
	if got := fieldRole(s); got != want {
		t.Errorf("fieldRole(%q) = %q, fieldRe says %q", s, got, want)
	}
	return want != ""
}

func TestFieldRoleAgrees(t *testing.T) {
	corpus := agreeCorpus(t)
	rng := rand.New(rand.NewSource(4))
	var names []string
	for n := range headerFields {
		names = append(names, n, strings.ToUpper(n))
	}
	alphabet := append([]string{" ", "  ", "\t", "*", "**", ":", "::", ".", "'", "-", "x", "É", "1", "\r", "\f", "\v", "\u00a0", "ſ", "K"}, names...)
	for range agreeN(30000) {
		var b strings.Builder
		for n := rng.Intn(8); n >= 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		corpus = append(corpus, b.String())
	}
	roles := 0
	for _, s := range corpus {
		if checkFieldRole(t, s) {
			roles++
		}
	}
	if roles < agreeN(500) {
		t.Fatalf("only %d lines with a role: the check checks little", roles)
	}
}

func FuzzFieldRoleAgrees(f *testing.F) {
	for _, s := range []string{"From: Bob <bob@x.y>", " * Sent * : Monday", "*De :* Jean", "Date d'envoi: lundi", "Reply-To :x", "发件人: 王", "Ämne: x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 400 {
			return
		}
		checkFieldRole(t, s)
	})
}
