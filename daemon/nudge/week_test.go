package nudge

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// weekInput is a realistic week in Berlin, Monday 30 March to Sunday 5
// April 2026 (just after the DST switch; Good Friday, 3 April, a holiday):
//
//   - Jane, the boss, every 5 workdays, at most 8: last written to on Friday
//     20 March, so amber since Friday 27 March 17:00 and red from Wednesday
//     1 April 17:00. On Wednesday 08:15 she asks "Any update on Apollo?".
//   - Raj, a peer, every 4 weeks: last written to on 3 March, due Tuesday 31
//     March 11:00. On Tuesday 10:00, after that day's slot, he asks whether
//     the user's team can take the auth migration.
//   - Priya, the skip-level, every 2 weeks: written to on 19 March and again
//     on Monday, before she fell due; her out-of-office reply is no ask.
//   - Bob reports on Tuesday that Zephyr is slipping: the boss should hear
//     it from the user first. The user's own worried mail is no such news.
//
// With update set, the user answers Jane on Wednesday at 15:00.
func weekInput(t testing.TB, update bool) (Input, Policy) {
	loc := berlin(t)
	cal := workweek(loc, calendar.Date{Year: 2026, Month: 4, Day: 3})
	j, r := jane, raj
	j.Cadence, j.Max = span(t, "5 workdays"), span(t, "8 workdays")
	r.Cadence = span(t, "4 weeks")
	p := Stakeholder{Name: "Priya Iyer", Email: "priya@example.com", Role: "skip", Cadence: span(t, "2 weeks"), Style: "summary"}
	in := Input{
		Cal:          cal,
		Me:           []string{"alex@example.com", "alex.doe@example.com"},
		Stakeholders: []Stakeholder{j, r, p},
		Updates: []Update{
			{Email: j.Email, At: at(loc, 3, 20, 17, 0), Subject: "Apollo: week 12 status", Source: SourceMail},
			{Email: r.Email, At: at(loc, 3, 3, 11, 0), Subject: "Zephyr roadmap", Source: SourceMail},
			{Email: p.Email, At: at(loc, 3, 19, 14, 0), Subject: "Hiring plan", Source: SourceMail},
			{Email: p.Email, At: at(loc, 3, 30, 15, 0), Subject: "Quarterly numbers", Source: SourceMail},
		},
		Inbound: []Inbound{
			{From: "Priya Iyer <priya@example.com>", At: at(loc, 3, 30, 15, 5), MessageID: "<ooo-1@example.com>",
				Subject: "Automatic reply: Quarterly numbers", Snippet: "I am out of the office until 7 April.",
				AutoReply: true, ReturnDate: time.Date(2026, 4, 7, 0, 0, 0, 0, loc)},
			{From: "Raj Patel <raj@example.com>", At: at(loc, 3, 31, 10, 0), MessageID: "<raj-1@example.com>",
				Subject: "Re: Zephyr dependencies", Snippet: "Could your team take the auth migration in Q3? We would need an answer by Friday.", Ask: true},
			{From: "Jane Smith <jane@example.com>", At: at(loc, 4, 1, 8, 15), MessageID: "<jane-1@example.com>",
				Subject: "Apollo?", Snippet: "Any update on Apollo? The board asks me on Thursday.", Ask: true},
		},
		News: []News{
			{Project: "Apollo", At: at(loc, 3, 30, 11, 0), From: "Ann Lee <ann@example.com>", Subject: "Apollo: build green again",
				Snippet: "The flaky integration tests are fixed; nightly builds are green for the first time in two weeks."},
			{Project: "Zephyr", At: at(loc, 3, 31, 14, 0), From: "Bob Stone <bob@example.com>", Subject: "Zephyr: vendor slipping, launch at risk",
				Snippet: "The vendor told us today that the SDK drop moves by three weeks. That puts the May launch at risk.",
				Bad:     true, Words: []string{"slipping", "at risk"}},
			{Project: "Apollo", At: at(loc, 3, 31, 16, 0), From: "Alex Doe <alex.doe@example.com>", Subject: "Apollo: capacity",
				Snippet: "I am worried we are blocked on capacity next sprint.", Bad: true, Words: []string{"blocked"}},
		},
	}
	if update {
		in.Updates = append(in.Updates, Update{Email: j.Email, At: at(loc, 4, 1, 15, 0), Subject: "Re: Apollo?", Source: SourceMail})
	}
	return in, Policy{Hour: 9, Min: 30, RepeatAfter: span(t, "2 workdays")}
}

// simulate steps now hourly through the week, as `leadup run --once --now`
// would, feeding back what was sent. It returns one line per reminder:
// "Mon 10:00 Jane Smith[amber,1 ask] Raj Patel[amber]" with "(heard first)"
// when it leads with bad news.
func simulate(t *testing.T, in Input, pol Policy) ([]string, []Reminder) {
	t.Helper()
	loc := in.Cal.Loc
	var sent []Sent
	var lines []string
	var rems []Reminder
	var wake time.Time
	start := at(loc, 3, 30, 0, 0)
	end := at(loc, 4, 6, 0, 0)
	for now := start; now.Before(end); now = now.Add(time.Hour) {
		step := in
		step.Now = now
		rep := Evaluate(step)
		r, ok := Plan(step, rep, pol, sent)
		if !ok {
			wake = NextCheck(step, rep, pol, sent)
			if wake.Equal(now) {
				t.Fatalf("%s: NextCheck says now but Plan says no", now)
			}
			continue
		}
		if wake.After(now) {
			t.Errorf("%s: a reminder is due but NextCheck said %s", now, wake)
		}
		if again, ok := Plan(step, rep, pol, sent); !ok || again.Key != r.Key {
			t.Fatalf("%s: Plan is not deterministic", now)
		}
		sent = append(sent, r.Record(now))
		if _, ok := Plan(step, rep, pol, sent); ok {
			t.Fatalf("%s: planned twice in the same hour", now)
		}
		if _, _, _, err := Render(r, now, ""); err != nil {
			t.Fatalf("%s: render: %v", now, err)
		}
		var parts []string
		for _, e := range r.Entries {
			tag := e.Level
			if n := len(e.OpenAsks); n > 0 {
				tag += fmt.Sprintf(",%d ask", n)
			}
			parts = append(parts, e.Stakeholder.Name+"["+tag+"]")
		}
		line := now.In(loc).Format("Mon 15:04") + " " + strings.Join(parts, " ")
		if len(r.HeardFirst) > 0 {
			line += " (heard first: " + r.HeardFirst[0].Project + ")"
		}
		lines = append(lines, line)
		rems = append(rems, r)
	}
	return lines, rems
}

func TestSimulatedWeek(t *testing.T) {
	in, pol := weekInput(t, true)
	got, rems := simulate(t, in, pol)
	want := []string{
		// Jane is due since Friday 17:00; the machine wakes on the hour, so
		// the 09:30 slot goes out at 10:00.
		"Mon 10:00 Jane Smith[amber]",
		// Tuesday: Jane's repeat is not due until Wednesday, Raj fell due at
		// 11:00, after the slot: nothing.
		// Wednesday: Jane asked at 08:15 and leads (the boss first among
		// the amber); Raj asked on Tuesday after its slot; Bob's bad news
		// leads the whole mail.
		"Wed 10:00 Jane Smith[amber,1 ask] Raj Patel[amber,1 ask] (heard first: Zephyr)",
		// Thursday: the user wrote to Jane on Wednesday 15:00 and Raj's
		// repeat is not due before Monday (Friday is a holiday): nothing.
		// Friday (holiday), Saturday, Sunday: nothing.
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("reminders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The ask leads Wednesday's list, and comes first in Jane's line.
	_, text, html, err := Render(rems[1], rems[1].Slot, "")
	if err != nil {
		t.Fatal(err)
	}
	ask := strings.Index(text, "Any update on Apollo?")
	if ask < 0 || ask > strings.Index(text, "Raj Patel") || ask > strings.Index(text, "12 days since your last update") {
		t.Errorf("the boss's ask does not lead:\n%s", text)
	}
	if heard := strings.Index(text, "vendor slipping"); heard < 0 || heard > strings.Index(text, "Jane Smith (boss)") {
		t.Errorf("heard it first does not lead:\n%s", text)
	}
	if !strings.Contains(html, "Any update on Apollo?") {
		t.Error("html lacks the ask")
	}
}

func TestSimulatedWeekWithoutAnUpdate(t *testing.T) {
	in, pol := weekInput(t, false)
	got, _ := simulate(t, in, pol)
	want := []string{
		"Mon 10:00 Jane Smith[amber]",
		"Wed 10:00 Jane Smith[amber,1 ask] Raj Patel[amber,1 ask] (heard first: Zephyr)",
		// Red since Wednesday 17:00: Thursday's reminder leads with it.
		"Thu 10:00 Jane Smith[red,1 ask] (heard first: Zephyr)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("reminders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSimulatedWeekDoneReply(t *testing.T) {
	// The user answers Monday's reminder with "done" at 10:30: Jane's ask on
	// Wednesday still brings a reminder (a new ask), but Jane is no longer
	// overdue in it, and she is not red on Thursday.
	in, pol := weekInput(t, false)
	loc := in.Cal.Loc
	cmd, err := ParseReply("Done\n\n> leadup reminder, Monday 30 March 2026", at(loc, 3, 30, 10, 30), in.Cal)
	if err != nil {
		t.Fatal(err)
	}
	ups, _ := cmd.Apply(at(loc, 3, 30, 10, 30), in.Cal, []string{"jane@example.com"}, in.Stakeholders)
	in.Updates = append(in.Updates, ups...)
	got, _ := simulate(t, in, pol)
	want := []string{
		"Mon 10:00 Jane Smith[amber]",
		"Wed 10:00 Raj Patel[amber,1 ask] Jane Smith[ok,1 ask] (heard first: Zephyr)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("reminders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
