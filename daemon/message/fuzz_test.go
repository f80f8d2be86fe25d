package message

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz seeds: the real-looking messages in testdata/fuzz/*.eml, plus the
// reply-extraction fixtures when they are present.

func seedFiles(tb testing.TB) [][]byte {
	var out [][]byte
	files, _ := filepath.Glob("testdata/fuzz/*.eml")
	fixtures, _ := filepath.Glob(filepath.Join(quotesDir, "*", "*", "input.*"))
	for _, f := range append(files, fixtures...) {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	if len(files) == 0 {
		tb.Fatal("no seeds in testdata/fuzz")
	}
	return out
}

// checkMessage holds the invariants every parsed message keeps.
func checkMessage(t *testing.T, m *Message) {
	t.Helper()
	for name, s := range map[string]string{"Visible": m.Visible, "Snippet": m.Snippet, "Subject": m.Subject, "Text": m.Text} {
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not valid UTF-8: %q", name, s)
		}
	}
	if n := utf8.RuneCountInString(m.Snippet); n > 200 {
		t.Fatalf("snippet has %d runes", n)
	}
	switch m.Health {
	case Green, Amber, Red, Unknown:
	default:
		t.Fatalf("health %q", m.Health)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	opt := Options{MaxText: 8 << 10, Now: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(bytes.NewReader(raw), opt)
		if err == nil {
			if m == nil {
				t.Fatal("nil message without error")
			}
			checkMessage(t, m)
			if len(m.Text) > opt.MaxText {
				t.Fatalf("text %d bytes over the cap", len(m.Text))
			}
		}
		rep, err := Inspect(raw, opt)
		if err == nil && rep == nil {
			t.Fatal("nil report without error")
		}
	})
}

func FuzzVisible(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(string(s), "")
	}
	f.Add("Done.\n\nThanks,\nAlex Doe\n+1 555 123 4567", "Alex Doe")
	f.Add("> a\nb\n> c\n\nOn 1 May 2026, x <x@y.z> wrote:\n> d", "")
	f.Fuzz(func(t *testing.T, text, sender string) {
		v := Visible(text, sender)
		if !utf8.ValidString(v) {
			t.Fatalf("invalid UTF-8: %q", v)
		}
		// Visible only removes: every line it keeps comes from the input
		norm := strings.Join(splitLines(text), "\n")
		for _, l := range strings.Split(v, "\n") {
			if l != "" && !strings.Contains(norm, l) {
				t.Fatalf("line %q not in the input", l)
			}
		}
		h := VisibleHTML(text, sender)
		if !utf8.ValidString(h) || !utf8.ValidString(HTMLToText(text)) {
			t.Fatal("invalid UTF-8 from HTML")
		}
		m := ParseBody(text, Options{})
		checkMessage(t, m)
	})
}
