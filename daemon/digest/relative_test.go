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
