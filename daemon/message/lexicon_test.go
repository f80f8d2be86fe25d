package message

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// healthExamples are sentences that each carry one health phrase, with the
// level they must read as (package reading holds the lexicon). "failed" is
// amber: a failed attempt is a concern, not a stop.
var healthExamples = []struct {
	phrase, example string
	level           Level
}{
	{"blocked", "The migration is blocked on legal.", Red},
	{"blocker", "We hit a blocker with the vendor.", Red},
	{"blockers", "Two blockers remain.", Red},
	{"blocking", "The API change is blocking us.", Red},
	{"outage", "There was an outage last night.", Red},
	{"escalated", "I escalated this to the VP.", Red},
	{"escalation", "This needs an escalation.", Red},
	{"off track", "The launch is off track.", Red},
	{"stuck", "We are stuck on the review.", Red},
	{"showstopper", "Found a showstopper in QA.", Red},
	{"critical issue", "A critical issue came up.", Red},
	{"incident", "We had an incident in prod.", Red},
	{"cancelled", "The project was cancelled.", Red},
	{"on hold", "Phase two is on hold.", Red},
	{"failed", "The rollout failed.", Amber},
	{"at risk", "The date is at risk.", Amber},
	{"slipping", "The beta is slipping.", Amber},
	{"slipped", "The beta slipped a week.", Amber},
	{"delayed", "Shipping is delayed.", Amber},
	{"delay", "Expect a delay of two days.", Amber},
	{"behind schedule", "We are behind schedule.", Amber},
	{"missed", "We missed the deadline.", Amber},
	{"postponed", "The review is postponed.", Amber},
	{"pushed back", "The launch got pushed back.", Amber},
	{"overdue", "The audit is overdue.", Amber},
	{"concern", "One concern: capacity.", Amber},
	{"concerns", "Legal raised concerns.", Amber},
	{"risks", "Two risks: staffing and the vendor.", Amber},
	{"fell behind", "We fell behind last sprint.", Amber},
	{"falling behind", "QA is falling behind.", Amber},
	{"shipped", "We shipped the importer.", Green},
	{"launched", "The site launched today.", Green},
	{"is live", "The new checkout is live.", Green},
	{"are live", "The new prices are live.", Green},
	{"now live", "Search is now live for everyone.", Green},
	{"went live", "Billing went live on Monday.", Green},
	{"gone live", "The portal has gone live.", Green},
	{"go live", "We go live tomorrow.", Green},
	{"goes live", "The store goes live at noon.", Green},
	{"done", "The migration is done.", Green},
	{"on track", "Everything is on track.", Green},
	{"completed", "QA completed the pass.", Green},
	{"is complete", "Phase one is complete.", Green},
	{"finished", "We finished the audit.", Green},
	{"unblocked", "The team is unblocked.", Green},
	{"ahead of schedule", "We are ahead of schedule.", Green},
	{"released", "Version 2 was released.", Green},
	{"delivered", "The vendor delivered the parts.", Green},
	{"resolved", "The outage is resolved.", Green},
	{"fixed", "The login bug is fixed.", Green},
	{"deployed", "The fix is deployed.", Green},
	{"merged", "The patch is merged.", Green},
	{"signed off", "Legal signed off.", Green},
	{"approved", "The budget was approved.", Green},
}

func TestHealthLexiconEntries(t *testing.T) {
	for _, w := range healthExamples {
		t.Run(w.phrase, func(t *testing.T) {
			if level, hits := Health(w.example); level != w.level {
				t.Fatalf("Health(%q) = %v %+v, want %s", w.example, level, hits, w.level)
			}
		})
	}
}

func TestHealthLevels(t *testing.T) {
	cases := []struct {
		text string
		want Level
	}{
		{"", Unknown},
		{"Lunch is at noon.", Unknown},
		{"We shipped the importer and QA completed the pass.", Green},
		{"We shipped the importer, but the exporter is delayed.", Amber},
		{"Shipped the importer. The exporter is blocked on legal.", Red},
		{"The launch is at risk; also an outage last night.", Red},
		{"The team is not blocked.", Unknown},
		{"The team isn't blocked anymore.", Unknown},
		{"We are no longer blocked.", Green},
		{"We're not on track for Friday.", Amber},
		{"We're not off track.", Green},
		{"The date isn’t at risk.", Unknown},
		{"We are not behind schedule, and shipped the beta.", Green},
		{"The beta is slipping, not blocked.", Amber},
		{"The project is off-track.", Red},
		{"No blockers this week.", Unknown},
		{"Not done yet, but on track.", Green},
		{"BLOCKED: waiting for the vendor", Red},
	}
	for _, c := range cases {
		if got, hits := Health(c.text); got != c.want {
			t.Errorf("Health(%q) = %s (%+v), want %s", c.text, got, hits, c.want)
		}
	}
}

func TestHealthNegationReported(t *testing.T) {
	_, hits := Health("We are no longer blocked, and the date is not at risk.")
	if len(hits) != 2 {
		t.Fatalf("hits = %+v, want 2", hits)
	}
	if h := hits[0]; h.Phrase != "blocked" || !h.Negated || h.Polarity != Good {
		t.Errorf("hit 0 = %+v, want blocked negated good", h)
	}
	if h := hits[1]; h.Phrase != "at risk" || !h.Negated || h.Polarity != Neutral {
		t.Errorf("hit 1 = %+v, want at risk negated neutral", h)
	}
}

func TestAskLexiconEntries(t *testing.T) {
	for i, a := range askPhrases {
		if !askRes()[i].MatchString(lowerFold(a.example)) {
			t.Errorf("ask phrase %q does not match its example %q", a.pattern, a.example)
		}
		if !IsStatusAsk(a.example) {
			t.Errorf("IsStatusAsk(%q) = false", a.example)
		}
		// The filter words must be what the phrase cannot match without.
		found := false
		for _, n := range a.needs {
			found = found || strings.Contains(lowerFold(a.example), n)
		}
		if !found {
			t.Errorf("ask phrase %q: its example %q has none of its needed words %q", a.pattern, a.example, a.needs)
		}
		// Wrapped across lines and buried in a long mail, it is still found.
		long := strings.Repeat("The rollout went fine. ", 50) + "\n\n" + strings.Replace(a.example, " ", "\n", 1) + "\n\nThanks."
		if !IsStatusAsk(long) {
			t.Errorf("IsStatusAsk misses %q wrapped in a longer mail", a.example)
		}
	}
}

func TestIsStatusAskNegatives(t *testing.T) {
	for _, s := range []string{
		"",
		"Here is the weekly update: we shipped the importer.",
		"Thanks for the update!",
		"The status page is green.",
		"I updated the doc.",
		"Lunch on Friday?",
		"Company news: the office moves in May.",
	} {
		if IsStatusAsk(s) {
			t.Errorf("IsStatusAsk(%q) = true", s)
		}
	}
}

func TestAutoReplySubjectEntries(t *testing.T) {
	for _, p := range autoReplySubjects {
		r := []rune(p)
		s := strings.ToUpper(string(r[:1])) + string(r[1:]) + " Project Apollo"
		if !IsAutoReplySubject(s) {
			t.Errorf("IsAutoReplySubject(%q) = false", s)
		}
		if !IsAutoReplySubject("Automatic reply: " + p) {
			t.Errorf("IsAutoReplySubject(%q) = false", "Automatic reply: "+p)
		}
	}
	for _, s := range []string{
		"Re: out of office next week", "AW: Abwesenheitsnotiz", "Fwd: Automatic reply: budget",
		"Apollo status", "Weekly update", "",
	} {
		if IsAutoReplySubject(s) {
			t.Errorf("IsAutoReplySubject(%q) = true", s)
		}
	}
}

func TestReplyPrefixes(t *testing.T) {
	for _, s := range []string{"Re: x", "RE: x", "AW: x", "Fwd: x", "FW: x", "SV: x", "Antw: x", "Odp: x", "Re[2]: x", "WG: x", "TR: x", "Отв: x"} {
		if !isReplySubject(s) {
			t.Errorf("isReplySubject(%q) = false", s)
		}
	}
	for _, s := range []string{"Review: x", "Apollo", "Fwdx"} {
		if isReplySubject(s) {
			t.Errorf("isReplySubject(%q) = true", s)
		}
	}
}

func TestReturnDate(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = time.FixedZone("CET", 3600)
	}
	// Sunday 20 December 2026, 10:00 in Berlin
	ref := time.Date(2026, 12, 20, 10, 0, 0, 0, berlin)
	day := func(y, m, d int) string {
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, berlin).Format("2006-01-02")
	}
	cases := []struct {
		text, want string // want "" means no date
	}{
		{"I am out of the office and will be back on 4 January.", day(2027, 1, 4)},
		{"Returning 2027-01-04. For urgent matters call Bob.", day(2027, 1, 4)},
		{"I'm away until Monday 4th.", day(2027, 1, 4)},
		{"I'm away until Monday the 4th of January 2027.", day(2027, 1, 4)},
		{"Back on January 5th, 2027.", day(2027, 1, 5)},
		{"I will return on Dec 28.", day(2026, 12, 28)},
		{"Out until Wednesday.", day(2026, 12, 23)},
		{"I'll be back in the office on Monday, 4 January.", day(2027, 1, 4)},
		{"Ich bin bis zum 6. Januar nicht im Büro.", day(2027, 1, 6)},
		{"Je serai de retour le 7 janvier.", day(2027, 1, 7)},
		{"Estaré fuera hasta el 8 de enero.", day(2027, 1, 8)},
		{"Back 05.01.2027", day(2027, 1, 5)},
		{"Back on 1/5", day(2027, 1, 5)},
		{"Back on 13/1", day(2027, 1, 13)},
		{"Back tomorrow.", day(2026, 12, 21)},
		{"I am out of the office with limited access to email.", ""},
		{"Thanks for your message.", ""},
	}
	for _, c := range cases {
		got, ok := ReturnDate(c.text, ref, berlin)
		gs := ""
		if ok {
			gs = got.Format("2006-01-02")
			if got.Location() != berlin || got.Hour() != 0 {
				t.Errorf("ReturnDate(%q) = %v, want midnight in Berlin", c.text, got)
			}
		}
		if gs != c.want {
			t.Errorf("ReturnDate(%q) = %q, want %q", c.text, gs, c.want)
		}
	}
}

func TestReturnTriggerEntries(t *testing.T) {
	ref := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tr := range returnTriggers {
		text := fmt.Sprintf("Away, %s 2026-03-09.", tr)
		got, ok := ReturnDate(text, ref, time.UTC)
		if !ok || got.Format("2006-01-02") != "2026-03-09" {
			t.Errorf("ReturnDate(%q) = %v %v, want 2026-03-09", text, got, ok)
		}
	}
}

func TestMonthAndWeekdayNames(t *testing.T) {
	ref := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for name, mo := range monthNames {
		text := "back on 3 " + name + " 2027"
		got, ok := ReturnDate(text, ref, time.UTC)
		if !ok || got.Month() != time.Month(mo) || got.Day() != 3 {
			t.Errorf("ReturnDate(%q) = %v %v, want 3 of month %d", text, got, ok, mo)
		}
	}
	for name, wd := range weekdayNames {
		got, ok := ReturnDate("back on "+name, ref, time.UTC)
		if !ok || int(got.Weekday()) != wd || !got.After(ref) {
			t.Errorf("ReturnDate(back on %s) = %v %v, want next weekday %d", name, got, ok, wd)
		}
	}
}

// Every lexicon list holds each entry once (after lowercasing and folding
// apostrophes, which is how they are matched): a duplicate is a sign of a
// careless edit and makes the per-entry tests run twice for nothing. The
// maps (negators, monthNames, weekdayNames, headerFields) cannot hold a
// duplicate key: the compiler refuses it.
func TestLexiconNoDuplicates(t *testing.T) {
	var asks []string
	for _, a := range askPhrases {
		asks = append(asks, a.pattern)
	}
	lists := map[string][]string{
		"askPhrases":        asks,
		"autoReplySubjects": autoReplySubjects,
		"returnTriggers":    returnTriggers,
		"quoteVerbs":        quoteVerbs,
		"quoteOnWords":      quoteOnWords,
		"separatorPhrases":  separatorPhrases,
		"forwardPhrases":    forwardPhrases,
		"signOffs":          signOffs,
		// the two sign-off lists are one lexicon, split by strength
		"mobileSignOffs+mobileGenericSignOffs": append(append([]string(nil), mobileSignOffs...), mobileGenericSignOffs...),
		"mobileDeviceWords":                    mobileDeviceWords,
		"disclaimerPhrases":                    disclaimerPhrases,
		"automatedLocalParts":                  automatedLocalParts,
		"automatedNameTags":                    automatedNameTags,
		"automatedDomains":                     automatedDomains,
	}
	for name, list := range lists {
		if len(list) == 0 {
			t.Errorf("%s is empty", name)
		}
		if dups := duplicates(list); len(dups) > 0 {
			t.Errorf("%s has duplicate entries: %q", name, dups)
		}
	}
	if dups := duplicates([]string{"a", "B", "b", "c", "a"}); len(dups) != 2 {
		t.Errorf("duplicates finds %q, want 2", dups)
	}
}

func duplicates(list []string) []string {
	seen := map[string]bool{}
	var dups []string
	for _, s := range list {
		k := lowerFold(strings.TrimSpace(s))
		if seen[k] {
			dups = append(dups, s)
		}
		seen[k] = true
	}
	return dups
}

func TestMessageHealth(t *testing.T) {
	cases := []struct {
		subject, visible string
		autoReply        bool
		want             Level
	}{
		{"Apollo blocked on legal", "Details to follow.", false, Red},
		{"Re: Apollo blocked on legal?", "We shipped the fix.", false, Green},
		{"AW: Apollo at risk", "", false, Unknown},
		{"Out of office: Apollo blocked", "I am away.", false, Unknown},
		{"Apollo blocked", "Away until Monday.", true, Unknown},
		{"", "The beta is slipping.", false, Amber},
		{"Apollo shipped", "The beta is slipping.", false, Amber},
	}
	for _, c := range cases {
		got, _ := MessageHealth(c.subject, c.visible, c.autoReply)
		if got != c.want {
			t.Errorf("MessageHealth(%q, %q, %v) = %s, want %s", c.subject, c.visible, c.autoReply, got, c.want)
		}
		// Parse computes the same thing
		raw := "From: Alex <alex@example.com>\r\nSubject: " + c.subject + "\r\n"
		if c.autoReply {
			raw += "Auto-Submitted: auto-replied\r\n"
		}
		m, err := Parse(strings.NewReader(raw+"\r\n"+c.visible+"\r\n"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if lvl, hits := MessageHealth(m.Subject, m.Visible, m.AutoReply); m.Health != lvl || len(m.HealthHits) != len(hits) {
			t.Errorf("Parse health %s %+v, MessageHealth %s %+v", m.Health, m.HealthHits, lvl, hits)
		}
		if m.Health != c.want {
			t.Errorf("Parse(subject %q) health = %s, want %s", c.subject, m.Health, c.want)
		}
	}
}
