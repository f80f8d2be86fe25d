package reading

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The rules written once are the strings judge built for them.
func TestRulesWrittenOnce(t *testing.T) {
	for _, m := range []Marker{Red, Amber, Green} {
		if got, want := ruleMarked[m], "marked "+string(m); got != want {
			t.Errorf("ruleMarked[%q] = %q, want %q", m, got, want)
		}
	}
	for _, s := range []Section{Risks, Asks, Decisions} {
		if got, want := ruleNothingIn[s], "says there is nothing to report in the "+string(s)+" section"; got != want {
			t.Errorf("ruleNothingIn[%q] = %q, want %q", s, got, want)
		}
	}
}

// appendWordsUpTo is appendWords while there are at most most words, and
// says there are more (most+1) otherwise, with the first most words.
func FuzzWordsUpToAgrees(f *testing.F) {
	for _, s := range []string{"", "On track", "  Red  ", "İSTANBUL \u212a ſ Zoë’s off-track/x", "a b c d e", "\xff\xc3 a\u00a0b"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, most int) {
		most = most & 7
		all, n := appendWords(nil, s, nil)
		got, m := appendWordsUpTo(nil, s, nil, most)
		if n <= most {
			if m != n || string(got) != string(all) {
				t.Fatalf("appendWordsUpTo(%q, %d) = %q, %d; want %q, %d", s, most, got, m, all, n)
			}
			return
		}
		want := strings.Join(words(s)[:most], " ")
		if m != most+1 || string(got) != want {
			t.Fatalf("appendWordsUpTo(%q, %d) = %q, %d; want %q, %d", s, most, got, m, want, most+1)
		}
	})
}

// quietUntil is the byte loop it stands in for.
func FuzzQuietUntilAgrees(f *testing.F) {
	for _, s := range []string{"", "abc", "Hello there, world. And more", "a\nb", "…", "完成了。 x", "12345678.", "abcdefghijklmnop?", "\xe0\xdf\xc0\x7f!"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, i int) {
		i = max(0, min(i, len(s)))
		want := i
		for want < len(s) && !mayEnd[s[want]] {
			want++
		}
		if got := quietUntil(s, i); got != want {
			t.Fatalf("quietUntil(%q, %d) = %d, want %d", s, i, got, want)
		}
	})
}

// lineRunes is the rune counts it stands in for, on valid UTF-8 (what
// readInto reads).
func FuzzLineRunesAgrees(f *testing.F) {
	for _, s := range []string{"", "abc  ", "a\t \t", "Zoë’s  ", "完成了。\t", " \t ", "12345678901234567 é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		n, nt := lineRunes(s)
		if want := utf8.RuneCountInString(strings.TrimRight(s, " ")); n != want {
			t.Fatalf("lineRunes(%q) = %d, want %d", s, n, want)
		}
		if want := utf8.RuneCountInString(strings.TrimRight(s, " \t")); nt != want {
			t.Fatalf("lineRunes(%q) tabs = %d, want %d", s, nt, want)
		}
		if got, want := validRuneCount(s), utf8.RuneCountInString(s); got != want {
			t.Fatalf("validRuneCount(%q) = %d, want %d", s, got, want)
		}
	})
}

// The cached rules are the rules the reference writes, for every phrase
// of the cache and every kind of hit, asked for twice (written, then
// read), and for a phrase not in it.
func TestRuleCacheAgrees(t *testing.T) {
	levels := []Level{LevelRed, LevelAmber, LevelGreen}
	phrases := []string{"stalled", "not in the lexicon"}
	for p := range Default.rules {
		phrases = append(phrases, p)
	}
	for _, p := range phrases {
		for _, level := range levels {
			for _, h := range []Hit{
				{Phrase: p, Level: level}, {Phrase: p, Level: level, Negated: true},
				{Phrase: p, Level: level, Resolved: true}, {Phrase: p, Level: level, Negated: true, Resolved: true},
			} {
				hits := []Hit{{Phrase: "other", Level: LevelUnknown}, h}
				want := refRuleFor(hits, level)
				for range 2 {
					if got := Default.rules.ruleFor(hits, level); got != want {
						t.Fatalf("ruleFor(%+v, %v) = %q, want %q", hits, level, got, want)
					}
				}
			}
		}
	}
	if got, want := Default.rules.ruleFor(nil, LevelRed), refRuleFor(nil, LevelRed); got != want {
		t.Fatalf("ruleFor(nil) = %q, want %q", got, want)
	}
}

// fillMask finds a word's info as firstOf does, for every first word of
// the lexicon and words that are none.
func TestFillMaskFindsFirsts(t *testing.T) {
	ws := []string{"", ",", "the", "blocked", "zzz", "stalled", "no", "not", "on", "x"}
	for w := range Default.firsts {
		ws = append(ws, w, w+"s", strings.ToUpper(w))
	}
	mask, info := make([]uint64, len(ws)), make([]int32, len(ws))
	Default.fillMask(ws, mask, info)
	for i, w := range ws {
		if want := Default.firstOf(w); info[i] != want {
			t.Fatalf("fillMask: info of %q = %d, want %d", w, info[i], want)
		}
		if info[i] != 0 && Default.infos[info[i]].word != w {
			t.Fatalf("fillMask: info of %q is %q's", w, Default.infos[info[i]].word)
		}
	}
}
