package message

import (
	"slices"
	"testing"
	"unsafe"
)

// TestVisibleShares: Visible returns a piece of its input rather than a
// copy where the visible text is one as it is (joinLinesIn), and a copy
// otherwise; the agreement tests (checkVisibleAgrees) compare both paths
// with the reference, and count here that they do take the shared one.
func TestVisibleShares(t *testing.T) {
	for _, c := range []struct {
		text  string
		share bool
	}{
		{"Shipped the beta.\n\nThanks,\nAlex\n\nOn Mon, 4 May 2026 at 10:00, Bob <bob@example.com> wrote:\n> status?\n", true},
		{"\n\nShipped the beta.\nAll green.\n", true},
		{"Shipped the beta.\r\nAll green.\r\n", false},   // the CRs go
		{"Shipped the beta.  \nAll green.\n", false},     // so do trailing spaces
		{"Shipped the beta.\n\n\n\nAll green.\n", false}, // and runs of blank lines
		{"Shipped\n\n> quoted\n\nthe beta.\n", false},    // an inline quote
		{"Shipped the beta \xff.\n", false},              // made valid: a new text
	} {
		v := Visible(c.text, "Alex")
		if v != refVisVisible(c.text, "Alex") {
			t.Fatalf("Visible(%q) = %q, the reference %q", c.text, v, refVisVisible(c.text, "Alex"))
		}
		if got := sharesString(v, c.text); got != c.share {
			t.Errorf("Visible(%q) = %q shares the input: %v, want %v", c.text, v, got, c.share)
		}
	}
	shared, n := 0, 0
	for _, in := range visFixtureInputs(t) {
		v := Visible(in.text, in.sender)
		if v != "" {
			n++
			if sharesString(v, in.text) {
				shared++
			}
		}
	}
	if shared == 0 || shared == n {
		t.Fatalf("%d of %d fixtures' visible texts share the input: one path is not tested", shared, n)
	}
}

// sharesString says whether s lies in t's memory.
func sharesString(s, t string) bool {
	return s != "" && t != "" && sharesMemory(s, unsafe.Slice(unsafe.StringData(t), len(t)))
}

// TestAppendReversedAgrees: matchReversed's reversal is reverse's, on
// valid and invalid UTF-8 (an invalid byte is U+FFFD in both), appended
// after what the buffer holds.
func TestAppendReversedAgrees(t *testing.T) {
	inputs := []string{"", "a", "On Mon, 4 May 2026, Bob <bob@example.com> wrote:", "a\xffé\xe2\x82b\U0001F600", "\xed\xa0\x80x", "\ufffd\xc0"}
	for _, in := range visFixtureInputs(t) {
		inputs = append(inputs, in.text[:min(len(in.text), 300)])
	}
	for _, s := range inputs {
		if got := string(appendReversed([]byte("pre"), s)); got != "pre"+reverse(s) {
			t.Fatalf("appendReversed(%q) = %q, reverse %q", s, got, reverse(s))
		}
	}
}

// TestSplitLinesCRs: splitLinesInto tells a lone CR while cutting the
// lines (by their count of CRs before LFs); every mix of CRs, LFs and
// invisible characters cuts as the reference does, after lines already
// in the buffer.
func TestSplitLinesCRs(t *testing.T) {
	parts := []string{"a", "\r", "\n", "\r\n", "\u200b", "\u00a0", "\u2028", " ", "é"}
	var texts []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		texts = append(texts, prefix)
		if n == 0 {
			return
		}
		for _, p := range parts {
			gen(prefix+p, n-1)
		}
	}
	gen("", 4)
	for _, s := range texts {
		want := refVisSplitLinesInto([]string{"kept"}, s)
		got := splitLinesInto([]string{"kept"}, s)
		if !slices.Equal(got, want) {
			t.Fatalf("splitLinesInto(%q) = %q, the reference %q", s, got, want)
		}
	}
}
