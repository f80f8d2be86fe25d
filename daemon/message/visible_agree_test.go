package message

import (
	"bytes"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gomessage "github.com/emersion/go-message"
	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// The quote cutting of Visible (splitLinesInto, cutQuotes, joinLines and
// the tests behind them) agrees with the reference copy of the code as it
// was before it was made faster (visible_ref_test.go): on every fixture,
// on corpus messages, on random texts of header-like lines, and in
// FuzzVisibleAgrees.

// visibleInput is one text Visible is given, and the sender's name.
type visibleInput struct {
	name, text, sender string
}

// visBenchCorpus is the generated corpus BenchmarkParseCorpus reads.
var visBenchCorpus = benchcorpus.Test

// visMailInputs gives the texts Parse hands to Visible for one message,
// found with go-message alone: its first plain part, or its first HTML
// part rendered with and without the quote containers, with the sender's
// name from Parse.
func visMailInputs(name string, raw []byte) []visibleInput {
	sender := ""
	if m, err := Parse(bytes.NewReader(raw), Options{NoAsk: true}); err == nil {
		sender = m.From.Name
	}
	ent, err := gomessage.Read(bytes.NewReader(raw))
	if err != nil && ent == nil {
		return []visibleInput{{name: name, text: string(raw), sender: sender}}
	}
	var out []visibleInput
	var plain, htm bool
	ent.Walk(func(_ []int, e *gomessage.Entity, err error) error {
		if err != nil {
			return nil
		}
		ct, params, _ := e.Header.ContentType()
		if ct == "" {
			ct = "text/plain"
		}
		if ct != "text/plain" && ct != "text/html" || plain && ct == "text/plain" || htm && ct == "text/html" {
			return nil
		}
		body, err := io.ReadAll(e.Body)
		if err != nil && len(body) == 0 {
			return nil
		}
		text := strings.ToValidUTF8(string(body), "\uFFFD")
		if ct == "text/plain" {
			plain = true
			if strings.EqualFold(params["format"], "flowed") {
				text = Unflow(text, strings.EqualFold(params["delsp"], "yes"))
			}
			out = append(out, visibleInput{name: name + " plain", text: text, sender: sender})
			return nil
		}
		htm = true
		if doc := parseHTML(text); doc != nil {
			out = append(out, visibleInput{name: name + " html", text: renderText(doc), sender: sender})
			stripQuotes(doc)
			out = append(out, visibleInput{name: name + " html stripped", text: renderText(doc), sender: sender})
		}
		return nil
	})
	return out
}

// visFixtureInputs reads every fixture there is: the reply-extraction and
// status-report fixtures when present, the package's and the reading
// package's testdata.
func visFixtureInputs(tb testing.TB) []visibleInput {
	var files []string
	for _, root := range []string{quotesDir, "../../../shared/fixtures/status-reports", "testdata", "../reading/testdata"} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
	}
	var out []visibleInput
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if strings.HasSuffix(f, ".eml") {
			out = append(out, visMailInputs(f, raw)...)
		}
		out = append(out, visibleInput{name: f, text: string(raw)}, visibleInput{name: f + " (sender)", text: string(raw), sender: "Bob Jones"})
	}
	if len(out) < 100 {
		tb.Fatalf("only %d fixture texts", len(out))
	}
	return out
}

// visCorpusInputs gives the Visible texts of n corpus messages, spread over
// the corpus.
func visCorpusInputs(n, step int) []visibleInput {
	var out []visibleInput
	for i := range n {
		out = append(out, visMailInputs("corpus", visBenchCorpus.Mail(i*step))...)
	}
	return out
}

// visHeaderLines are lines that look like, or are, parts of reply headers,
// quotes, separators and signatures, for random texts.
var visHeaderLines = []string{"", " ", "> x", ">", "  > quoted", ">> deeper", "From: a", "From: Bob <bob@example.com>", "*From:* Bob Jones [mailto:bob@example.com]",
	"Sent: Monday, May 4, 2026 10:02", "To: team@example.com", "Subject: Re: Apollo", "Date: Mon, 4 May 2026", "De : Jean", "Von: Hans <h@x.de>",
	"----", "-- ", "--", "________________________________", "-----Original Message-----", "---------- Forwarded message ---------",
	"Begin forwarded message:", "Thanks,", "Bob", "On 1 May 2026, b <b@x.y> wrote:", "2026-01-01 b@x.y>", "2011/4/7 Bob <bob@x.y>",
	"On Mon wrote", "On 1 Mon wrote", "On 1 Mon wrote x: y:", "On 1 Mon wrotex y:", "On 1 wrote 1:2:3:", "On 1 Mon a@b wrote", "On Monday the team met",
	"On Wed, 4 Nov 2026 at 10:02, Bob Jones <bob@example.com>", "wrote:", "<bob@example.com> wrote:", "Bob Jones <bob@example.com> wrote:",
	"Le 4 mai 2026 à 10:02, Jean <jean@x.fr> a écrit :", "Am 04.05.2026 um 10:02 schrieb Hans <h@x.de>:", "W dniu 4.05.2026 o 10:02, Jan pisze:",
	"pá 21. 11. 2025 v 1:00 odesílatel Stephen Rothwell", "<sfr@canb.auug.org.au> napsal:", "Support kirjoitti 20.05.2019 kello 10:26:",
	"2026年5月4日 10:02 Bob <bob@x.y> 写道：", "他在2026年的报告中写道：", "-- Bob wrote: --", "---- On Mon, Bob wrote ----", "reply On Wed, 4 Nov 2026, Bob <b@x.y> wrote:",
	"at 10:00 AM Jane <jane@example.com> wrote:", "The rollout went fine on Monday.", "We go live at 10:00", "http://example.com/a/very/long",
	"(link)", ">>> http://example.com <<<", "Sent from my iPhone", "ſent: Monday", "\u00a0", "\u200b", "x\r", "\r", "ÉCRIT:", "İ", "K",
	"=======", "***********", "Best regards,", "Jane Doe | Product Lead", "+49 30 1234567", "Confidentiality notice: this e-mail is private."}

// visRandomInputs gives n random texts of header-like lines, with the
// attribution corpus's lines mixed in when there is one.
func visRandomInputs(t testing.TB, n int) []visibleInput {
	pool := append([]string(nil), visHeaderLines...)
	pool = append(pool, agreeCorpus(t)[:5000]...)
	rng := rand.New(rand.NewSource(15))
	var out []visibleInput
	for range n {
		var b strings.Builder
		for k := rng.Intn(30); k >= 0; k-- {
			if rng.Intn(3) == 0 {
				b.WriteString(visHeaderLines[rng.Intn(len(visHeaderLines))])
			} else {
				b.WriteString(pool[rng.Intn(len(pool))])
			}
			b.WriteString([]string{"\n", "\n", "\n", "\r\n", "\n\n", "\r", " "}[rng.Intn(7)])
		}
		out = append(out, visibleInput{name: "random", text: b.String()})
	}
	return out
}

// checkVisibleAgrees compares every step of Visible with the reference.
func checkVisibleAgrees(t testing.TB, in visibleInput) {
	t.Helper()
	want := refVisSplitLinesInto(nil, in.text)
	got := splitLinesInto(nil, in.text)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: splitLinesInto = %q, the reference %q", in.name, got, want)
	}
	wantCut := new(refVisVisibleBuffers).cutQuotes(slices.Clone(want))
	gotCut := new(visibleBuffers).cutQuotes(slices.Clone(got))
	if !slices.Equal(gotCut, wantCut) {
		t.Fatalf("%s: cutQuotes = %q, the reference %q\ninput: %q", in.name, gotCut, wantCut, in.text)
	}
	if g, w := joinLines(gotCut), refVisJoinLines(wantCut); g != w {
		t.Fatalf("%s: joinLines = %q, the reference %q", in.name, g, w)
	}
	if g, w := Visible(in.text, in.sender), refVisVisible(in.text, in.sender); g != w {
		t.Fatalf("%s: Visible = %q, the reference %q\ninput: %q", in.name, g, w, in.text)
	}
}

func TestVisibleAgreesFixtures(t *testing.T) {
	for _, in := range visFixtureInputs(t) {
		checkVisibleAgrees(t, in)
	}
}

func TestVisibleAgreesCorpus(t *testing.T) {
	n := agreeN(3000)
	if testing.Short() {
		n = 300
	}
	for _, in := range visCorpusInputs(n, 50000/n) {
		checkVisibleAgrees(t, in)
	}
}

func TestVisibleAgreesRandom(t *testing.T) {
	for _, in := range visRandomInputs(t, agreeN(20000)) {
		checkVisibleAgrees(t, in)
	}
	for _, unit := range pathological {
		checkVisibleAgrees(t, visibleInput{name: "pathological " + unit, text: strings.Repeat(unit, 4096/len(unit))})
	}
}

func FuzzVisibleAgrees(f *testing.F) {
	for _, in := range visFixtureInputs(f) {
		f.Add(in.text, in.sender)
	}
	for _, in := range visCorpusInputs(50, 997) {
		f.Add(in.text, in.sender)
	}
	for _, l := range visHeaderLines {
		f.Add(l, "")
	}
	f.Add(strings.Join(visHeaderLines, "\n"), "Bob")
	f.Fuzz(func(t *testing.T, text, sender string) {
		if len(text) > 64<<10 {
			return
		}
		checkVisibleAgrees(t, visibleInput{name: "fuzz", text: text, sender: sender})
	})
}

// The regular expressions the quote cutting runs are the reference's:
// a faster path may stand in front of one, never change it.
func TestVisibleRegexpsUnchanged(t *testing.T) {
	for _, p := range [][2]interface{ String() string }{
		{separatorRe, refVisSeparatorRe}, {forwardRe, refVisForwardRe}, {dashTitleRe, refVisDashTitleRe}, {ruleRe, refVisRuleRe},
		{onWordRe, refVisOnWordRe}, {verbEndRev, refVisVerbEndRev}, {verbBareRev, refVisVerbBareRev}, {bracketEnd, refVisBracketEnd},
		{yearOrTime, refVisYearOrTime}, {verbDateRe, refVisVerbDateRe}, {verbColon, refVisVerbColon}, {dashWrapRe, refVisDashWrapRe},
		{dateLeadRe, refVisDateLeadRe}, {fieldRe, refVisFieldRe}, {cjkYear, refVisCjkYear}, {cjkTime, refVisCjkTime},
	} {
		if p[0].String() != p[1].String() {
			t.Errorf("regexp changed: %s, was %s", p[0], p[1])
		}
	}
	// and the line splitting and clues of the reference's own entry points
	// are the ones its Visible uses
	text := strings.Join(visHeaderLines, "\n")
	if !slices.Equal(refVisSplitLines(text), splitLines(text)) {
		t.Error("splitLines differs from the reference")
	}
	lines := splitLines(text)
	ref, lc := refVisCluesOfLines(lines), cluesOfLines(lines)
	for k := range lines {
		r := ref[k]
		if got := lc.all(k); got.verb != r.verb || got.digit != r.digit || got.at != r.at || got.end != r.end || got.verbAtEnd != r.verbAtEnd || got.role != r.role {
			t.Errorf("line %q: clues %+v, the reference %+v", lines[k], got, r)
		}
	}
}
