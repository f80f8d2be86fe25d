package digest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/message"
)

func TestNormalizeSubject(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Vendor contract", "Vendor contract"},
		{"Re: Vendor contract", "Vendor contract"},
		{"RE: re: Vendor contract", "Vendor contract"},
		{"AW: RE: Vendor contract", "Vendor contract"},
		{"WG: Fwd: Vendor   contract ", "Vendor contract"},
		{"Fw: [Apollo] Beta launch", "Beta launch"},
		{"[Apollo][External] Re: Beta launch", "Beta launch"},
		{"Re[2]: Beta launch", "Beta launch"},
		{"SV: Antw: Status", "Status"},
		{"[JIRA] (APO-123) Update DPA template", "(APO-123) Update DPA template"},
		{"Reporting: export slipped", "Reporting: export slipped"},
		{"Review of Q3", "Review of Q3"},
		{"Re:", ""},
		{"", ""},
	} {
		if got := NormalizeSubject(tc.in); got != tc.want {
			t.Errorf("NormalizeSubject(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestThreads(t *testing.T) {
	m := func(id, irt string, refs []string, subject string) Msg {
		return Msg{MessageID: id, InReplyTo: irt, References: refs, Subject: subject}
	}
	ids := func(groups [][]Msg) [][]string {
		var out [][]string
		for _, g := range groups {
			var s []string
			for _, msg := range g {
				s = append(s, msg.MessageID)
			}
			out = append(out, s)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		msgs []Msg
		want [][]string
	}{
		{
			name: "in-reply-to joins a reply to its parent",
			msgs: []Msg{m("<a>", "", nil, "Plan"), m("<b>", "<a>", nil, "Changed subject")},
			want: [][]string{{"<a>", "<b>"}},
		},
		{
			name: "a shared missing ancestor joins siblings",
			msgs: []Msg{m("<b>", "", []string{"<root>"}, "One"), m("<c>", "", []string{"<root>", "<x>"}, "Two")},
			want: [][]string{{"<b>", "<c>"}},
		},
		{
			name: "normalised subject joins a reply without headers",
			msgs: []Msg{m("<a>", "", nil, "Vendor contract"), m("<z>", "", nil, "Other"), m("<b>", "", nil, "AW: RE: vendor Contract")},
			want: [][]string{{"<a>", "<b>"}, {"<z>"}},
		},
		{
			name: "IDs compare without angle brackets",
			msgs: []Msg{m("a@x", "", nil, "One"), m("<b@x>", " <a@x> ", nil, "Two")},
			want: [][]string{{"a@x", "<b@x>"}},
		},
		{
			name: "empty subjects never join",
			msgs: []Msg{m("<a>", "", nil, ""), m("<b>", "", nil, "Re:")},
			want: [][]string{{"<a>"}, {"<b>"}},
		},
		{
			name: "chains join transitively",
			msgs: []Msg{m("<c>", "<b>", nil, "Three"), m("<a>", "", nil, "One"), m("<b>", "<a>", nil, "Two"), m("<d>", "", nil, "re: one")},
			want: [][]string{{"<c>", "<a>", "<b>", "<d>"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(Threads(tc.msgs)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Threads = %v, want %v", got, tc.want)
			}
		})
	}
}

// project builds a one-project input around msgs, at the fixture's time.
func project(t *testing.T, msgs ...Msg) ProjectDigest {
	t.Helper()
	in := fixtureInput(t, Detailed)
	in.Projects = []Project{{Name: "P", Label: "Status/P"}}
	for i := range msgs {
		msgs[i].Project = "P"
		if msgs[i].MessageID == "" {
			msgs[i].MessageID = "<m" + string(rune('a'+i)) + "@example.com>"
		}
		if msgs[i].FromAddr == "" {
			msgs[i].FromAddr = "pat@example.com"
			msgs[i].FromName = "Pat Lee"
		}
	}
	in.Msgs = msgs
	return Build(in).Projects[0]
}

func TestHealth(t *testing.T) {
	loc := berlin(t)
	day := func(d int) time.Time { return at(loc, d, 10, 0) }
	for _, tc := range []struct {
		name string
		msgs []Msg
		want message.Level
		why  []string
	}{
		{"no mail", nil, message.Unknown, nil},
		{"no health words", []Msg{{Date: day(17), Subject: "Notes", Visible: "Met the vendor. Notes attached."}}, message.Unknown, nil},
		{"blocked is red", []Msg{{Date: day(17), Subject: "A", Visible: "We are blocked on legal."}}, message.Red, []string{"blocked"}},
		{"not blocked is no news", []Msg{{Date: day(17), Subject: "A", Visible: "We are not blocked."}}, message.Unknown, nil},
		{"launched is green", []Msg{{Date: day(17), Subject: "A", Visible: "The site launched today."}}, message.Green, []string{"launched"}},
		{"slipping is amber", []Msg{{Date: day(17), Subject: "A", Visible: "The beta is slipping."}}, message.Amber, []string{"slipping"}},
		{"not on track is amber", []Msg{{Date: day(17), Subject: "A", Visible: "We are not on track for March."}}, message.Amber, []string{"not on track"}},
		{
			"a newer message in the thread clears the blocker",
			[]Msg{
				{Date: day(16), Subject: "Vendor", Visible: "Blocked on the DPA."},
				{Date: day(18), Subject: "Re: Vendor", Visible: "Legal signed off, we are unblocked."},
			},
			message.Green, []string{"signed off", "unblocked"},
		},
		{
			"a later reply without health words keeps the status",
			[]Msg{
				{Date: day(16), Subject: "Vendor", Visible: "Blocked on the DPA."},
				{Date: day(18), Subject: "Re: Vendor", Visible: "Thanks, any ETA?"},
			},
			message.Red, []string{"blocked"},
		},
		{
			"the worst thread sets the project",
			[]Msg{
				{Date: day(16), Subject: "Launch", Visible: "We shipped it."},
				{Date: day(18), Subject: "Audit", Visible: "The audit is delayed."},
			},
			message.Amber, []string{"delayed"},
		},
		{
			"automated mail never sets health",
			[]Msg{{Date: day(17), Subject: "[JIRA] X", Visible: "Status changed to Blocked.", FromName: "Bot (Jira)", FromAddr: "jira@x.atlassian.net"}},
			message.Unknown, nil,
		},
		{
			// A project in trouble keeps its colour when it goes quiet.
			"bad news before the period is carried",
			[]Msg{{Date: day(10), Subject: "Old", Visible: "Blocked."}},
			message.Red, []string{"blocked"},
		},
		{
			"good news before the period is not",
			[]Msg{{Date: day(10), Subject: "Old", Visible: "We shipped it."}},
			message.Unknown, nil,
		},
		{
			"news in the period replaces the old",
			[]Msg{{Date: day(10), Subject: "Old", Visible: "Blocked."}, {Date: day(18), Subject: "Apollo", Visible: "Legal approved; we are unblocked."}},
			message.Green, []string{"approved", "unblocked"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := project(t, tc.msgs...)
			if p.Health != tc.want || !reflect.DeepEqual(p.Why, tc.why) {
				t.Errorf("health = %s %q, want %s %q", p.Health, p.Why, tc.want, tc.why)
			}
		})
	}
}

func TestQuiet(t *testing.T) {
	loc := berlin(t)
	for _, tc := range []struct {
		name  string
		msgs  []Msg
		quiet bool
	}{
		{"nothing ever", nil, true},
		{"news this week", []Msg{{Date: at(loc, 19, 9, 0), Subject: "A", Visible: "Fine."}}, false},
		{"news 10 days ago, none this week", []Msg{{Date: at(loc, 10, 9, 0), Subject: "A", Visible: "Fine."}}, false},
		{"news 15 days ago", []Msg{{Date: at(loc, 5, 9, 0), Subject: "A", Visible: "Fine."}}, true},
		{"only automated mail this week", []Msg{
			{Date: at(loc, 1, 9, 0), Subject: "A", Visible: "Fine."},
			{Date: at(loc, 19, 9, 0), Subject: "Build", Visible: "ok", Automated: true},
		}, true},
		{"mail dated after now is ignored", []Msg{{Date: at(loc, 25, 9, 0), Subject: "A", Visible: "Fine."}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := project(t, tc.msgs...).Quiet; got != tc.quiet {
				t.Errorf("Quiet = %v, want %v", got, tc.quiet)
			}
		})
	}
}

func TestCredits(t *testing.T) {
	loc := berlin(t)
	p := project(t,
		Msg{Date: at(loc, 16, 9, 0), Subject: "Launch", Visible: "We launched the beta.", FromName: "Tom Ng", FromAddr: "tom@example.com"},
		Msg{Date: at(loc, 16, 10, 0), Subject: "Re: Launch", Visible: "Great news, well done.", FromName: "Alex Doe", FromAddr: "ALEX@example.com"},
		Msg{Date: at(loc, 17, 9, 0), Subject: "Vendor", Visible: "Blocked on legal.", FromName: "Priya Shah", FromAddr: "priya@example.com"},
		Msg{Date: at(loc, 18, 9, 0), Subject: "Re: Vendor", Visible: "Still waiting.", FromName: "Priya Shah", FromAddr: "priya@example.com"},
		Msg{Date: at(loc, 18, 10, 0), Subject: "Docs", Visible: "The docs are done.", FromName: "Alex Doe", FromAddr: "alex.doe@example.com"},
		Msg{Date: at(loc, 18, 11, 0), Subject: "[JIRA] Ticket", Visible: "Resolved.", FromName: "Tom Ng (Jira)", FromAddr: "jira@x.atlassian.net"},
	)
	names := func(ps []Person) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.String())
		}
		return out
	}
	if got, want := names(p.Reporters), []string{"Priya Shah", "Tom Ng"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Reporters = %q, want %q (the user and bots never count)", got, want)
	}
	// Nobody is thanked or named for the work: no credit line, rather
	// than crediting whoever sent the mail.
	if len(p.Credit) != 0 {
		t.Errorf("Credit = %q, want none (nobody is thanked; the sender is not credited by default)", names(p.Credit))
	}
	if p.Automated != 1 || p.Messages != 5 {
		t.Errorf("Automated, Messages = %d, %d; want 1, 5", p.Automated, p.Messages)
	}
	if len(p.Highlights) != 2 || len(p.Risks) != 1 {
		t.Errorf("%d highlights, %d risks; want 2, 1", len(p.Highlights), len(p.Risks))
	}
}

func TestLinks(t *testing.T) {
	text := `See https://wiki.example.com/a, and http://b.example.org/x?y=1.
Again https://wiki.example.com/a
<img src=http://tracker.example.net/p.gif> <img src="https://t.example.net/q.gif">
<a href="javascript:alert(1)">x</a> data:text/html,hi ftp://files.example.com/f
style="background:url(http://bg.example.net/i.png)"
https://user:pw@evil.example.com/ <https://c.example.com/path>`
	var got []string
	for _, l := range Links(text, 0) {
		got = append(got, l.URL)
	}
	want := []string{"https://wiki.example.com/a", "http://b.example.org/x?y=1", "https://c.example.com/path"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Links = %q, want %q", got, want)
	}
	if n := len(Links(text, 2)); n != 2 {
		t.Errorf("Links(max 2) gave %d", n)
	}
	// A src= far before a URL does not hide it: only the bytes just
	// before a URL are looked at (the whole prefix made link-heavy mail
	// quadratic).
	far := `<img src=` + strings.Repeat(" ", srcWindow+10) + `https://real.example.com/x`
	if got := Links(far, 0); len(got) != 1 {
		t.Errorf("a link far after a src= was dropped: %v", got)
	}
	// A hostile body of thousands of links is read to the limit only.
	if got := Links(strings.Repeat("http://a.example.com/ ", 20000), maxLinks); len(got) != 1 {
		t.Errorf("repeated link: %v", got)
	}
}

func TestWeeklyTargetAndChart(t *testing.T) {
	in := fixtureInput(t, Detailed)
	m := Build(in)
	if m.Year != 2026 || m.Week != 47 {
		t.Errorf("week = %d-W%d, want 2026-W47", m.Year, m.Week)
	}
	c := m.Chart
	if len(c.Weeks) != ChartWeeks || c.Weeks[ChartWeeks-1].Week != 47 || c.Weeks[0].Week != 36 {
		t.Fatalf("chart weeks = %+v", c.Weeks)
	}
	if c.Target != 1 || c.Total != 9 {
		t.Errorf("target, total = %v, %d; want 1, 9", c.Target, c.Total)
	}
	if got := c.Weeks[5].Count; got != 2 { // W41: 6 and 9 October
		t.Errorf("W41 count = %d, want 2", got)
	}
	if !strings.HasPrefix(c.Weeks[ChartWeeks-1].Start.Format(time.RFC3339), "2026-11-16T00:00:00+01:00") {
		t.Errorf("last week starts %v, want Monday 16 Nov 00:00 Berlin", c.Weeks[ChartWeeks-1].Start)
	}
}

func TestWeeklyTarget(t *testing.T) {
	five := calendar.Calendar{Workdays: [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}}
	four := calendar.Calendar{Workdays: [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true}}
	for _, tc := range []struct {
		span calendar.Span
		cal  calendar.Calendar
		want float64
	}{
		{calendar.Span{}, five, 0},
		{calendar.Span{N: 5, Unit: calendar.Workdays}, five, 1},
		{calendar.Span{N: 2, Unit: calendar.Workdays}, four, 2},
		{calendar.Span{N: 5, Unit: calendar.Workdays}, calendar.Calendar{}, 1},
		{calendar.Span{N: 2, Unit: calendar.Weeks}, five, 0.5},
		{calendar.Span{N: 7, Unit: calendar.Days}, five, 1},
	} {
		if got := weeklyTarget(tc.span, tc.cal); got != tc.want {
			t.Errorf("weeklyTarget(%v) = %v, want %v", tc.span, got, tc.want)
		}
	}
}

// A thread is titled by its newest subject: the news moves on.
func TestThreadTakesNewestSubject(t *testing.T) {
	loc := berlin(t)
	p := project(t,
		Msg{MessageID: "a@x", Date: at(loc, 16, 10, 0), Subject: "Zephyr rollout: 50% and holding", Visible: "Holding at 50%."},
		Msg{MessageID: "b@x", InReplyTo: "a@x", References: []string{"a@x"}, Date: at(loc, 18, 10, 0), Subject: "Zephyr shipped to 100% of users", Visible: "We shipped it to everyone."},
		Msg{MessageID: "c@x", InReplyTo: "b@x", References: []string{"a@x", "b@x"}, Date: at(loc, 19, 10, 0), Subject: "Re: Zephyr shipped to 100% of users", Visible: "Great work."},
	)
	if len(p.Threads) != 1 {
		t.Fatalf("%d threads, want 1", len(p.Threads))
	}
	if got := p.Threads[0].Subject; got != "Zephyr shipped to 100% of users" {
		t.Errorf("thread subject %q, want the newest", got)
	}
}

// A win is quoted from the mail that announced it, not a later reply; a
// risk from its newest word.
func TestStatusOfAWinIsItsAnnouncement(t *testing.T) {
	loc := berlin(t)
	p := project(t,
		Msg{MessageID: "a@x", Date: at(loc, 17, 10, 0), Subject: "Zephyr shipped to 100% of users", FromName: "Lena", FromAddr: "lena@x", Visible: "Zephyr 2.0 shipped to everyone today, latency down 30%."},
		Msg{MessageID: "b@x", InReplyTo: "a@x", References: []string{"a@x"}, Date: at(loc, 18, 10, 0), Subject: "Re: Zephyr shipped to 100% of users", FromName: "Søren", FromAddr: "soren@x", Visible: "Dashboards are live for everyone."},
		Msg{MessageID: "c@x", Date: at(loc, 16, 10, 0), Subject: "Vendor keys", FromName: "Priya", FromAddr: "priya@x", Visible: "We are blocked on the vendor keys."},
		Msg{MessageID: "d@x", InReplyTo: "c@x", References: []string{"c@x"}, Date: at(loc, 18, 11, 0), Subject: "Re: Vendor keys", FromName: "Priya", FromAddr: "priya@x", Visible: "Still blocked; escalated to procurement."},
	)
	for _, th := range p.Threads {
		switch th.Subject {
		case "Zephyr shipped to 100% of users":
			if th.Status.From.Name != "Lena" || !strings.Contains(th.Status.Text, "shipped") {
				t.Errorf("win status %+v, want Lena's announcement", th.Status)
			}
			if !th.ShowSubject() {
				t.Errorf("the bullet should lead with the subject: %q does not repeat it", th.Status.Text)
			}
		case "Vendor keys":
			if !strings.Contains(th.Status.Text, "escalated") {
				t.Errorf("risk status %+v, want the newest word", th.Status)
			}
		}
	}
}

func TestShowSubject(t *testing.T) {
	th := Thread{Subject: "Zephyr shipped to 100%", Status: Status{Text: "Zephyr  shipped to 100% at 10:30 this morning."}}
	if th.ShowSubject() {
		t.Error("a status that opens with the subject should not repeat it")
	}
	th.Status.Text = "Latency is down 30%."
	if !th.ShowSubject() {
		t.Error("a status that does not name the subject should be led by it")
	}
}

// The digest reads a message's health as status does: a subject that says
// "blocked" counts, a reply's subject does not.
func TestHealthReadsTheSubject(t *testing.T) {
	loc := berlin(t)
	p := project(t, Msg{MessageID: "a@x", Date: at(loc, 17, 10, 0), Subject: "Apollo blocked on legal", Visible: "Details in the doc."})
	if p.Health != message.Red {
		t.Errorf("health %s, want red from the subject", p.Health)
	}
	p = project(t, Msg{MessageID: "b@x", Date: at(loc, 17, 10, 0), Subject: "Re: Apollo blocked on legal", Visible: "Thanks, noted."})
	if p.Health != message.Unknown {
		t.Errorf("health %s, want unknown: a reply's subject repeats old news", p.Health)
	}
}
