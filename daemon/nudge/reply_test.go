package nudge

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseReply(t *testing.T) {
	loc := berlin(t)
	cal := workweek(loc)
	now := at(loc, 3, 30, 9, 45) // Monday
	tests := []struct {
		name  string
		body  string
		kind  string
		until time.Time
		err   bool
	}{
		{"done", "done", CmdDone, time.Time{}, false},
		{"done, shouted, with punctuation", "\r\n  DONE!\r\n> leadup reminder", CmdDone, time.Time{}, false},
		{"skip", "Skip.\n\nthanks", CmdSkip, time.Time{}, false},
		{"snooze days", "snooze 3 days", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"snooze workdays over the weekend", "Snooze 5 workdays", CmdSnooze, at(loc, 4, 6, 0, 0), false},
		{"snooze a week", "snooze 1 week", CmdSnooze, at(loc, 4, 6, 0, 0), false},
		{"snooze hours is elapsed time", "snooze 2 hours", CmdSnooze, at(loc, 3, 30, 11, 45), false},
		{"plain snooze is a day", "snooze", CmdSnooze, at(loc, 3, 31, 0, 0), false},
		{"away until", "away until 2027-01-04", CmdAway, time.Date(2027, 1, 5, 0, 0, 0, 0, loc), false},
		{"away until, capitals", "Away Until 2026-04-10", CmdAway, at(loc, 4, 11, 0, 0), false},
		{"away in the past", "away until 2026-03-01", "", time.Time{}, true},
		{"away without a date", "away", "", time.Time{}, true},
		{"away with a bad date", "away until next week", "", time.Time{}, true},
		{"snooze overflowing", "snooze 9223372036854775807 minutes", "", time.Time{}, true},
		{"snooze nonsense", "snooze for a bit", "", time.Time{}, true},
		{"done with more words", "done with jane, not raj", "", time.Time{}, true},
		{"not a command", "Thanks, will do", "", time.Time{}, true},
		{"quoted reminder only", "> done", "", time.Time{}, true},
		{"empty", "\n  \n", "", time.Time{}, true},
		{"only punctuation", "...\ndone", "", time.Time{}, true},
		// Plain words, and the lexicon's other languages.
		{"done, thanks", "Done, thanks!", CmdDone, time.Time{}, false},
		{"done with a remark", "done - told her in our 1:1", CmdDone, time.Time{}, false},
		{"snooze please", "Snooze 3 days please", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"skip this one", "Skip this one", CmdSkip, time.Time{}, false},
		{"away until a day and month", "Away until 8 January", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"away till", "away till 2027-01-08", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"away until a German date", "away until 08.01.2027", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"german done", "Erledigt, danke!", CmdDone, time.Time{}, false},
		{"german snooze", "später 3 Tage", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"german away", "Urlaub bis 08.01.2027", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"french done", "C'est fait", CmdDone, time.Time{}, false},
		{"french snooze", "plus tard 2 jours", CmdSnooze, at(loc, 4, 1, 0, 0), false},
		{"french away", "absent jusqu'au 8 janvier", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"spanish done", "Hecho.", CmdDone, time.Time{}, false},
		{"spanish skip", "saltar", CmdSkip, time.Time{}, false},
		{"spanish away", "de vacaciones hasta el 8 enero", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		// More plain words and natural dates.
		{"done, thank you, shouted", "DONE thank you", CmdDone, time.Time{}, false},
		{"done after a colon", "done: told her at lunch", CmdDone, time.Time{}, false},
		{"skip please", "Skip please", CmdSkip, time.Time{}, false},
		{"skip this week", "skip this week, too busy", CmdSkip, time.Time{}, false},
		{"all done", "All done :)", CmdDone, time.Time{}, false},
		{"snooze after a colon", "Snooze: 3 days", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"snooze a week in words", "snooze a week", CmdSnooze, at(loc, 4, 6, 0, 0), false},
		{"snooze for two days", "snooze for two days please", CmdSnooze, at(loc, 4, 1, 0, 0), false},
		{"snooze a couple of days", "Snooze a couple of days", CmdSnooze, at(loc, 4, 1, 0, 0), false},
		{"snooze with a remark", "snooze, swamped today", CmdSnooze, at(loc, 3, 31, 0, 0), false},
		{"remind me in", "Remind me in 3 days", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"snooze until a weekday", "snooze until Thursday", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"snooze till next Monday", "Snooze till next Monday.", CmdSnooze, at(loc, 4, 6, 0, 0), false},
		{"snooze until tomorrow", "snooze until tomorrow", CmdSnooze, at(loc, 3, 31, 0, 0), false},
		{"snooze until a date", "snooze until 8 April", CmdSnooze, at(loc, 4, 8, 0, 0), false},
		{"remind me after an event", "remind me after the offsite", "", time.Time{}, true},
		{"away until next Monday", "Away until next Monday", CmdAway, at(loc, 4, 7, 0, 0), false},
		{"away until Friday with a remark", "I'm away until Friday, back Monday", CmdAway, at(loc, 4, 4, 0, 0), false},
		{"away for two weeks", "away for 2 weeks", CmdAway, at(loc, 4, 13, 0, 0), false},
		{"away until an ordinal date", "Away until the 8th of January 2027.", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"away until month and day", "out until January 8th", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"on holiday through", "On holiday through 10 April", CmdAway, at(loc, 4, 11, 0, 0), false},
		{"away with a typographic apostrophe", "I’m off till 2026-04-10", CmdAway, at(loc, 4, 11, 0, 0), false},
		{"german away, day with a period", "Urlaub bis zum 8. Januar", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"german remind me", "Erinnere mich später", CmdSnooze, at(loc, 3, 31, 0, 0), false},
		{"german snooze until a weekday", "verschieben bis Donnerstag", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"french remind me", "Rappelle-moi plus tard", CmdSnooze, at(loc, 3, 31, 0, 0), false},
		{"french away until a weekday", "en congé jusqu'à vendredi", CmdAway, at(loc, 4, 4, 0, 0), false},
		{"spanish snooze days", "posponer 3 días", CmdSnooze, at(loc, 4, 2, 0, 0), false},
		{"spanish away, de between day and month", "fuera hasta el 8 de enero", CmdAway, time.Date(2027, 1, 9, 0, 0, 0, 0, loc), false},
		{"away until a past date in words", "away until 1 January 2026", "", time.Time{}, true},
		{"snooze until nonsense", "snooze until the offsite", "", time.Time{}, true},
	}
	for _, tt := range tests {
		c, err := ParseReply(tt.body, now, cal)
		if tt.err {
			var ue *UnreadableError
			if err == nil {
				t.Errorf("%s: parsed %+v, want an error", tt.name, c)
			} else if !errors.Is(err, ErrNoCommand) && (!errors.As(err, &ue) || ue.Why == "" || ue.Line == "") {
				t.Errorf("%s: %v is not an UnreadableError", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if c.Kind != tt.kind || !c.Until.Equal(tt.until) {
			t.Errorf("%s: %+v, want %s until %s", tt.name, c, tt.kind, tt.until)
		}
	}
	if _, err := ParseReply("", now, cal); !errors.Is(err, ErrNoCommand) {
		t.Errorf("empty reply: %v", err)
	}
}

// TestParseReplyPeople: a command may name the stakeholders it is for.
func TestParseReplyPeople(t *testing.T) {
	loc := berlin(t)
	cal := workweek(loc)
	now := at(loc, 3, 30, 9, 45) // Monday
	dana := Stakeholder{Name: "Dana Whitfield", Email: "Dana.Whitfield@example.com", Role: "boss"}
	sam := Stakeholder{Name: "Sam Okafor", Email: "sam@example.com", Role: "peer"}
	sam2 := Stakeholder{Name: "Sam Lee", Email: "slee@example.com"}
	people := []Stakeholder{dana, sam}
	tests := []struct {
		name, body string
		people     []Stakeholder
		kind       string
		until      time.Time
		who        []string
		err        string // a word the error must hold
	}{
		{"done for one by first name", "done Dana", people, CmdDone, time.Time{}, []string{dana.Email}, ""},
		{"done for one, capitals and a remark", "Done DANA, thanks!", people, CmdDone, time.Time{}, []string{dana.Email}, ""},
		{"done for one by full name", "done Dana Whitfield - told her in our 1:1", people, CmdDone, time.Time{}, []string{dana.Email}, ""},
		{"done for one by address", "done dana.whitfield@example.com", people, CmdDone, time.Time{}, []string{dana.Email}, ""},
		{"done for the boss", "done boss", people, CmdDone, time.Time{}, []string{dana.Email}, ""},
		{"done with someone", "done with Sam", people, CmdDone, time.Time{}, []string{sam.Email}, ""},
		{"done with one, not the other", "done with sam, not dana", people, CmdDone, time.Time{}, []string{sam.Email}, ""},
		{"name first", "Dana: done", people, CmdDone, time.Time{}, []string{dana.Email}, ""},
		{"snooze one a week", "snooze Sam 1 week", people, CmdSnooze, at(loc, 4, 6, 0, 0), []string{sam.Email}, ""},
		{"snooze one for days", "Snooze sam for 3 days please", people, CmdSnooze, at(loc, 4, 2, 0, 0), []string{sam.Email}, ""},
		{"snooze one until a weekday", "snooze Sam until Thursday", people, CmdSnooze, at(loc, 4, 2, 0, 0), []string{sam.Email}, ""},
		{"skip two", "skip Dana and Sam", people, CmdSkip, time.Time{}, []string{dana.Email, sam.Email}, ""},
		{"skip two with a comma", "skip Sam, Dana", people, CmdSkip, time.Time{}, []string{sam.Email, dana.Email}, ""},
		{"german done for one", "erledigt Dana", people, CmdDone, time.Time{}, []string{dana.Email}, ""},
		{"everyone after a comma", "Done, Dana asked for the numbers", people, CmdDone, time.Time{}, nil, ""},
		{"away is for everyone", "away until 2026-04-10", people, CmdAway, at(loc, 4, 11, 0, 0), nil, ""},
		{"an unknown name", "done Dan", people, "", time.Time{}, nil, "stakeholder"},
		{"an unknown name to snooze", "snooze Priya 2 days", people, "", time.Time{}, nil, "stakeholder"},
		{"a shared first name", "done Sam", []Stakeholder{dana, sam, sam2}, "", time.Time{}, nil, "full name"},
		{"a shared first name, written out", "done Sam Lee", []Stakeholder{dana, sam, sam2}, CmdDone, time.Time{}, []string{sam2.Email}, ""},
	}
	for _, tt := range tests {
		c, err := ParseReplyFor(tt.body, now, cal, tt.people)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %+v, %v; want an error about %q", tt.name, c, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if c.Kind != tt.kind || !c.Until.Equal(tt.until) || !slices.Equal(c.Who, tt.who) {
			t.Errorf("%s: %+v, want %s until %s for %v", tt.name, c, tt.kind, tt.until, tt.who)
		}
	}

	// Applied, a named command touches only the people it names.
	c, err := ParseReplyFor("snooze Sam 1 week", now, cal, people)
	if err != nil {
		t.Fatal(err)
	}
	_, ps := c.Apply(now, cal, []string{dana.Email, sam.Email}, people)
	if len(ps) != 1 || ps[0].Email != sam.Email {
		t.Errorf("snooze Sam: pauses %+v", ps)
	}
}

func TestReplyHelp(t *testing.T) {
	loc := berlin(t)
	got := ReplyHelp(at(loc, 12, 28, 9, 0), loc, "Dana")
	if got != "done, done Dana, snooze 3 days, skip, away until 11 Jan" {
		t.Errorf("help: %q", got)
	}
	// Every example in the help is read.
	now := at(loc, 12, 28, 9, 0)
	people := []Stakeholder{{Name: "Dana Whitfield", Email: "dana@example.com"}}
	for _, ex := range strings.Split(got, ", ") {
		if _, err := ParseReplyFor(ex, now, workweek(loc), people); err != nil {
			t.Errorf("example %q: %v", ex, err)
		}
	}
}

func TestCommandApply(t *testing.T) {
	loc := berlin(t)
	cal := workweek(loc)
	now := at(loc, 3, 30, 9, 45)
	j, r := jane, raj
	j.Cadence, r.Cadence = span(t, "5 workdays"), span(t, "4 weeks")
	sh := []Stakeholder{j, r}
	emails := []string{j.Email, r.Email}

	ups, ps := Command{Kind: CmdDone}.Apply(now, cal, emails, sh)
	if len(ups) != 2 || len(ps) != 0 || ups[0].Source != SourceReply || !ups[1].At.Equal(now) || ups[1].Email != r.Email {
		t.Errorf("done: %+v %+v", ups, ps)
	}
	snooze := Command{Kind: CmdSnooze, Until: at(loc, 4, 2, 0, 0)}
	ups, ps = snooze.Apply(now, cal, emails, sh)
	if len(ups) != 0 || len(ps) != 2 || ps[0].Reason != ReasonSnooze || !ps[1].Until.Equal(snooze.Until) || !ps[0].From.Equal(now) {
		t.Errorf("snooze: %+v %+v", ups, ps)
	}
	// Skip: until each one's cadence has passed again, counted from now.
	_, ps = Command{Kind: CmdSkip}.Apply(now, cal, emails, sh)
	if len(ps) != 2 || !ps[0].Until.Equal(at(loc, 4, 6, 0, 0)) || !ps[1].Until.Equal(at(loc, 4, 27, 0, 0)) || ps[0].Reason != ReasonSkip {
		t.Errorf("skip: %+v", ps)
	}
	away := Command{Kind: CmdAway, Until: at(loc, 4, 11, 0, 0)}
	_, ps = away.Apply(now, cal, emails, sh)
	if len(ps) != 1 || ps[0].Email != "" || ps[0].Reason != ReasonAway || !ps[0].Until.Equal(away.Until) {
		t.Errorf("away: %+v", ps)
	}

	// Applied, each command silences the reminder it answers.
	pol := Policy{Hour: 9, Min: 30, RepeatAfter: span(t, "2 workdays")}
	in := Input{Now: now, Cal: cal, Stakeholders: sh, Updates: []Update{
		{Email: j.Email, At: at(loc, 3, 2, 10, 0)}, {Email: r.Email, At: at(loc, 2, 2, 10, 0)},
	}}
	rem, ok := plan(in, pol, nil)
	if !ok || len(rem.Entries) != 2 {
		t.Fatalf("setup: %v %+v", ok, rem)
	}
	sent := []Sent{rem.Record(now)}
	for _, c := range []Command{{Kind: CmdDone}, snooze, {Kind: CmdSkip}, away} {
		ups, ps := c.Apply(now, cal, rem.Emails(), sh)
		next := in
		next.Updates = append(append([]Update(nil), in.Updates...), ups...)
		next.Pauses = ps
		next.Now = at(loc, 4, 1, 9, 30) // when the repeat would be due
		if r, ok := plan(next, pol, sent); ok {
			t.Errorf("%s: still reminded on Wednesday: %s", c.Kind, names(r))
		}
	}
}

func FuzzParseReply(f *testing.F) {
	for _, s := range []string{"done", "snooze 3 days", "skip", "away until 2027-01-04", "...", "snooze", "away until", "\u00a0done"} {
		f.Add(s)
	}
	loc := berlin(f)
	cal := workweek(loc)
	now := at(loc, 3, 30, 9, 45)
	f.Fuzz(func(t *testing.T, body string) {
		c, err := ParseReply(body, now, cal)
		if err == nil && c.Kind != CmdDone && c.Kind != CmdSkip && c.Until.Before(now) {
			t.Fatalf("%q: %+v ends before now", body, c)
		}
	})
}
