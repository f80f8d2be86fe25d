package nudge

import (
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

func plan(in Input, pol Policy, sent []Sent) (Reminder, bool) {
	return Plan(in, Evaluate(in), pol, sent)
}

func names(r Reminder) string {
	var n []string
	for _, e := range r.Entries {
		n = append(n, e.Stakeholder.Name)
	}
	return strings.Join(n, ",")
}

// overdueInput has Jane amber since Friday 27 March 17:00 and red from
// Wednesday 1 April 17:00.
func overdueInput(t *testing.T, now time.Time) Input {
	loc := berlin(t)
	j := jane
	j.Cadence, j.Max = span(t, "5 workdays"), span(t, "8 workdays")
	return Input{Now: now, Cal: workweek(loc, calendar.Date{Year: 2026, Month: 4, Day: 3}), Stakeholders: []Stakeholder{j},
		Updates: []Update{{Email: j.Email, At: at(loc, 3, 20, 17, 0), Subject: "Apollo: week 12"}}}
}

func TestPlanSlotAndDay(t *testing.T) {
	loc := berlin(t)
	pol := Policy{Hour: 9, Min: 30, RepeatAfter: span(t, "2 workdays")}
	tests := []struct {
		name string
		now  time.Time
		sent []Sent
		want bool
	}{
		{"before the slot", at(loc, 3, 30, 9, 29), nil, false},
		{"at the slot", at(loc, 3, 30, 9, 30), nil, true},
		{"missed slot goes out late", at(loc, 3, 30, 14, 0), nil, true},
		{"once a day", at(loc, 3, 30, 14, 0), []Sent{{At: at(loc, 3, 30, 9, 30), Emails: []string{"raj@example.com"}}}, false},
		{"late in the evening still counts as the day", at(loc, 3, 30, 23, 59), nil, true},
		{"saturday", at(loc, 3, 28, 10, 0), nil, false},
		{"sunday", at(loc, 3, 29, 10, 0), nil, false},
		{"holiday", at(loc, 4, 3, 10, 0), nil, false},
	}
	for _, tt := range tests {
		r, ok := plan(overdueInput(t, tt.now), pol, tt.sent)
		if ok != tt.want {
			t.Errorf("%s: planned %v, want %v", tt.name, ok, tt.want)
			continue
		}
		if ok {
			if r.Key != "reminder:2026-03-30" || !r.Slot.Equal(at(loc, 3, 30, 9, 30)) || names(r) != "Jane Smith" {
				t.Errorf("%s: key %s slot %s entries %s", tt.name, r.Key, r.Slot, names(r))
			}
		}
	}
}

func TestPlanAway(t *testing.T) {
	loc := berlin(t)
	pol := Policy{Hour: 9, Min: 30}
	in := overdueInput(t, at(loc, 3, 30, 10, 0))
	in.Cal.Away = []calendar.Range{{From: calendar.Date{Year: 2026, Month: 3, Day: 30}, To: calendar.Date{Year: 2026, Month: 3, Day: 31}}}
	if _, ok := plan(in, pol, nil); ok {
		t.Fatal("reminder on an away day")
	}
	in = overdueInput(t, at(loc, 3, 30, 10, 0))
	in.Pauses = []Pause{{From: at(loc, 3, 27, 18, 0), Until: at(loc, 4, 1, 0, 0), Reason: ReasonAway}}
	if _, ok := plan(in, pol, nil); ok {
		t.Fatal("reminder while away by reply")
	}
	// Away stopped the clock: Friday 27 and Monday 30, Tuesday 31 March did
	// not count, so the cadence runs out on Wednesday 1 April 17:00, not at
	// Wednesday's slot, and Thursday brings the reminder.
	in.Now = at(loc, 4, 1, 10, 0)
	if _, ok := plan(in, pol, nil); ok {
		t.Fatal("reminder before the paused clock ran out")
	}
	in.Now = at(loc, 4, 2, 10, 0)
	if _, ok := plan(in, pol, nil); !ok {
		t.Fatal("no reminder when back from away")
	}
}

func TestPlanRepeatAndEscalation(t *testing.T) {
	loc := berlin(t)
	pol := Policy{Hour: 9, Min: 30, RepeatAfter: span(t, "2 workdays")}
	first := Sent{At: at(loc, 3, 30, 10, 0), Emails: []string{"jane@example.com"}} // Monday, late
	tests := []struct {
		name string
		now  time.Time
		sent []Sent
		want bool
	}{
		{"tuesday: repeat not yet", at(loc, 3, 31, 9, 30), []Sent{first}, false},
		// Two workdays after Monday 10:00 is Wednesday: the repeat is due at
		// Wednesday's slot although 09:30 is before 10:00.
		{"wednesday: repeat", at(loc, 4, 1, 9, 30), []Sent{first}, true},
		{"a reminder before the last update does not count", at(loc, 3, 31, 9, 30),
			[]Sent{{At: at(loc, 3, 19, 9, 30), Emails: []string{"jane@example.com"}}}, true},
		{"someone else's reminder does not count", at(loc, 3, 31, 9, 30),
			[]Sent{{At: at(loc, 3, 30, 9, 30), Emails: []string{"raj@example.com"}}}, true},
	}
	for _, tt := range tests {
		if _, ok := plan(overdueInput(t, tt.now), pol, tt.sent); ok != tt.want {
			t.Errorf("%s: planned %v, want %v", tt.name, ok, tt.want)
		}
	}

	// Without repeat_after, one reminder per due period, until it turns red.
	once := Policy{Hour: 9, Min: 30}
	wed := Sent{At: at(loc, 4, 1, 9, 30), Emails: []string{"jane@example.com"}}
	if _, ok := plan(overdueInput(t, at(loc, 4, 1, 9, 30)), once, []Sent{first}); ok {
		t.Error("no repeat_after: reminded twice in one period")
	}
	// Red since Wednesday 17:00, after the last reminder: Thursday leads with it.
	r, ok := plan(overdueInput(t, at(loc, 4, 2, 9, 30)), once, []Sent{first, wed})
	if !ok || r.Entries[0].Level != Red {
		t.Errorf("turning red: planned %v %+v", ok, r.Entries)
	}
	// And only once.
	thu := Sent{At: at(loc, 4, 2, 9, 30), Emails: []string{"jane@example.com"}}
	if _, ok := plan(overdueInput(t, at(loc, 4, 6, 9, 30)), once, []Sent{first, wed, thu}); ok {
		t.Error("red reminded twice without repeat_after")
	}
	// An update starts a new period: nothing is due.
	in := overdueInput(t, at(loc, 4, 6, 9, 30))
	in.Updates = append(in.Updates, Update{Email: "jane@example.com", At: at(loc, 4, 2, 11, 0)})
	if _, ok := plan(in, pol, []Sent{first, wed, thu}); ok {
		t.Error("reminder after an update")
	}
}

func TestPlanDecidedAtTheSlot(t *testing.T) {
	loc := berlin(t)
	pol := Policy{Hour: 9, Min: 30}
	// Due Friday 27 March 17:00: not due at Friday's slot, so no late
	// reminder on Friday evening either.
	if _, ok := plan(overdueInput(t, at(loc, 3, 27, 18, 0)), pol, nil); ok {
		t.Error("something that fell due after the slot went out the same day")
	}
	// An update after the slot but before the late send silences it.
	in := overdueInput(t, at(loc, 3, 30, 14, 0))
	in.Updates = append(in.Updates, Update{Email: "jane@example.com", At: at(loc, 3, 30, 11, 0), Source: SourceCheckin})
	if _, ok := plan(in, pol, nil); ok {
		t.Error("a check-in at 11:00 did not silence the 14:00 late reminder")
	}
}

func TestPlanAsks(t *testing.T) {
	loc := berlin(t)
	pol := Policy{Hour: 9, Min: 30, RepeatAfter: span(t, "2 workdays")}
	r := raj
	r.Cadence = span(t, "4 weeks")
	base := func(now time.Time) Input {
		in := overdueInput(t, now)
		in.Stakeholders = append(in.Stakeholders, r)
		in.Updates = append(in.Updates, Update{Email: r.Email, At: at(loc, 3, 23, 11, 0)})
		return in
	}
	monday := Sent{At: at(loc, 3, 30, 9, 30), Emails: []string{"jane@example.com"}}
	ask := Inbound{From: "raj@example.com", At: at(loc, 3, 31, 8, 0), MessageID: "<raj-ask@x>", Subject: "where are we on Zephyr?", Ask: true}

	// Raj (within cadence) asks on Tuesday before the slot: a new ask is due
	// at once; Jane is not (repeat on Wednesday). Asks-only entries come last.
	in := base(at(loc, 3, 31, 9, 30))
	in.Inbound = []Inbound{ask}
	rem, ok := plan(in, pol, []Sent{monday})
	if !ok || names(rem) != "Raj Patel" || rem.Entries[0].Level != OK {
		t.Fatalf("tuesday: %v %s", ok, names(rem))
	}
	if ids := rem.AskIDs(); len(ids) != 1 || ids[0] != "<raj-ask@x>" {
		t.Fatalf("ask ids %v", ids)
	}
	tuesday := rem.Record(in.Now)

	// Wednesday: Jane repeats; Raj's ask was shown, and repeats only with
	// repeat_after too, so he is not in it.
	in.Now = at(loc, 4, 1, 9, 30)
	rem, ok = plan(in, pol, []Sent{monday, tuesday})
	if !ok || names(rem) != "Jane Smith" {
		t.Fatalf("wednesday: %v %s", ok, names(rem))
	}
	// Thursday: Raj's ask is two workdays old and still open: reminded again.
	in.Now = at(loc, 4, 2, 9, 30)
	rem, ok = plan(in, pol, []Sent{monday, tuesday, rem.Record(at(loc, 4, 1, 9, 30))})
	if !ok || names(rem) != "Jane Smith,Raj Patel" {
		t.Fatalf("thursday: %v %s", ok, names(rem))
	}

	// An ask that arrived after the slot waits for the next slot.
	in = base(at(loc, 3, 31, 14, 0))
	late := ask
	late.At = at(loc, 3, 31, 11, 0)
	in.Inbound = []Inbound{late}
	if _, ok := plan(in, pol, []Sent{monday}); ok {
		t.Fatal("an ask from 11:00 went out in the same day's late reminder")
	}

	// A snoozed stakeholder comes back for a new ask only.
	in = base(at(loc, 3, 31, 9, 30))
	in.Pauses = []Pause{{Email: "jane@example.com", From: at(loc, 3, 30, 10, 0), Until: at(loc, 4, 6, 0, 0), Reason: ReasonSnooze}}
	if _, ok := plan(in, pol, []Sent{monday}); ok {
		t.Fatal("snoozed stakeholder reminded")
	}
	in.Inbound = []Inbound{{From: "jane@example.com", At: at(loc, 3, 31, 8, 0), MessageID: "<jane@x>", Subject: "any update?", Ask: true}}
	rem, ok = plan(in, pol, []Sent{monday})
	if !ok || names(rem) != "Jane Smith" {
		t.Fatalf("new ask through a snooze: %v %s", ok, names(rem))
	}
}

func TestPlanOrder(t *testing.T) {
	loc := berlin(t)
	now := at(loc, 4, 2, 9, 30)
	mk := func(name string, cadence, max string) Stakeholder {
		s := Stakeholder{Name: name, Email: strings.ToLower(name) + "@example.com", Cadence: span(t, cadence)}
		if max != "" {
			s.Max = span(t, max)
		}
		return s
	}
	last := at(loc, 3, 20, 17, 0)
	sh := []Stakeholder{
		mk("Asker", "4 weeks", ""),
		mk("Amber1", "5 workdays", ""),
		mk("Amber2", "3 workdays", ""),
		mk("Red", "5 workdays", "8 workdays"),
		mk("AmberAsk", "5 workdays", ""),
		mk("Never", "5 workdays", ""),
		mk("Boss", "5 workdays", ""),
	}
	sh[6].Role = "boss"
	var ups []Update
	for _, s := range append(sh[:5:5], sh[6]) {
		ups = append(ups, Update{Email: s.Email, At: last})
	}
	in := Input{Now: now, Cal: workweek(loc), Stakeholders: sh, Updates: ups, Inbound: []Inbound{
		{From: "asker@example.com", At: at(loc, 4, 1, 9, 0), MessageID: "<1@x>", Ask: true},
		{From: "amberask@example.com", At: at(loc, 4, 1, 9, 0), MessageID: "<2@x>", Ask: true},
	}}
	rem, ok := plan(in, Policy{Hour: 9, Min: 30}, nil)
	// Within a level the boss first, even without an ask, then those with
	// asks.
	if want := "Red,Boss,AmberAsk,Amber2,Amber1,Never,Asker"; !ok || names(rem) != want {
		t.Fatalf("order %s, want %s", names(rem), want)
	}
}

func TestNextCheck(t *testing.T) {
	loc := berlin(t)
	pol := Policy{Hour: 9, Min: 30, RepeatAfter: span(t, "2 workdays")}
	check := func(in Input, sent []Sent) time.Time { return NextCheck(in, Evaluate(in), pol, sent) }

	// Due now.
	in := overdueInput(t, at(loc, 3, 30, 11, 0))
	if got := check(in, nil); !got.Equal(in.Now) {
		t.Errorf("due now: %s", got)
	}
	// Sent today: the repeat is due on Wednesday.
	mon := Sent{At: at(loc, 3, 30, 9, 30), Emails: []string{"jane@example.com"}}
	if got := check(in, []Sent{mon}); !got.Equal(at(loc, 4, 1, 9, 30)) {
		t.Errorf("after monday's reminder: %s", got)
	}
	// Friday evening before the cadence ran out: Monday's slot.
	in.Now = at(loc, 3, 27, 18, 0)
	if got := check(in, nil); !got.Equal(at(loc, 3, 30, 9, 30)) {
		t.Errorf("friday evening: %s", got)
	}
	// Freshly updated on Thursday 2 April 10:00: 5 workdays (Friday 3 April
	// is a holiday) run out on Friday 10 April 10:00, after that day's slot,
	// so Monday 13 April's slot is the first at which a reminder is due.
	in = overdueInput(t, at(loc, 4, 2, 12, 0))
	in.Updates = append(in.Updates, Update{Email: "jane@example.com", At: at(loc, 4, 2, 10, 0)})
	if got := check(in, nil); !got.Equal(at(loc, 4, 13, 9, 30)) {
		t.Errorf("after an update: %s", got)
	}
	// A snooze that ends mid-morning today releases the reminder then.
	in = overdueInput(t, at(loc, 3, 30, 10, 0))
	in.Pauses = []Pause{{Email: "jane@example.com", Until: at(loc, 3, 30, 11, 15), Reason: ReasonSnooze}}
	if got := check(in, nil); !got.Equal(at(loc, 3, 30, 11, 15)) {
		t.Errorf("short snooze: %s", got)
	}
	// Nobody tracked: nothing to wake for.
	in = Input{Now: at(loc, 3, 30, 10, 0), Cal: workweek(loc)}
	if got := check(in, nil); !got.IsZero() {
		t.Errorf("no stakeholders: %s", got)
	}
}

func TestPlanAcrossUSDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	cal := workweek(ny)
	j := jane
	j.Cadence = span(t, "3 workdays")
	in := Input{Cal: cal, Stakeholders: []Stakeholder{j},
		Updates: []Update{{Email: j.Email, At: time.Date(2026, 10, 26, 17, 0, 0, 0, ny)}}}
	pol := Policy{Hour: 9, Min: 30, RepeatAfter: span(t, "1 workday")}
	// Due Thursday 29 October 17:00; Friday's reminder at 09:30 EDT (13:30
	// UTC); clocks go back on Sunday 1 November; Monday's at 09:30 EST
	// (14:30 UTC).
	in.Now = time.Date(2026, 10, 30, 13, 30, 0, 0, time.UTC)
	r, ok := plan(in, pol, nil)
	if !ok || r.Key != "reminder:2026-10-30" {
		t.Fatalf("friday: %v %s", ok, r.Key)
	}
	sent := []Sent{r.Record(in.Now)}
	next := NextCheck(in, Evaluate(in), pol, sent)
	if want := time.Date(2026, 11, 2, 14, 30, 0, 0, time.UTC); !next.Equal(want) {
		t.Fatalf("next check %s, want %s", next.UTC(), want)
	}
	in.Now = next
	if r, ok := plan(in, pol, sent); !ok || r.Key != "reminder:2026-11-02" || !r.Slot.Equal(next) {
		t.Fatalf("monday: %v %+v", ok, r)
	}
	// An hour earlier in UTC is 08:30 local: too early, although it would
	// have been 09:30 before the switch.
	in.Now = next.Add(-time.Hour)
	if _, ok := plan(in, pol, sent); ok {
		t.Fatal("reminder at 08:30 EST")
	}
}
