package message

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// stripTrailing, Snippet and the prefilters in front of their regexps
// agree with the reference (the code as it was before the fast paths, in
// signature_ref_test.go and snippet_ref_test.go) on every fixture there
// is, the benchmark corpus's messages, random lines, and in
// FuzzStripTrailingAgrees and FuzzSnippetAgrees.

// agreeText is a text Visible may see, with a sender's name for it.
type agreeText struct {
	text    string
	senders []string
}

// sigAgreeTexts are the texts of the quote and status-report fixtures,
// the package's and the reading package's test data, and 3,000 messages
// of the benchmark corpus.
var sigAgreeTexts = func() func(tb testing.TB) []agreeText {
	var (
		texts []agreeText
		done  bool
	)
	return func(tb testing.TB) []agreeText {
		if done {
			return texts
		}
		done = true
		add := func(raw []byte, senders ...string) {
			m, err := Parse(bytes.NewReader(raw), Options{NoAsk: true})
			if err == nil && m.Text != "" {
				texts = append(texts, agreeText{m.Text, append(senders, m.From.Name, m.From.Addr)})
			}
			texts = append(texts, agreeText{string(raw), senders})
		}
		var files []string
		for _, g := range []string{quotesDir + "/*/*/input.*", quotesDir + "/*/*/expected.txt",
			"../../../shared/fixtures/status-reports/reports/*", "testdata/*/*.eml", "../reading/testdata/*/*.txt", "../reading/testdata/*.txt"} {
			fs, _ := filepath.Glob(g)
			files = append(files, fs...)
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			var meta caseMeta
			if b, err := os.ReadFile(filepath.Join(filepath.Dir(f), "meta.json")); err == nil {
				_ = json.Unmarshal(b, &meta)
			}
			add(raw, "", meta.Sender)
		}
		if len(files) < 50 {
			tb.Logf("only %d fixture files", len(files))
		}
		c := benchcorpus.Test
		for i := range agreeN(3000) {
			add(c.Mail(i*16+i%16), "")
		}
		return texts
	}
}()

// checkStripTrailing compares stripTrailing with the reference on lines.
func checkStripTrailing(t *testing.T, lines []string, sender string) bool {
	t.Helper()
	var a, b []int
	want := refStripTrailing(slices.Clone(lines), sender, &a)
	got := stripTrailing(slices.Clone(lines), sender, &b)
	if !slices.Equal(got, want) {
		t.Errorf("stripTrailing(%q, %q)\n = %q\nwant %q", lines, sender, got, want)
		return false
	}
	return len(got) < len(trimBlankEnds(lines))
}

func TestStripTrailingAgrees(t *testing.T) {
	texts := sigAgreeTexts(t)
	rng := rand.New(rand.NewSource(5))
	runs, cuts := 0, 0
	for _, tx := range texts {
		all := splitLines(tx.text)
		quoteless := new(visibleBuffers).cutQuotes(slices.Clone(all))
		for _, sender := range slices.Compact(slices.Sorted(slices.Values(tx.senders))) {
			for _, lines := range [][]string{all, quoteless} {
				runs++
				if checkStripTrailing(t, lines, sender) {
					cuts++
				}
				// the text cut at a few lines, so other lines end it
				for range 2 {
					if len(lines) < 2 {
						break
					}
					runs++
					if checkStripTrailing(t, lines[:1+rng.Intn(len(lines)-1)], sender) {
						cuts++
					}
				}
			}
		}
		if t.Failed() {
			return
		}
	}
	// random signatures below random text
	for range agreeN(20000) {
		var lines []string
		for n := rng.Intn(14); n >= 0; n-- {
			lines = append(lines, randomSigLine(rng))
		}
		runs++
		if checkStripTrailing(t, lines, []string{"", "Bob", "Dana Whitfield", "bob@example.com", "dana"}[rng.Intn(5)]) {
			cuts++
		}
	}
	t.Logf("%d texts, %d runs, %d of them cut something", len(texts), runs, cuts)
	if cuts < agreeN(5000) {
		t.Fatalf("only %d runs cut something: the check checks little", cuts)
	}
}

// sigAlphabet are the pieces random signature lines are made of.
var sigAlphabet = []string{" ", "  ", "\t", "\f", "\v", "\r", "\u00a0", "\u2003", "x", "Bob", "bob", "Dana Whitfield", "DANA", "dana,",
	"+1", "(555)", "555-0123", "12", "1234567", "1 2 3 4 5 6 7", "4-5", "/", ".", "..", "-", "--", "-- ", "—", "–", "~", "_", "__", "=", "*",
	"@", "bob@example.com", "a@b", "x.y", "www", "WWW.", "wWw.", "http://", "HTTPS://x", "://", ".com", ".CO", ".uK", ".u\u212a", ".io", ".Info", ".biz", "example.de",
	"\u212a", "ſ", "İ", "ß", "ẞ", "é", "’", "‘", "'", "!", "?", ":", ";", ",", "\xff", "\xc3", "🙂", "^",
	"Thanks", "THANKS", "thanKs", "than\u212as", "thank you", "Thank\tyou", "ty", "TY", "br", "Best regards", "BEST", "Regards,", "Cheers!", "cheers",
	"z poważaniem", "Z  POWAŻANIEM", "с уважением", "С УВАЖЕНИЕМ", "Grüße", "GRÜẞE", "mit freundlichen grüßen", "ſaludos", "kind regards", "\u212aind regards",
	"Sent from my iPhone", "Sent via Android", "Get Outlook for iOS", "Von meinem iPhone gesendet",
	"CEO", "Director", "Ph.D.", "Inc.", "team", "Mobile:", "Tel", "office", "Acme Corp.",
	"This email and any attachments", "CONFIDENTIAL AND MAY", "intended\u00a0recipient", "İntended recipient", "Disclaimer", "strictly prohibited", "это сообщение", "ЭТО СООБЩЕНИЕ", "DİSCLAİMER",
	"You received this message because you are subscribed to the Google Groups", "To unsubscribe send an email to", "__________", "-=-=-=-=-=-=", "mailing list", "unsubscribe", "Groups.io Links:",
	"- item", "* item", "1. item", "Update:", "The rollout went fine on Monday and the dashboards look good to me.", "Great news!", "Will do.",
}

func randomSigLine(rng *rand.Rand) string {
	if rng.Intn(6) == 0 {
		return ""
	}
	var b strings.Builder
	for n := rng.Intn(6); n >= 0; n-- {
		if b.Len() > 0 && rng.Intn(3) > 0 {
			b.WriteString(" ")
		}
		b.WriteString(sigAlphabet[rng.Intn(len(sigAlphabet))])
	}
	return b.String()
}

// checkSigPrefilters checks that each literal test says no only where its
// regexp does not match (and hasPhone's exactly where phoneRe does not).
func checkSigPrefilters(t *testing.T, s string) (matched int) {
	t.Helper()
	if re, got := phoneRe.MatchString(s), mayPhone(s); re != got {
		t.Errorf("mayPhone(%q) = %v, phoneRe says %v", s, got, re)
	}
	if emailRe.MatchString(s) {
		matched++
		if !hasEmail(s) {
			t.Errorf("%q matches emailRe, hasEmail says no", s)
		}
	}
	if urlRe.MatchString(s) {
		matched++
		if !mayURL(s) {
			t.Errorf("%q matches urlRe, mayURL rules it out", s)
		}
	}
	if signOffRe.MatchString(s) || signOffGlue.MatchString(s) {
		matched++
		if !signOffLead.may(s) {
			t.Errorf("%q matches a sign-off regexp, signOffLead rules it out", s)
		}
	}
	if refSignOffLine(s) != signOffLine(s) {
		t.Errorf("signOffLine(%q) = %v, the reference %v", s, signOffLine(s), refSignOffLine(s))
	}
	if l := strings.TrimSpace(s); l != "" {
		low, want := lowerFold(l), false
		for _, p := range listFooterStarts {
			want = want || strings.HasPrefix(low, p)
		}
		if got := footerStart(l); got != want {
			t.Errorf("footerStart(%q) = %v, the reference %v", l, got, want)
		}
	}
	if got, want := string(appendLowerFold(nil, s)), lowerFold(s); got != want {
		t.Errorf("appendLowerFold(%q) = %q, lowerFold %q", s, got, want)
	}
	if s != "" && !isBlank(s) {
		if got, want := sigLike(s), refSigLike(s); got != want {
			t.Errorf("sigLike(%q) = %v, the reference %v", s, got, want)
		}
	}
	return matched
}

// refSignOffLine is what the reference's cutSignOff asked of a line, but
// for dashName.
func refSignOffLine(l string) bool {
	if refIsSignOff(l) {
		return true
	}
	m := refSignOffGlue.FindStringIndex(l)
	return m != nil && utf8.RuneCountInString(l) <= 40 && refGluedName(l[m[0]:m[1]])
}

// checkDisclaimer compares hasDisclaimer with the reference's test.
func checkDisclaimer(t *testing.T, par []string) bool {
	t.Helper()
	p := lowerFold(strings.Join(par, " "))
	want := false
	for _, d := range disclaimerPhrases {
		want = want || strings.Contains(p, d)
	}
	if got := hasDisclaimer(par); got != want {
		t.Errorf("hasDisclaimer(%q) = %v, the reference %v", par, got, want)
	}
	return want
}

func TestSigPrefiltersAgree(t *testing.T) {
	var lines []string
	seen := map[string]bool{}
	add := func(ls ...string) {
		for _, l := range ls {
			if !seen[l] {
				seen[l] = true
				lines = append(lines, l)
			}
		}
	}
	for _, tx := range sigAgreeTexts(t) {
		add(splitLines(tx.text)...)
	}
	add(agreeCorpus(t)...)
	rng := rand.New(rand.NewSource(7))
	for range agreeN(50000) {
		add(randomSigLine(rng))
	}
	for _, p := range signOffs {
		add(p, strings.ToUpper(p)+", Bob", " "+strings.ReplaceAll(p, " ", " \t ")+"!", strings.ReplaceAll(p, "s", "ſ"), strings.ReplaceAll(p, "k", "\u212a")+",Anna")
	}
	for _, p := range append(slices.Clone(listFooterStarts), disclaimerPhrases...) {
		for _, v := range []string{p, strings.ToUpper(p), strings.Replace(p, " ", "\u00a0", 1), strings.ReplaceAll(p, "k", "\u212a"),
			strings.ReplaceAll(p, "i", "İ"), strings.ReplaceAll(p, "I", "İ"), p[:len(p)/2], "  " + strings.ToUpper(p[:1]) + p[1:] + " x"} {
			add(v, v+" tail", "x "+v)
		}
	}
	matched, disclaimers := 0, 0
	for i, s := range lines {
		matched += checkSigPrefilters(t, s)
		if checkDisclaimer(t, lines[i:min(len(lines), i+1+i%5)]) {
			disclaimers++
		}
		if t.Failed() {
			return
		}
	}
	for _, d := range disclaimerPhrases {
		for _, v := range []string{d, strings.ToUpper(d), strings.Replace(d, " ", "\u00a0", 1)} {
			if !checkDisclaimer(t, []string{"x " + v + " y"}) {
				t.Errorf("%q is no disclaimer", v)
			}
			if w := strings.Fields(v); len(w) > 1 {
				checkDisclaimer(t, []string{w[0], strings.Join(w[1:], " ")})
			}
		}
	}
	// long paragraphs, a phrase across hasDisclaimer's window edges
	for _, fill := range []string{"x", "é", "İ", "\u212a", " ", "€"} {
		for off := 1900; off < 2200; off += 7 {
			for _, d := range []string{"disclaimer", "please consider the environment before printing", "это сообщение"} {
				head := strings.Repeat(fill, off/len(fill))
				if !checkDisclaimer(t, []string{head + d}) || !checkDisclaimer(t, []string{head, d}) ||
					!checkDisclaimer(t, []string{head + strings.ToUpper(d[:2]) + d[2:] + head}) {
					t.Errorf("%q after %d of %q is no disclaimer", d, off, fill)
				}
				checkDisclaimer(t, []string{head + d[:len(d)-1], head})
				checkDisclaimer(t, slices.Repeat([]string{head}, 3))
			}
		}
	}
	t.Logf("%d lines, %d regexp matches, %d disclaimers", len(lines), matched, disclaimers)
	if matched < agreeN(5000) || disclaimers < agreeN(100) {
		t.Fatalf("only %d regexp matches and %d disclaimers: the check checks little", matched, disclaimers)
	}
}

func FuzzSigPrefiltersAgree(f *testing.F) {
	for _, s := range []string{"+1 (555) 010-2345", "bob@example.com", "www.example.com", "Thanks, Bob", "z poważaniem", "This email and any", "Sent from my iPhone"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 400 {
			return
		}
		checkSigPrefilters(t, s)
		checkDisclaimer(t, strings.Split(s, "\n"))
	})
}

// FuzzStripTrailingAgrees compares stripTrailing with the reference on a
// text's lines, as Visible splits them and split raw, with a sender.
func FuzzStripTrailingAgrees(f *testing.F) {
	for i, tx := range sigAgreeTexts(f) {
		if i%4 == 0 && len(tx.text) < 64<<10 {
			f.Add(tx.text, tx.senders[len(tx.senders)-1])
		}
	}
	f.Add("Hi,\n\nthe rollout is done.\n\nThanks,\nBob\n+1 555 010 2345\nwww.example.com", "Bob")
	f.Fuzz(func(t *testing.T, text, sender string) {
		if len(text) > 64<<10 {
			return
		}
		lines := splitLines(text)
		checkStripTrailing(t, lines, sender)
		checkStripTrailing(t, new(visibleBuffers).cutQuotes(slices.Clone(lines)), sender)
		checkStripTrailing(t, strings.Split(text, "\n"), sender)
	})
}
