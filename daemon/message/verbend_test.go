package message

import (
	"testing"
)

// verbEnd says what its expression says (fwdVerbEnd, and verbEndRev on
// the reversed text) on strings built to probe each part of it; the
// corpus of TestAttributionPrefilters and FuzzVerbEnd do the rest.
func TestVerbEnd(t *testing.T) {
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'x'
		}
		return string(b)
	}
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"On Mon, 4 May 2026 at 10:00, Bob <bob@example.com> wrote:", true},
		{"Bob wrote:", true},
		{"wrote:", true},
		{"wrote", false},           // no mark
		{"wrote-", false},          // one dash is none
		{"wrote --", true},         // \s-{2,}
		{"wrote--", true},          // -{2,}
		{"wrote: --  ", true},      // :\s*-*\s*
		{"wrote : ", true},         // \s*:\s*
		{"rewrote:", false},        // a letter before the verb
		{"Bob wrote x:", true},     // a piece after the verb
		{"Bob wrotex:", false},     // a letter right after it
		{"Bob wrote a: b:", false}, // a colon among the pieces
		{"Bob wrote at 10:26:", true},
		{"Bob wrote at 1:2:3:", false},   // one digit, two times
		{"Bob wrote at 10:26:30:", true}, // two times, no digit shared
		{"Bob wrote 10:26 and 1:2:", true},
		{"Bob wrote :", true},
		{"Bob wrote 1:", true},
		{"Bob wrote :1:", false},
		{"Bob wrote " + long(119) + ":", true},
		{"Bob wrote " + long(120) + ":", true},
		{"Bob wrote " + long(121) + ":", false},   // 121 pieces after the space
		{"Bob wrote 1:2" + long(117) + ":", true}, // "1:2" is one piece
		{"Bob WROTE:", true},
		{"Bob WRITEſ:", true},         // ſ folds to s
		{"Bob \u212Airjoitti:", true}, // the Kelvin sign folds to k
		{"Bob a   écrit :", true},     // a space in a verb is white space
		{"Bob ha\vscritto :", false},  // \v is not \s
		{"Bob napisał(a):", true},
		{"Bob \u0345wrote:", false}, // U+0345 folds to a letter: not [^\pL]
		{"Bob wrote\u0345:", false},
		{"Bob \xffwrote:", true}, // an invalid byte is U+FFFD, a non-letter
		{"Bob wrote\xff:", true},
		{"Bob wrote—:", true},
		{"写道：", false}, // a full-width colon is not ':'
		{"", false},
		{":", false},
	} {
		if got, re := verbEnd(c.s), fwdVerbEnd.MatchString(c.s); got != c.want || re != c.want {
			t.Errorf("verbEnd(%q) = %v, the expression %v, want %v", c.s, got, re, c.want)
		}
	}
}

func FuzzVerbEnd(f *testing.F) {
	for _, s := range []string{"On Mon, 4 May 2026 at 10:00, Bob <bob@example.com> wrote:", "wrote --", "Bob wrote at 1:2:3:",
		"Bob a écrit :", "Bob \u212Airjoitti:", "x napisał(a) 10:26 -- ", "skrev:\t-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 600 {
			return
		}
		if got, want := verbEnd(s), fwdVerbEnd.MatchString(s); got != want {
			t.Fatalf("verbEnd(%q) = %v, the expression says %v", s, got, want)
		}
	})
}

// BenchmarkVerbEnd runs verbEnd and the reversed expression it replaced on
// the attribution corpus.
func BenchmarkVerbEnd(b *testing.B) {
	corpus := attributionCorpus(&testing.T{})
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			for _, s := range corpus {
				verbEnd(s)
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			for _, s := range corpus {
				matchReversed(verbEndRev, s)
			}
		}
	})
}
