package digest

import (
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// berlin is the user's zone in the fixture mailbox.
func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load zone: %v", err)
	}
	return loc
}

// at is a time in the fixture's November 2026, Berlin time.
func at(loc *time.Location, day, hour, min int) time.Time {
	return time.Date(2026, time.November, day, hour, min, 0, 0, loc)
}

// fixtureInput is a realistic week of project mail for Alex, who reports to
// Dana: Apollo has a blocked vendor thread and a beta launch plus Jira and
// CI noise; Zephyr has an HTML status mail (list and table) with a slipping
// workstream and a "no blockers" load test; Hermes went quiet. The digest
// is built on Friday 20 November 2026 at 15:00, week 47.
func fixtureInput(t testing.TB, style string) Input {
	loc := berlin(t)
	workweek := [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}
	msgs := []Msg{
		// Apollo: the vendor contract is blocked.
		{
			Project: "Apollo", MessageID: "<vendor-1@example.com>", Date: at(loc, 16, 9, 12),
			FromName: "Priya Shah", FromAddr: "priya@example.com", Subject: "Vendor contract",
			Visible: "Hi all,\n\nThe vendor contract is blocked on legal review of the DPA. I escalated to Sam in procurement.\nWe need a decision by Friday to keep the January date.",
			Snippet: "The vendor contract is blocked on legal review of the DPA.",
		},
		{
			Project: "Apollo", MessageID: "<vendor-2@example.com>", InReplyTo: "<vendor-1@example.com>",
			References: []string{"<vendor-1@example.com>"}, Date: at(loc, 16, 11, 40),
			FromName: "Alex Doe", FromAddr: "Alex.Doe@example.com", Subject: "Re: Vendor contract",
			Visible: "Thanks Priya, I'll raise it with Dana this week.",
			Snippet: "Thanks Priya, I'll raise it with Dana this week.",
		},
		{
			// A reply whose client dropped the References but kept the subject.
			Project: "Apollo", MessageID: "<vendor-3@example.com>", Date: at(loc, 18, 16, 5),
			FromName: "Priya Shah", FromAddr: "priya@example.com", Subject: "AW: RE: Vendor contract",
			Visible: "Legal is still reviewing, nothing resolved yet. Next check-in is Monday.",
			Snippet: "Legal is still reviewing, nothing resolved yet.",
		},
		// Apollo: the beta launched.
		{
			Project: "Apollo", MessageID: "<beta-1@example.com>", Date: at(loc, 19, 17, 30),
			FromName: "Tom Ng", FromAddr: "tom@example.com", Subject: "[Apollo] Beta launch",
			Visible: "Team,\n\nWe launched the beta to 50 pilot customers on Wednesday. Sign-ups are ahead of plan.\nRelease notes: https://wiki.example.com/apollo/beta-notes.",
			Snippet: "We launched the beta to 50 pilot customers on Wednesday.",
		},
		{
			// The same message in the label twice (Gmail): counted once.
			Project: "Status/Apollo", MessageID: "beta-1@example.com", Date: at(loc, 19, 17, 30),
			FromName: "Tom Ng", FromAddr: "tom@example.com", Subject: "[Apollo] Beta launch",
			Visible: "We launched the beta to 50 pilot customers on Wednesday.",
		},
		// Apollo: tracker and CI noise.
		{
			Project: "Apollo", MessageID: "<JIRA.123@example.atlassian.net>", Date: at(loc, 17, 8, 0),
			FromName: "Priya Shah (Jira)", FromAddr: "jira@example.atlassian.net",
			Subject: "[JIRA] (APO-123) Update DPA template", Visible: "Priya Shah changed the status to Blocked.",
		},
		{
			Project: "Apollo", MessageID: "<build-4411@ci.example.com>", Date: at(loc, 18, 2, 0),
			FromName: "CI", FromAddr: "builds@ci.example.com", Subject: "Build #4411 failed",
			Visible: "Build #4411 failed on main.", Automated: true,
		},
		// Zephyr: an HTML mail, converted to text by the message package.
		{
			Project: "Zephyr", MessageID: "<zephyr-w47@example.com>", Date: at(loc, 17, 10, 0),
			FromName: "Lena Vogel", FromAddr: "lena@example.com", Subject: "Zephyr weekly status",
			Visible: "Hello team,\n\nHighlights this week:\n\n* Payments API is live in staging\n* Fraud rules review completed\n\n| Workstream | Status |\n|---|---|\n| Payments | On track |\n| Reporting | At risk: the data export slipped a week |\n\nDashboard: https://grafana.example.com/d/zephyr",
			Snippet: "Highlights this week: Payments API is live in staging",
		},
		{
			Project: "Zephyr", MessageID: "<zephyr-w47-re@example.com>", InReplyTo: "<zephyr-w47@example.com>",
			References: []string{"<zephyr-w47@example.com>"}, Date: at(loc, 17, 12, 30),
			FromName: "Alex Doe", FromAddr: "alex@example.com", Subject: "Re: Zephyr weekly status",
			Visible: "Thanks Lena. Can we pull the export forward?",
		},
		{
			Project: "Zephyr", MessageID: "<loadtest@example.com>", Date: at(loc, 20, 10, 0),
			FromName: "Marco Rossi", FromAddr: "marco@example.com", Subject: "Load test results",
			Visible: "Load test passed at 2x the expected peak. No blockers found.\nFull report: https://perf.example.com/runs/812",
			Snippet: "Load test passed at 2x the expected peak.",
		},
		// Hermes: last heard of in October.
		{
			Project: "Hermes", MessageID: "<hermes-oct@example.com>", Date: time.Date(2026, time.October, 30, 14, 0, 0, 0, loc),
			FromName: "Kim Park", FromAddr: "kim@example.com", Subject: "Hermes: discovery notes",
			Visible: "Discovery is done; waiting for budget.",
		},
		// Not a configured project: ignored.
		{
			Project: "Status/Other", MessageID: "<other@example.com>", Date: at(loc, 18, 9, 0),
			FromName: "Someone", FromAddr: "someone@example.com", Subject: "Other", Visible: "We shipped it.",
		},
	}
	updates := []time.Time{
		time.Date(2026, time.September, 4, 16, 0, 0, 0, loc),
		time.Date(2026, time.September, 11, 15, 0, 0, 0, loc),
		time.Date(2026, time.September, 25, 15, 30, 0, 0, loc),
		time.Date(2026, time.October, 2, 15, 0, 0, 0, loc),
		time.Date(2026, time.October, 6, 9, 0, 0, 0, loc),
		time.Date(2026, time.October, 9, 17, 0, 0, 0, loc),
		time.Date(2026, time.October, 23, 16, 0, 0, 0, loc),
		time.Date(2026, time.November, 6, 15, 10, 0, 0, loc),
		time.Date(2026, time.November, 13, 15, 5, 0, 0, loc),
	}
	return Input{
		Now: at(loc, 20, 15, 0), Since: at(loc, 13, 15, 0), Loc: loc,
		Me: []string{"alex@example.com", "alex.doe@example.com"}, MeName: "Alex Doe",
		Projects: []Project{
			{Name: "Apollo", Label: "Status/Apollo"},
			{Name: "Zephyr", Label: "Status/Zephyr"},
			{Name: "Hermes", Label: "Status/Hermes"},
		},
		Msgs: msgs, Style: style, BossName: "Dana Whitfield", InDrafts: true, Updates: updates,
		Cadence: calendar.Span{N: 5, Unit: calendar.Workdays},
		Cal:     calendar.Calendar{Loc: loc, Workdays: workweek},
	}
}
