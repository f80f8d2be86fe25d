package message

import (
	"strings"
	"testing"
)

// splitLines' fast checks find every character the replacer handles, and
// leave text with none of them (em dashes and curly quotes included) as is.
func TestSplitLinesNormalises(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\nb\rc":              "a|b|c",
		"no\u00a0break":          "no break",
		"zero\u200bwidth":        "zerowidth",
		"marks\u200e\u200f here": "marks here",
		"\ufeffbom":              "bom",
		"line\u2028sep\u2029par": "line|sep|par",
		"em — dash ’quote’ …":    "em — dash ’quote’ …",
		"trailing \xe2\x80":      "trailing \ufffd",
	} {
		if got := strings.Join(splitLines(in), "|"); got != want {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSnippetLongSingleLine(t *testing.T) {
	line := strings.Repeat("We shipped the vendor integration and the migration is on track. ", 400)
	got := Snippet("Hi team,\n"+line, 200)
	if !strings.HasPrefix(got, "We shipped the vendor") || !strings.HasSuffix(got, "…") || len([]rune(got)) > 200 {
		t.Errorf("snippet of one long line: %q", got)
	}
	if got := Snippet("  Status   is\tgreen  ", 200); got != "Status is green" {
		t.Errorf("white space not collapsed: %q", got)
	}
}
