package message

import (
	"bytes"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// The hand matchers of isMobileSignOff, isReplySubject and
// IsAutoReplySubject agree with the regexp code they replaced (below, every
// name prefixed with old, as it was at 3759ed2) on a table, on every line
// of the fixtures and of the benchmark corpus, on those lines as subjects,
// and in FuzzMobileSignOffAgrees and FuzzReplySubjectAgrees.

var (
	oldMobileRe    = regexp.MustCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileSignOffs) + `)`)
	oldMobileLead  = newLeadWords(" \t\n\f\r\v([<", mobileSignOffs, mobileGenericSignOffs)
	oldMobileGenRe = regexp.MustCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileGenericSignOffs) + `)(?:[^\pL]|$)`)
	oldReplyPrefix = regexp.MustCompile(`(?i)^\s*(?:re|aw|sv|vs|antw|odp|ref|rif|res|tr|wg|fw|fwd|enc|rv|ynt|atb|vá|отв|ответ)\s*(?:\[\d+\])?\s*:`)
)

func oldIsMobileSignOff(l string) bool {
	if !oldMobileLead.may(l) {
		return false
	}
	return oldMobileRe.MatchString(l) || oldMobileGenRe.MatchString(l) && oldHasDeviceWord(l)
}

func oldHasDeviceWord(l string) bool {
	low := strings.ToLower(l)
	for _, w := range mobileDeviceWords {
		for off := 0; off < len(low); {
			j := strings.Index(low[off:], w)
			if j < 0 {
				break
			}
			start, end := off+j, off+j+len(w)
			if (start == 0 || !asciiAlnum(low[start-1])) && (end == len(low) || !asciiAlnum(low[end])) {
				return true
			}
			off = start + 1
		}
	}
	return false
}

func oldIsReplySubject(s string) bool { return oldReplyPrefix.MatchString(s) }

func oldIsAutoReplySubject(subject string) bool {
	if oldIsReplySubject(subject) {
		return false
	}
	s := lowerFold(subject)
	for _, p := range autoReplySubjects {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// checkSignOffSubject compares the new functions with the old on s, as a
// line and as a subject, and each hand matcher with its regexp.
func checkSignOffSubject(t *testing.T, s string) {
	t.Helper()
	if got, want := isMobileSignOff(s), oldIsMobileSignOff(s); got != want {
		t.Errorf("isMobileSignOff(%q) = %v, the reference %v", s, got, want)
	}
	spec, gen := matchMobile(s)
	if want := oldMobileRe.MatchString(s); spec != want {
		t.Errorf("matchMobile(%q) specific = %v, mobileRe %v", s, spec, want)
	}
	if want := oldMobileGenRe.MatchString(s); !spec && gen != want {
		t.Errorf("matchMobile(%q) generic = %v, mobileGenRe %v", s, gen, want)
	}
	if got, want := isReplySubject(s), oldIsReplySubject(s); got != want {
		t.Errorf("isReplySubject(%q) = %v, the reference %v", s, got, want)
	}
	if got, want := IsAutoReplySubject(s), oldIsAutoReplySubject(s); got != want {
		t.Errorf("IsAutoReplySubject(%q) = %v, the reference %v", s, got, want)
	}
	// the lazy definitions kept in the package are the reference's
	if got, want := replyPrefix.MatchString(s), oldIsReplySubject(s); got != want {
		t.Errorf("replyPrefix.MatchString(%q) = %v, the reference %v", s, got, want)
	}
}

func TestSignOffSubjectTable(t *testing.T) {
	for _, c := range []struct {
		s                   string
		mobile, reply, auto bool
	}{
		{"Sent from my iPhone", true, false, false},
		{"  (<Sent  from\tmy iPhone>)", true, false, false},
		{"[ Sent from my iPad", true, false, false},
		{"( (Sent from my iPhone", false, false, false},
		{"\vSent from my iPhone", false, false, false}, // mobileLead trims \v, but \s does not take it
		{"SENT FROM MY IPHONE", true, false, false},
		{"ſent from my iPhone", false, false, false}, // the regexp matches, mobileLead rules it out
		{"Sentfrom my iPhone", false, false, false},
		{"Sent:", false, false, false},
		{"Sent: Monday, 4 May 2026 09:00", false, false, false},
		{"Sent via Android", true, false, false},
		{"Sent via DHL to the Berlin lab.", false, false, false},
		{"Sent viaAndroid", false, false, false},
		{"Sent via\u0345 Android", false, false, false}, // (?i)[^\pL] does not take U+0345, which folds to ι
		{"Sent via\u0300 Android", true, false, false},  // a combining grave is no letter, folded or not
		{"Enviado desde mi iPhone", true, false, false},
		{"Enviado desdeX Android", false, false, false},
		{"Enviado de Android", true, false, false},
		{"Von meinem iPhone gesendet", true, false, false},
		{"Von meinem Samsung Galaxy gesendet", true, false, false},
		{"Отправлено с iPhone", true, false, false},
		{"ОТПРАВЛЕНО С IPHONE", true, false, false},
		{"從我的 iPhone 傳送", true, false, false},
		{"iPhoneから送信", true, false, false},
		{"Get Outlook for iOS", true, false, false},
		{"Re: status", false, true, false},
		{"RE:status", false, true, false},
		{"  re :x", false, true, false},
		{"Re [2]: status", false, true, false},
		{"Re[12] : status", false, true, false},
		{"Re []: status", false, false, false},
		{"Re [2: status", false, false, false},
		{"Re [x]: status", false, false, false},
		{"Res: status", false, true, false},
		{"Rex: status", false, false, false},
		{"Fwd: out of office", false, true, false},
		{"FW : out of office", false, true, false},
		{"AW: Abwesenheitsnotiz", false, true, false},
		{"Vá: x", false, true, false},
		{"VÁ: x", false, true, false},
		{"Отв: x", false, true, false},
		{"ОТВЕТ: x", false, true, false},
		{"\u1c82тв: x", false, true, false}, // a Cyrillic o of the o's fold orbit
		{"ſv: x", false, true, false},       // long s folds to s
		{"\vRe: x", false, false, false},
		{"Re", false, false, false},
		{"Re:", false, true, false},
		{"Bench status, week 5", false, false, false},
		{"Out of Office: back Monday", false, false, true},
		{"Automatic reply: Bench status", false, false, true},
		{"Automatische Antwort: Bench", false, false, true},
		{"Réponse automatique : absent", false, false, true},
		{"Abwesend bis 3. Mai", false, false, true},
		{"NICHT IM BÜRO", false, false, true},
		{"自動応答: x", false, false, true},
		{"Re: Out of office", false, true, false},
		{"ooo: back soon", false, false, true},
		{"Message d’absence", false, false, true},
		{"Away from\u00a0the office", false, false, true},
	} {
		checkSignOffSubject(t, c.s)
		if got := isMobileSignOff(c.s); got != c.mobile {
			t.Errorf("isMobileSignOff(%q) = %v, want %v", c.s, got, c.mobile)
		}
		if got := isReplySubject(c.s); got != c.reply {
			t.Errorf("isReplySubject(%q) = %v, want %v", c.s, got, c.reply)
		}
		if got := IsAutoReplySubject(c.s); got != c.auto {
			t.Errorf("IsAutoReplySubject(%q) = %v, want %v", c.s, got, c.auto)
		}
	}
}

// foldEq, which the phrase matchers (foldPrefix) compare runes with, is
// membership of a fold orbit, for every rune of the sign-off phrases and
// the quote verbs against every rune there is.
func TestFoldEqIsFoldOrbit(t *testing.T) {
	seen := map[rune]bool{}
	for _, ps := range [][]string{mobileSignOffs, mobileGenericSignOffs, quoteVerbs} {
		for _, p := range ps {
			for _, pr := range p {
				seen[pr] = true
			}
		}
	}
	// Every rune below U+3000 (every script with case, and the Kelvin and
	// long-s signs) and every member of each phrase rune's orbit: a full
	// sweep of all runes took a minute under -race.
	var candidates []rune
	for r := rune(0); r < 0x3000; r++ {
		candidates = append(candidates, r)
	}
	for pr := range seen {
		for f := unicode.SimpleFold(pr); ; f = unicode.SimpleFold(f) {
			candidates = append(candidates, f)
			if f == pr {
				break
			}
		}
	}
	for pr := range seen {
		for _, r := range candidates {
			want := r == pr
			for f := unicode.SimpleFold(pr); f != pr && !want; f = unicode.SimpleFold(f) {
				want = f == r
			}
			if got := foldEq(r, pr); got != want {
				t.Fatalf("foldEq(%U, %U) = %v, want %v", r, pr, got, want)
			}
		}
	}
	// the hand matchers rely on it: no phrase holds two spaces, or a
	// space at either end
	for _, ps := range [][]string{mobileSignOffs, mobileGenericSignOffs} {
		for _, p := range ps {
			r, _ := utf8.DecodeRuneInString(p)
			if strings.Contains(p, "  ") || strings.TrimSpace(p) != p || !unicode.IsLetter(r) {
				t.Errorf("phrase %q: the matcher needs single inner spaces and a letter first", p)
			}
		}
	}
	for _, w := range replyWords {
		if utf8.RuneCountInString(w) > 5 {
			t.Errorf("reply word %q is longer than replyWordMaxBytes allows", w)
		}
		for _, r := range w {
			if !unicode.IsLetter(r) {
				t.Errorf("reply word %q holds %q, not a letter", w, r)
			}
		}
	}
}

// foldLetter is (?i)\pL, for every rune there is.
func TestFoldLetterIsFoldedLetterClass(t *testing.T) {
	re := regexp.MustCompile(`(?i)^\pL$`)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		if got, want := foldLetter(r), re.MatchString(string(r)); got != want {
			t.Fatalf("foldLetter(%U) = %v, (?i)\\pL says %v", r, got, want)
		}
	}
}

// signOffFixtureLines are the lines of every file of the shared fixtures
// (quotes, status reports) and of the package's test data.
var signOffFixtureLines = sync.OnceValue(func() []string {
	var lines []string
	for _, root := range []string{"../../../shared/fixtures/quotes", "../../../shared/fixtures/status-reports", "testdata"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			lines = append(lines, strings.Split(string(raw), "\n")...)
			if strings.HasSuffix(path, ".eml") {
				if m, err := Parse(bytes.NewReader(raw), Options{NoAsk: true}); err == nil {
					lines = append(lines, m.Subject)
					lines = append(lines, splitLines(m.Text)...)
				}
			}
			return nil
		})
	}
	return lines
})

// corpusLinesSubjects are the distinct lines of n messages of the
// benchmark corpus, spread over it, and their subjects.
func corpusLinesSubjects(n int) (lines, subjects []string) {
	c := benchcorpus.Test
	seenL, seenS := map[string]bool{}, map[string]bool{}
	step := max(1, c.N/n)
	for i := 0; i < c.N && i/step < n; i += step {
		for _, l := range strings.Split(string(c.Mail(i)), "\r\n") {
			if !seenL[l] {
				seenL[l] = true
				lines = append(lines, l)
			}
			if s, ok := strings.CutPrefix(l, "Subject: "); ok && !seenS[s] {
				seenS[s] = true
				subjects = append(subjects, s)
			}
		}
	}
	return lines, subjects
}

// subjectVariants are s as the subjects of replies and forwards.
func subjectVariants(s string) []string {
	return []string{s, "Re: " + s, "AW [3]: " + s, " fwd :" + s, "RE[2]:" + s, "Re [x]: " + s, strings.ToUpper(s), strings.TrimSpace(s)}
}

func TestSignOffSubjectAgreesOnFixtures(t *testing.T) {
	lines := signOffFixtureLines()
	if len(lines) < 5000 {
		t.Fatalf("only %d fixture lines: wrong fixture path?", len(lines))
	}
	mobile, reply, auto := 0, 0, 0
	for _, l := range lines {
		for _, v := range append(subjectVariants(l), strings.TrimRight(l, "\r"), strings.TrimLeft(l, "> ")) {
			checkSignOffSubject(t, v)
			if t.Failed() {
				return
			}
		}
		l = strings.TrimSpace(l)
		if isMobileSignOff(l) {
			mobile++
		}
		if isReplySubject(l) {
			reply++
		}
		if IsAutoReplySubject(l) {
			auto++
		}
	}
	t.Logf("%d lines: %d mobile sign-offs, %d reply subjects, %d auto-reply subjects", len(lines), mobile, reply, auto)
	if mobile == 0 || reply == 0 || auto == 0 {
		t.Fatal("some check matched nothing: it checks nothing")
	}
}

func TestSignOffSubjectAgreesOnCorpus(t *testing.T) {
	lines, subjects := corpusLinesSubjects(agreeN(6000))
	mobile, reply := 0, 0
	for _, l := range lines {
		checkSignOffSubject(t, l)
		if isMobileSignOff(l) {
			mobile++
		}
	}
	for _, s := range subjects {
		for _, v := range subjectVariants(s) {
			checkSignOffSubject(t, v)
			if isReplySubject(v) {
				reply++
			}
		}
	}
	t.Logf("%d distinct lines (%d mobile sign-offs), %d subjects (%d reply variants)", len(lines), mobile, len(subjects), reply)
	if mobile == 0 || reply == 0 {
		t.Fatal("nothing matched: the check checks nothing")
	}
}

// signOffAlphabet are the pieces random lines and subjects are made of.
var signOffAlphabet = []string{" ", "  ", "\t", "\v", "\r", "\n", "\f", "\u00a0", "(", "<", "[", "]", ":", " :", "[1]", "[12]", "[]", "[x",
	"re", "RE", "Re", "res", "aw", "Fwd", "fw", "vá", "VÁ", "отв", "ОТВЕТ", "\u1c82", "ſ", "\u212a", "İ", "ß", "\xff", "\xc3", "é", "’", "\u0345", "\u0300", "ι",
	"sent", "Sent", "SENT", "from", "my", "via", "with", "iPhone", "Android", "app", "WhatsApp", "Outlook", "for", "iOS", "Von", "meinem",
	"gesendet", "Enviado", "desde", "de", "mi", "Отправлено", "с", "從我的", "iPhoneから送信", "Get", "Sent from my iPhone", "Sent via",
	"Out of office", "OOO:", "auto-reply", "Abwesend", "BÜRO", "自動応答", "Réponse automatique", "d’absence", "x", "1", ".", ",", "!"}

func randomSignOffLine(rng *rand.Rand) string {
	var b strings.Builder
	for n := rng.Intn(7); n >= 0; n-- {
		if b.Len() > 0 && rng.Intn(3) > 0 {
			b.WriteString(" ")
		}
		b.WriteString(signOffAlphabet[rng.Intn(len(signOffAlphabet))])
	}
	return b.String()
}

func TestSignOffSubjectAgreesOnRandomLines(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for range agreeN(200000) {
		checkSignOffSubject(t, randomSignOffLine(rng))
		if t.Failed() {
			return
		}
	}
}

func signOffSeeds() []string {
	seeds := []string{"Sent from my iPhone", "ſent from my iPhone", "Sent via Android", "Enviado desdeX", "Re [2]: x", "Re []: x",
		"ОТВЕТ: x", "\u1c82тв:", "Out of Office", "NICHT IM BÜRO", "Sent via\u0345 Android", "sent with\u0345", "Message d’absence", "( [Sent  from\tmy", "\vRe:", "\xffRe:"}
	for _, ps := range [][]string{mobileSignOffs, mobileGenericSignOffs, replyWords, autoReplySubjects} {
		for _, p := range ps {
			seeds = append(seeds, p, strings.ToUpper(p)+" iPhone", p+":")
		}
	}
	return seeds
}

func FuzzMobileSignOffAgrees(f *testing.F) {
	for _, s := range signOffSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isMobileSignOff(s), oldIsMobileSignOff(s); got != want {
			t.Errorf("isMobileSignOff(%q) = %v, the reference %v", s, got, want)
		}
		spec, gen := matchMobile(s)
		if want := oldMobileRe.MatchString(s); spec != want {
			t.Errorf("matchMobile(%q) specific = %v, mobileRe %v", s, spec, want)
		}
		if want := oldMobileGenRe.MatchString(s); !spec && gen != want {
			t.Errorf("matchMobile(%q) generic = %v, mobileGenRe %v", s, gen, want)
		}
	})
}

func FuzzReplySubjectAgrees(f *testing.F) {
	for _, s := range signOffSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isReplySubject(s), oldIsReplySubject(s); got != want {
			t.Errorf("isReplySubject(%q) = %v, the reference %v", s, got, want)
		}
		if got, want := IsAutoReplySubject(s), oldIsAutoReplySubject(s); got != want {
			t.Errorf("IsAutoReplySubject(%q) = %v, the reference %v", s, got, want)
		}
	})
}
