package digest

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// day is 10:00 on a day of the fixture's November 2026, in its zone.
func day(t *testing.T, d int) time.Time { return at(fixtureInput(t, Detailed).Loc, d, 10, 0) }

// What the mail says comes next becomes the project's next steps; the
// bracketed prompt stays only where it says nothing.
func TestNextStepsFromTheMail(t *testing.T) {
	for _, tc := range []struct {
		name, visible, want string
	}{
		{"inline heading", "We moved the consumers.\n\nStill to do: Decommission the old Kafka brokers (scheduled for next Wednesday)",
			"Decommission the old Kafka brokers (scheduled for Wed 25 Nov)"},
		{"list under a heading", "Shipped the importer.\n\nNext steps:\n- load test the exporter\n- ship it on Friday",
			"Load test the exporter. Ship it on Friday."},
		{"german", "Wir sind live.\n\nNächste Schritte:\n- Monitoring ausbauen", "Monitoring ausbauen"},
		{"nothing said", "We shipped the importer.", "[what happens next, and by when]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := project(t, Msg{Date: day(t, 18), Subject: "Update", Visible: tc.visible})
			if p.NextSteps != tc.want {
				t.Errorf("next steps %q, want %q", p.NextSteps, tc.want)
			}
			for _, th := range p.Threads {
				for _, s := range th.Status.Sentences {
					if strings.Contains(tc.want, s) && s != "" && tc.want[0] != '[' {
						t.Errorf("the next step %q is also quoted as status", s)
					}
				}
			}
		})
	}
}

// Requests the team makes of the user (to raise, escalate, decide) are
// the draft's asks, with who asked; the prompt only where none are made.
func TestAsksForTheBoss(t *testing.T) {
	in := fixtureInput(t, Detailed)
	in.Projects = []Project{{Name: "Apollo", Label: "Status/Apollo"}}
	in.Msgs = []Msg{{Project: "Apollo", MessageID: "<a@x>", Date: day(t, 18), FromName: "Priya Shah", FromAddr: "priya@example.com",
		Subject: "Apollo", Visible: "We are blocked on the PSP credentials.\n\nAlex, could you raise this with Dana? A nudge at director level from our side might help."}}
	m := Build(in)
	joined := strings.Join(m.Asks, "\n")
	if !strings.Contains(joined, "Priya Shah asks: Alex, could you raise this with Dana?") || !strings.Contains(joined, "A nudge at director level") {
		t.Errorf("asks %q: want Priya's requests, with her name", m.Asks)
	}
	if strings.Contains(joined, "[Apollo is blocked") {
		t.Errorf("asks %q: the prompt stays although the mail asks", m.Asks)
	}
}

// The boss's open asks open the draft, answered with the project's status.
func TestDraftAnswersTheBoss(t *testing.T) {
	in := fixtureInput(t, Detailed)
	in.BossAsks = []BossAsk{
		{Date: day(t, 18), Text: "Apollo: Any update on Apollo? The exec review is Thursday."},
		{Date: day(t, 19), Text: "Budget: Can you send me the Q1 numbers?"},
	}
	r, err := Render(Build(in), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{r.Text, r.DraftText} {
		text = strings.Join(strings.Fields(text), " ") // the text is wrapped
		i := strings.Index(text, "You asked about Apollo on Wed 18 Nov: blocked — ")
		if i < 0 || i > strings.Index(text, "AT A GLANCE") {
			t.Errorf("the draft does not open by answering the ask about Apollo:\n%.900s", text)
		}
		if !strings.Contains(text, "You asked on Thu 19 Nov: “Budget: Can you send me the Q1 numbers?” [your answer]") {
			t.Errorf("an ask naming no project is not left for the user to answer:\n%.900s", text)
		}
	}
}

// What changed since before the period.
func TestTrend(t *testing.T) {
	for _, tc := range []struct {
		name string
		msgs []Msg
		want string
	}{
		{"still blocked", []Msg{{Date: day(t, 11), Subject: "Vendor", Visible: "We are blocked on the vendor."},
			{Date: day(t, 18), Subject: "Re: Vendor", Visible: "Still blocked on the vendor keys."}}, "Still blocked since Wed 11 Nov."},
		{"unblocked", []Msg{{Date: day(t, 11), Subject: "Vendor", Visible: "We are blocked on the vendor."},
			{Date: day(t, 19), Subject: "Re: Vendor", Visible: "Legal approved; we are unblocked."}}, "Unblocked on Thu 19 Nov (was blocked)."},
		{"new risk", []Msg{{Date: day(t, 10), Subject: "Beta", Visible: "Everything is on track."},
			{Date: day(t, 17), Subject: "Beta", Visible: "The beta date is at risk."}}, "New this week: at risk since Tue 17 Nov (was on track)."},
		{"nothing to compare", []Msg{{Date: day(t, 17), Subject: "Beta", Visible: "The beta date is at risk."}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p := project(t, tc.msgs...); p.Trend != tc.want {
				t.Errorf("trend %q, want %q", p.Trend, tc.want)
			}
		})
	}
}

// A stakeholder's priorities order their draft; the rest follow.
func TestPriorities(t *testing.T) {
	in := fixtureInput(t, Detailed)
	in.Priorities = []string{"Hermes", "Zephyr"}
	var got []string
	for _, p := range Build(in).Projects {
		got = append(got, p.Name)
	}
	if want := []string{"Hermes", "Zephyr", "Apollo"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("project order %q, want %q", got, want)
	}
}

// A risk comes with what the mail says is being done about it, in the
// sender's name when they speak for themselves.
func TestRiskWithWhatIsBeingDone(t *testing.T) {
	in := fixtureInput(t, Summary)
	in.Projects = []Project{{Name: "Apollo", Label: "Status/Apollo"}}
	in.Msgs = []Msg{{Project: "Apollo", MessageID: "<r@x>", Date: day(t, 18), FromName: "Priya Sharma", FromAddr: "priya@example.com",
		Subject: "Apollo", Visible: "The PSP credentials are blocked in procurement.\n\nI've escalated it to Helen Wu in procurement."}}
	p := Build(in).Projects[0]
	if len(p.Risks) == 0 || p.Risks[0].Doing != "Priya: I've escalated it to Helen Wu in procurement." {
		t.Fatalf("risks %+v: want the escalation as what is being done, in Priya's name", p.Risks)
	}
	if !slices.Contains(p.Summary, "Being done: Priya: I've escalated it to Helen Wu in procurement.") {
		t.Errorf("summary %q lacks what is being done", p.Summary)
	}
}
