package digest

import (
	"testing"
	"time"
)

func TestResolveRelative(t *testing.T) {
	loc := berlin(t)
	wed := time.Date(2026, 11, 18, 11, 42, 0, 0, loc) // Wednesday
	for _, tc := range []struct{ in, want string }{
		{"Zephyr 2.0 shipped to 100% of users at 10:30 this morning.", "Zephyr 2.0 shipped to 100% of users at 10:30 on Wed 18 Nov."},
		{"Legal countersigned the DPA yesterday.", "Legal countersigned the DPA on Tue 17 Nov."},
		{"The post-launch review is next Wednesday.", "The post-launch review is on Wed 25 Nov."},
		{"They promised them for last Wednesday.", "They promised them for Wed 11 Nov."},
		{"We cut over tomorrow.", "We cut over on Thu 19 Nov."},
		{"Demo this Friday.", "Demo on Fri 20 Nov."},
		{"Load tests start next week.", "Load tests start in the week of Mon 23 Nov."},
		{"No relative time here.", "No relative time here."},
		{"Today is the day.", "On Wed 18 Nov is the day."},
		// A weekday alone, placed by the sentence: a deadline or the future
		// is the next one, the past the one before the mail.
		{"We need a decision by Friday to keep the January date.", "We need a decision by Fri 20 Nov to keep the January date."},
		{"We launched the beta to 50 pilot customers on Monday.", "We launched the beta to 50 pilot customers on Mon 16 Nov."},
		{"We will cut over on Monday.", "We will cut over on Mon 23 Nov."},
		{"Blocked since Monday, the staging cluster is down.", "Blocked since Mon 16 Nov, the staging cluster is down."},
		{"If the keys arrive on Monday we can still make it.", "If the keys arrive on Mon 23 Nov we can still make it."},
		{"The freeze lasts until Tuesday.", "The freeze lasts until Tue 24 Nov."},
		{"Monday's standup moved.", "Monday's standup moved."},
		{"The contract is blocked on legal; we meet on Friday.", "The contract is blocked on legal; we meet on Friday."},
		{"The deploy is blocked on Monday.", "The deploy is blocked on Monday."},
		{"The review is on Friday.", "The review is on Friday."},                                                 // tense says nothing: left as written
		{"We shipped it on Wednesday.", "We shipped it on Wednesday."},                                           // the mail's own weekday: today or last week?
		{"Load tests start next week, on Thursday.", "Load tests start in the week of Mon 23 Nov, on Thursday."}, // no tense, no deadline
	} {
		if got := resolveRelative(tc.in, wed, loc); got != tc.want {
			t.Errorf("resolveRelative(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAttributed(t *testing.T) {
	priya := Person{Name: "Priya Sharma"}
	for _, tc := range []struct {
		in   string
		mine bool
		want string
	}{
		{"So I've escalated to Helen Wu in procurement.", false, "Priya: So I've escalated to Helen Wu in procurement."},
		{"We’re blocked on the keys.", false, "Priya: We’re blocked on the keys."},
		{"The vendor keys arrived.", false, "The vendor keys arrived."},
		{"I escalated to Sam.", true, "I escalated to Sam."},
		{"Insurance is fine.", false, "Insurance is fine."},
	} {
		if got := attributed(tc.in, priya, tc.mine); got != tc.want {
			t.Errorf("attributed(%q, mine=%v) = %q, want %q", tc.in, tc.mine, got, tc.want)
		}
	}
}
