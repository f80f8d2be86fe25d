package reading

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRead: any text is read without a panic, every sentence is valid
// UTF-8 and non-empty, and every block index is in range.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"## Risks\nNothing new.\n- [x] done\n| a | b |\n|---|---|\n| 1 | 🔴 |",
		"The beta is at risk and will\nslip. ✅ Shipped 1.9.1. e.g. this",
		strings.Repeat(">", 100) + " deep quote",
		"\xff\xfe invalid utf-8 \xc3",
		"```\ncode\n```\n    indented\n**Bold**\nUnderlined\n---",
		"Risiken: Keine. La migración está bloqueada. Le projet est en retard.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d := Read(text)
		for _, s := range d.Sentences {
			if s.Text == "" || !utf8.ValidString(s.Text) {
				t.Fatalf("bad sentence %q", s.Text)
			}
			if s.Block < 0 || s.Block >= len(d.Blocks) {
				t.Fatalf("sentence block %d of %d", s.Block, len(d.Blocks))
			}
		}
		v := Judge(d)
		switch v.Level {
		case LevelGreen, LevelAmber, LevelRed, LevelUnknown:
		default:
			t.Fatalf("level %q", v.Level)
		}
	})
}

// Hostile shapes are read without blowing up: the benchmarks below show
// the time is linear in the length.
func TestHostileShapes(t *testing.T) {
	for name, text := range map[string]string{
		"1 MB single line":    strings.Repeat("blocked on the vendor and ", 40000),
		"no sentence ends":    strings.Repeat("word ", 200000),
		"100 quote levels":    strings.Repeat(">", 100) + " x\n" + strings.Repeat("> ", 100) + "y",
		"many short lines":    strings.Repeat("a\n", 100000),
		"many periods":        strings.Repeat(". ", 200000),
		"mixed scripts":       strings.Repeat("Готово. 完成了。 Listo. ", 20000),
		"a table of 10k rows": "| Status | Owner |\n|---|---|\n" + strings.Repeat("| On track | Priya |\n", 10000),
	} {
		d := Read(text)
		_ = Judge(d)
		if len(d.Blocks) == 0 {
			t.Errorf("%s: no blocks", name)
		}
	}
}

func benchRead(b *testing.B, text string) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Judge(Read(text))
	}
}

// Compare ns/op across sizes: it grows linearly (about 10x per 10x).
func BenchmarkReadLine10KB(b *testing.B) {
	benchRead(b, strings.Repeat("blocked on the vendor and ", 400))
}
func BenchmarkReadLine100KB(b *testing.B) {
	benchRead(b, strings.Repeat("blocked on the vendor and ", 4000))
}
func BenchmarkReadLine1MB(b *testing.B) {
	benchRead(b, strings.Repeat("blocked on the vendor and ", 40000))
}

func BenchmarkReadReport(b *testing.B) {
	text := strings.Repeat("## Risks\nThe beta date of the 28th is at risk and will most likely be\nslipping by about a week unless the credentials land.\n- [x] Shipped 1.9.1\n| Status | Owner |\n| On track | Priya |\n\n", 50)
	benchRead(b, text)
}

// The hand-written trims are the rune-set trims they stand in for.
func FuzzTrimBlank(f *testing.F) {
	for _, s := range []string{"", " \t x \t", "\u00a0 x\u00a0", "\xc2", "x\xa0", "\u00a0\u00a0", "\xc2\xa0\xa0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimBlankLeft(s), strings.TrimLeft(s, " \t\u00a0"); got != want {
			t.Errorf("trimBlankLeft(%q) = %q, want %q", s, got, want)
		}
		if got, want := trimBlankRight(s), strings.TrimRight(s, " \t\u00a0"); got != want {
			t.Errorf("trimBlankRight(%q) = %q, want %q", s, got, want)
		}
	})
}
