package message

import (
	"math/rand"
	"strings"
	"testing"
)

// Snippet agrees with the reference (snippet_ref_test.go) on every text
// of the agreement set and its Visible, on random texts, and in
// FuzzSnippetAgrees.

var snippetMaxes = []int{200, 0, -1, 1, 2, 3, 4, 5, 10, 41, 80}

func checkSnippet(t *testing.T, text string, max int) bool {
	t.Helper()
	checkGreeting(t, text)
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); fieldRole(l) != "" && !mayHeaderField(l) {
			t.Errorf("fieldRole(%q) = %q, mayHeaderField rules it out", l, fieldRole(l))
		}
	}
	got, want := Snippet(text, max), refSnippet(text, max)
	if got != want {
		t.Errorf("Snippet(%q, %d)\n = %q\nwant %q", text, max, got, want)
	}
	return strings.HasSuffix(want, "…")
}

func TestSnippetAgrees(t *testing.T) {
	runs, cut := 0, 0
	for i, tx := range sigAgreeTexts(t) {
		v := Visible(tx.text, tx.senders[0])
		for _, s := range []string{tx.text, v} {
			for _, max := range snippetMaxes {
				if max != 200 && i%7 != 0 {
					continue
				}
				runs++
				if checkSnippet(t, s, max) {
					cut++
				}
			}
		}
		if t.Failed() {
			return
		}
	}
	rng := rand.New(rand.NewSource(11))
	pieces := append([]string{"\n", "\n\n", "Hi Bob,\n", "Hello team!\n", "---------- Forwarded message ---------\n", "From: Bob <b@x.y>\n",
		"-----Original Message-----\n", "Subject: x\n", "*Sent by:* Bob\n", " * DATE D'ENVOI * : x\n", "Reply-To:\n", "On  Behalf\tOf: x\n", "Kopie:\n", "ämne:", "ÄMNE:", "От:", "보낸 사람:", "Done:\n", "a b c d e f g h i j k l m n o p q r s t u v w x y z:", strings.Repeat("long ", 300), strings.Repeat(" ", 900) + "tail", "a,", "b;", "c:-", " - ", "\xff", "é", "🙂", "\u00a0"}, sigAlphabet...)
	for range agreeN(20000) {
		var b strings.Builder
		for n := rng.Intn(40); n >= 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
			if rng.Intn(3) == 0 {
				b.WriteString(" ")
			}
		}
		runs++
		if checkSnippet(t, b.String(), snippetMaxes[rng.Intn(len(snippetMaxes))]) {
			cut++
		}
	}
	t.Logf("%d snippets, %d of them cut", runs, cut)
	if cut < agreeN(3000) {
		t.Fatalf("only %d snippets were cut: the check checks little", cut)
	}
}

func FuzzSnippetAgrees(f *testing.F) {
	for i, tx := range sigAgreeTexts(f) {
		if i%4 == 0 && len(tx.text) < 64<<10 {
			f.Add(tx.text, 200)
		}
	}
	f.Add("Hi Bob,\n\nthe rollout is done, "+strings.Repeat("and more ", 40), 20)
	f.Fuzz(func(t *testing.T, text string, max int) {
		if len(text) > 64<<10 || max > 1<<12 {
			return
		}
		checkSnippet(t, text, max)
	})
}

// checkGreeting compares isGreeting with greetingRe on s and its lines.
func checkGreeting(t *testing.T, s string) (matched int) {
	t.Helper()
	for _, l := range append(strings.Split(s, "\n"), s) {
		re := greetingRe.MatchString(l)
		if got := isGreeting(l); got != re {
			t.Errorf("isGreeting(%q) = %v, greetingRe says %v", l, got, re)
		}
		if re {
			matched++
		}
	}
	return matched
}

func TestGreetingAgrees(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	pieces := []string{"hi", "Hi", "HI", "hI", "hello", "Hey", "dear", "DEAR", "good morning", "Good  morning", "GOOD EVENING", "good afternoon", "hallo",
		"liebe", "Lieber", "liebes", "LIEBEſ", "liebeS", "bonjour", "hola", "hej", "hoi", "cześć", "CZEŚĆ", "привет", "ПРИВЕТ", "пᲀиᲀет", "приᲀет", "здравствуйте", "ЗДРАВСТВУЙТЕ",
		" ", "  ", "\t", "\n", "\v", "\f", "\r", "\u00a0", ",", "!", ":", ".", "?", ";", "Bob", "team", "all", "x", "_", "1", "é", "\xff", "\u212a", "ſ", "İ",
		strings.Repeat("a", 39), strings.Repeat("b ", 20), "...", "!,", ",!", "::"}
	matched := 0
	for range agreeN(100000) {
		var b strings.Builder
		for n := rng.Intn(7); n >= 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		matched += checkGreeting(t, b.String())
		if t.Failed() {
			return
		}
	}
	t.Logf("%d greetings", matched)
	if matched < agreeN(5000) {
		t.Fatalf("only %d greetings: the check checks little", matched)
	}
}

func FuzzGreetingAgrees(f *testing.F) {
	for _, s := range []string{"Hi Bob,", "Hello team!", "Good morning all:", "Cześć Anna,", "Liebes Team,", "hi.", "Hey!!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 400 {
			return
		}
		checkGreeting(t, s)
	})
}
