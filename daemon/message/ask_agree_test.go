package message

import (
	"math/rand"
	"strings"
	"testing"
)

// IsStatusAsk agrees with its reference copy (refParIsStatusAsk, ask.go at
// ef72470) on random texts built of the ask words, the phrases' examples,
// sentence ends, line breaks and non-ASCII text; on every fixture in
// TestParseAgrees; and in FuzzIsStatusAskAgrees.

func askAgreeAlphabet() []string {
	alpha := []string{" ", " ", "\n", "\n\n", ". ", "? ", "! ", ".", "?", "!", ",", "'", "’", "\u00a0", "\u2003", "É", "é", "x", "2",
		"Can", "YOU", "you", "u", "we", "it", "the", "status", "by", "friday", "Please", "send", "me", "on", "track", "how", "are", "doing",
		"show", "anyway", "update", "sending", "send2", "what's", "let me", "know", "ünd", "cómo", "İ", "K"}
	alpha = append(alpha, askWords...)
	for _, a := range askPhrases {
		alpha = append(alpha, a.example)
	}
	return alpha
}

func TestIsStatusAskAgrees(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	alpha := askAgreeAlphabet()
	asks := 0
	n := agreeN(60000)
	if testing.Short() {
		n = 6000
	}
	for range n {
		var b strings.Builder
		for k := rng.Intn(30); k >= 0; k-- {
			b.WriteString(alpha[rng.Intn(len(alpha))])
			if rng.Intn(3) == 0 {
				b.WriteByte(' ')
			}
		}
		s := b.String()
		want, got := refParIsStatusAsk(s), IsStatusAsk(s)
		if want != got {
			t.Fatalf("IsStatusAsk(%q) = %v, reference %v", s, got, want)
		}
		if got {
			asks++
		}
	}
	// long texts: the scan limit cuts inside a sentence, a word or a rune
	for _, unit := range []string{"Hi team, the rollout went fine. ", "Could you send me the numbers by Friday?\n", "é", "Où en est le projet ? ", "a"} {
		for _, pad := range []int{0, 1, 2, 3} {
			s := strings.Repeat("x", pad) + strings.Repeat(unit, askScanLimit/len(unit)+2)
			if want, got := refParIsStatusAsk(s), IsStatusAsk(s); want != got {
				t.Fatalf("IsStatusAsk(%d × %q, pad %d) = %v, reference %v", askScanLimit/len(unit)+2, unit, pad, got, want)
			}
		}
	}
	if asks < n/10 || asks > n*9/10 {
		t.Fatalf("%d asks of %d: the test tests little", asks, n)
	}
}

func FuzzIsStatusAskAgrees(f *testing.F) {
	for _, a := range askPhrases {
		f.Add(a.example)
	}
	f.Add("How are you? Any update on\ntrack.\n\nSend me it by Friday")
	f.Fuzz(func(t *testing.T, s string) {
		if want, got := refParIsStatusAsk(s), IsStatusAsk(s); want != got {
			t.Fatalf("IsStatusAsk(%q) = %v, reference %v", s, got, want)
		}
	})
}
