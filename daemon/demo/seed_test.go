package demo

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/digest"
	"github.com/leadup/leadup/daemon/internal/golden"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/nudge"
)

// parsed is a seeded message and what leadup reads in it.
type parsed struct {
	Seeded
	m *message.Message
}

func parseAll(t *testing.T, now time.Time) []parsed {
	t.Helper()
	var out []parsed
	for _, s := range Mailbox(now) {
		m, err := message.Parse(bytes.NewReader(s.Raw), message.Options{Loc: berlin, Now: now})
		if err != nil {
			t.Fatalf("%s: parse: %v\n%s", s.Folder, err, s.Raw)
		}
		out = append(out, parsed{s, m})
	}
	return out
}

// find returns the one message in folder whose subject is subject.
func find(t *testing.T, ps []parsed, folder, subject string) *message.Message {
	t.Helper()
	var hit *message.Message
	for _, p := range ps {
		if p.Folder == folder && p.m.Subject == subject {
			if hit != nil {
				t.Fatalf("two messages %q in %s", subject, folder)
			}
			hit = p.m
		}
	}
	if hit == nil {
		t.Fatalf("no message %q in %s", subject, folder)
	}
	return hit
}

func TestNowIsTheFridayDigestSlot(t *testing.T) {
	if Now.Weekday() != time.Friday || Now.Hour() != 15 || Now.Location().String() != "Europe/Berlin" {
		t.Fatalf("Now = %v, want a Friday 15:00 in Europe/Berlin", Now)
	}
}

func TestMailboxIsWellFormed(t *testing.T) {
	ps := parseAll(t, Now)
	folders := Folders()
	ids := map[string]bool{}
	perFolder := map[string]map[string]bool{}
	for _, p := range ps {
		if !slices.Contains(folders, p.Folder) {
			t.Errorf("%q is in folder %q, which Folders does not list", p.m.Subject, p.Folder)
		}
		if bytes.Contains(bytes.ReplaceAll(p.Raw, []byte("\r\n"), nil), []byte("\n")) || !bytes.HasSuffix(p.Raw, []byte("\r\n")) {
			t.Errorf("%q: not CRLF throughout", p.m.Subject)
		}
		m := p.m
		if m.MessageID == "" || m.From.Addr == "" || len(m.To) == 0 || m.Subject == "" {
			t.Errorf("%s %q: missing header: id %q from %q to %v", p.Folder, m.Subject, m.MessageID, m.From.Addr, m.To)
		}
		if !m.Date.Equal(p.Date) || !p.Date.Before(Now) {
			t.Errorf("%q: Date header %v, internal date %v, now %v", m.Subject, m.Date, p.Date, Now)
		}
		if perFolder[p.Folder] == nil {
			perFolder[p.Folder] = map[string]bool{}
		}
		if perFolder[p.Folder][m.MessageID] {
			t.Errorf("Message-ID %s twice in %s", m.MessageID, p.Folder)
		}
		perFolder[p.Folder][m.MessageID] = true
		ids[m.MessageID] = true
		for _, l := range strings.Split(m.Visible, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), ">") {
				t.Errorf("%q: quoted line in Visible: %q", m.Subject, l)
			}
		}
		if strings.Contains(flat(m.Visible), " wrote:") || strings.Contains(flat(m.Visible), "Sent: ") {
			t.Errorf("%q: reply header in Visible:\n%s", m.Subject, m.Visible)
		}
		if strings.Contains(flat(m.Visible), "\uFFFD") || strings.Contains(m.Subject, "=?") || strings.Contains(m.From.Name, "=?") {
			t.Errorf("%q from %q: undecoded text", m.Subject, m.From.Name)
		}
	}
	threaded := 0
	for _, p := range ps {
		for _, ref := range append([]string{p.m.InReplyTo}, p.m.References...) {
			if ref == "" {
				continue
			}
			threaded++
			if !ids[ref] {
				t.Errorf("%q refers to %s, which is not in the mailbox", p.m.Subject, ref)
			}
		}
		if p.m.InReplyTo != "" && p.m.References[len(p.m.References)-1] != p.m.InReplyTo {
			t.Errorf("%q: In-Reply-To %s is not the last reference", p.m.Subject, p.m.InReplyTo)
		}
	}
	if threaded < 10 {
		t.Errorf("only %d threading references", threaded)
	}
	// The Gmail duplicate: one Message-ID in a label and in the Inbox.
	blocked := find(t, ps, "Status/Apollo", "Apollo: payments integration blocked on the vendor API keys")
	if !perFolder["INBOX"][blocked.MessageID] {
		t.Error("the blocked Apollo mail is not also in the Inbox")
	}
	for _, f := range folders {
		if f != "Drafts" && len(perFolder[f]) == 0 {
			t.Errorf("folder %s is empty", f)
		}
	}
}

func TestMailboxTellsTheStory(t *testing.T) {
	ps := parseAll(t, Now)

	blocked := find(t, ps, "Status/Apollo", "Apollo: payments integration blocked on the vendor API keys")
	if blocked.Health != message.Red {
		t.Errorf("blocked mail: health %s %v", blocked.Health, blocked.HealthHits)
	}
	for _, leak := range []string{"+49", "intended solely", "Senior Software Engineer"} {
		if strings.Contains(flat(blocked.Visible), leak) {
			t.Errorf("blocked mail: signature or disclaimer %q in Visible:\n%s", leak, blocked.Visible)
		}
	}
	var escalated, outlook *message.Message
	for _, p := range ps {
		if p.Folder == "Status/Apollo" && strings.HasPrefix(p.m.Visible, "Still blocked") {
			escalated = p.m
		}
		if p.Folder == "Status/Apollo" && strings.HasPrefix(p.m.Subject, "RE:") {
			outlook = p.m
		}
	}
	if escalated == nil || escalated.Health != message.Red || !strings.Contains(flat(escalated.Visible), "escalated to Helen Wu") {
		t.Errorf("escalation mail: %+v", escalated)
	}
	if outlook == nil || strings.Contains(flat(outlook.Visible), "blocked") || strings.Contains(flat(outlook.Visible), "+49") || !strings.Contains(flat(outlook.Visible), "countersigned") {
		t.Errorf("Outlook reply: quote or signature leaks, or its text is lost: %+v", outlook)
	}
	jira := find(t, ps, "Status/Apollo", "[JIRA] (APL-231) Obtain Paylane sandbox API keys")
	if !jira.Automated || jira.AutoReply {
		t.Errorf("Jira mail: automated %v, auto-reply %v", jira.Automated, jira.AutoReply)
	}

	launch := find(t, ps, "Status/Zephyr", "Zephyr 2.0 shipped to 100% of users")
	if launch.Health != message.Green {
		t.Errorf("launch: health %s %v", launch.Health, launch.HealthHits)
	}
	for _, want := range []string{"latency down 30%", "212 ms", "Zoë Martin", "Søren Nielsen"} {
		if !strings.Contains(flat(launch.Visible), want) {
			t.Errorf("launch: %q missing from Visible:\n%s", want, launch.Visible)
		}
	}
	for _, leak := range []string{"tracker.example.com", "fetch(", "<script", "<img", "<table"} {
		if strings.Contains(flat(launch.Text), leak) {
			t.Errorf("launch: %q leaks into the text:\n%s", leak, launch.Text)
		}
	}
	if strings.Contains(flat(launch.Visible), "EU-West") {
		t.Errorf("launch: the gmail_quote leaks:\n%s", launch.Visible)
	}
	half := find(t, ps, "Status/Zephyr", "Zephyr 2.0 rollout: 50% and holding")
	if half.From.Name != "Zoë Martin" || !strings.Contains(flat(half.Visible), "Søren is keeping an eye") || half.Health != message.Green {
		t.Errorf("quoted-printable mail: from %q, health %s, visible:\n%s", half.From.Name, half.Health, half.Visible)
	}
	dash := find(t, ps, "Status/Zephyr", "Re: Zephyr 2.0 shipped to 100% of users")
	if dash.From.Name != "Søren Nielsen" || !strings.Contains(flat(dash.Visible), "Zoë’s pool-size change – we’ll") || dash.Health != message.Green {
		t.Errorf("windows-1252 mail: from %q, health %s, visible:\n%s", dash.From.Name, dash.Health, dash.Visible)
	}

	ask := find(t, ps, "INBOX", "Apollo")
	if !ask.Ask || ask.From.Addr != BossEmail || Now.Sub(ask.Date) > 3*24*time.Hour {
		t.Errorf("Dana's ask: ask %v from %s at %v", ask.Ask, ask.From.Addr, ask.Date)
	}
	if strings.Contains(flat(ask.Visible), "iPhone") {
		t.Errorf("Dana's ask keeps the phone sign-off:\n%s", ask.Visible)
	}
	ooo := find(t, ps, "INBOX", "Automatic reply: Zephyr 2.0 rollout and the platform review")
	back := time.Date(2026, time.November, 16, 0, 0, 0, 0, berlin)
	if !ooo.AutoReply || ooo.Automated || ooo.Ask || !ooo.ReturnDate.Equal(back) {
		t.Errorf("out-of-office: auto-reply %v automated %v ask %v back %v", ooo.AutoReply, ooo.Automated, ooo.Ask, ooo.ReturnDate)
	}
	rajQ := find(t, ps, "INBOX", "Zephyr numbers for the platform review")
	if rajQ.AutoReply || rajQ.Automated || rajQ.From.Addr != PeerEmail {
		t.Errorf("Raj's question: %+v", rajQ)
	}
	news := find(t, ps, "INBOX", "Issue #212: Managing up without managing your boss")
	if !news.Automated {
		t.Error("the newsletter is not automated")
	}
}

// TestUpdates checks what Sent says about the stakeholders: the last update
// to Dana 12 days before now, eight over the chart's twelve weeks (one by Cc,
// one from the alias), one to Raj two weeks ago, and mail to others.
func TestUpdates(t *testing.T) {
	ps := parseAll(t, Now)
	me := []string{UserEmail, UserAlias}
	var dana []time.Time
	var raj, other int
	for _, p := range ps {
		if p.Folder != "Sent" {
			continue
		}
		if !slices.Contains(me, p.m.From.Addr) {
			t.Errorf("sent %q from %s", p.m.Subject, p.m.From.Addr)
		}
		to := map[string]bool{}
		for _, a := range append(append([]message.Address{}, p.m.To...), p.m.Cc...) {
			to[a.Addr] = true
		}
		switch {
		case to[BossEmail]:
			dana = append(dana, p.Date)
		case to[PeerEmail]:
			raj++
		default:
			other++
		}
	}
	slices.SortFunc(dana, time.Time.Compare)
	last := dana[len(dana)-1]
	if d := Now.Sub(last); len(dana) != 8 || d < 11*24*time.Hour || d > 12*24*time.Hour {
		t.Errorf("updates to Dana: %d, last %v (%v before now)", len(dana), last, d)
	}
	if Now.Sub(dana[0]) > 12*7*24*time.Hour {
		t.Errorf("first update to Dana %v is outside the chart's 12 weeks", dana[0])
	}
	if raj != 1 || other < 3 {
		t.Errorf("updates to Raj %d, other sent mail %d", raj, other)
	}
}

// TestMailboxFollowsNow checks the dates move with now, keeping weekdays.
func TestMailboxFollowsNow(t *testing.T) {
	a, b := Mailbox(Now), Mailbox(Now.AddDate(0, 0, 7))
	if len(a) != len(b) {
		t.Fatalf("%d vs %d messages", len(a), len(b))
	}
	for i := range a {
		if b[i].Date.Sub(a[i].Date) < 6*24*time.Hour || b[i].Date.Weekday() != a[i].Date.Weekday() {
			t.Errorf("message %d: %v then %v", i, a[i].Date, b[i].Date)
		}
	}
}

// TestWhatLeadupSays feeds the mailbox to nudge and digest the way the
// daemon does (daemon/inputs.go), so the story the demo should tell is
// checked here, before any server is involved.
func TestWhatLeadupSays(t *testing.T) {
	ps := parseAll(t, Now)
	cal := calendar.Calendar{Loc: berlin, Workdays: [7]bool{false, true, true, true, true, true, false}}
	span := func(s string) calendar.Span {
		sp, err := calendar.ParseSpan(s)
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	boss := nudge.Stakeholder{Name: BossName, Email: BossEmail, Role: "boss", Cadence: span("5 workdays"), Max: span("8 workdays"), Style: "detailed"}
	peer := nudge.Stakeholder{Name: PeerName, Email: PeerEmail, Role: "peer", Cadence: span("4 weeks")}
	in := nudge.Input{Now: Now, Cal: cal, Me: []string{UserEmail, UserAlias}, Stakeholders: []nudge.Stakeholder{boss, peer}}
	dg := digest.Input{Now: Now, Since: Now.AddDate(0, 0, -7), Loc: berlin, Me: in.Me, MeName: UserName, Style: digest.Detailed,
		BossName: BossName, Cadence: boss.Cadence, Cal: cal}
	for _, p := range Projects {
		dg.Projects = append(dg.Projects, digest.Project{Name: p.Name, Label: p.Label})
	}
	for _, p := range ps {
		m := p.m
		switch {
		case p.Folder == "Sent":
			for _, a := range append(append([]message.Address{}, m.To...), m.Cc...) {
				if a.Addr == BossEmail || a.Addr == PeerEmail {
					in.Updates = append(in.Updates, nudge.Update{Email: a.Addr, At: m.Date, Subject: m.Subject, Source: nudge.SourceMail})
				}
				if a.Addr == BossEmail {
					dg.Updates = append(dg.Updates, m.Date)
				}
			}
		case p.Folder == "INBOX" && (m.From.Addr == BossEmail || m.From.Addr == PeerEmail):
			in.Inbound = append(in.Inbound, nudge.Inbound{From: m.From.Addr, At: m.Date, MessageID: m.MessageID, Subject: m.Subject,
				Snippet: m.Snippet, Ask: m.Ask, AutoReply: m.AutoReply, ReturnDate: m.ReturnDate})
		case strings.HasPrefix(p.Folder, "Status/"):
			if !m.Automated && !m.AutoReply {
				level, _ := message.Health(m.Visible)
				in.News = append(in.News, nudge.News{Project: p.Folder, At: m.Date, From: m.From.Addr, Subject: m.Subject,
					Snippet: m.Snippet, Bad: level == message.Red || level == message.Amber})
			}
			dg.Msgs = append(dg.Msgs, digest.Msg{Project: p.Folder, MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References,
				Date: m.Date, FromName: m.From.Name, FromAddr: m.From.Addr, Subject: m.Subject, Visible: m.Visible, Snippet: m.Snippet,
				Automated: m.Automated || m.AutoReply})
		}
	}

	rep := nudge.Evaluate(in)
	d, r := rep.Entries[0], rep.Entries[1]
	if d.Level != nudge.Red || !d.Overdue || d.DaysSince != 12 || d.LastSubject != "Re: Atlas headcount for Q1 planning" ||
		len(d.OpenAsks) != 1 || !d.OpenAsks[0].Status || d.OpenAsks[0].Subject != "Apollo" {
		t.Errorf("Dana: level %s overdue %v days %d (%d workdays) last %q asks %+v", d.Level, d.Overdue, d.DaysSince, d.WorkdaysSince, d.LastSubject, d.OpenAsks)
	}
	if r.Level != nudge.OK || r.Overdue || !r.PausedUntil.IsZero() || r.DaysSince != 14 ||
		len(r.OpenAsks) != 1 || !r.OpenAsks[0].Status || r.OpenAsks[0].Subject != "Zephyr numbers for the platform review" {
		t.Errorf("Raj: level %s overdue %v paused %v days %d asks %+v", r.Level, r.Overdue, r.PausedUntil, r.DaysSince, r.OpenAsks)
	}
	var heard []string
	for _, n := range rep.HeardFirst {
		heard = append(heard, n.Project+": "+n.From)
	}
	if want := []string{"Status/Apollo: priya.sharma@example.com", "Status/Apollo: priya.sharma@example.com"}; !slices.Equal(heard, want) {
		t.Errorf("heard first: %v, want %v", heard, want)
	}
	rem, ok := nudge.Plan(in, rep, nudge.Policy{Hour: 9, Min: 30, RepeatAfter: span("2 workdays")}, nil)
	if !ok || len(rem.Entries) != 2 || rem.Entries[0].Stakeholder.Email != BossEmail || rem.Entries[1].Stakeholder.Email != PeerEmail {
		t.Errorf("reminder: planned %v, entries %+v", ok, rem.Entries)
	}

	model := digest.Build(dg)
	// The demo's draft in both styles, read whole as the boss would.
	for _, style := range []string{digest.Detailed, digest.Summary} {
		dg.Style = style
		r, err := digest.Render(digest.Build(dg), "")
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "demo."+style+".draft.txt", r.DraftText)
	}
	want := map[string]struct {
		health          message.Level
		quiet           bool
		msgs, automated int
	}{
		"Apollo": {message.Red, false, 4, 1},
		"Zephyr": {message.Green, false, 3, 0},
		"Atlas":  {message.Unknown, true, 0, 0},
	}
	for _, p := range model.Projects {
		w := want[p.Name]
		if p.Health != w.health || p.Quiet != w.quiet || p.Messages != w.msgs || p.Automated != w.automated {
			t.Errorf("%s: health %s (%v) quiet %v messages %d automated %d, want %+v", p.Name, p.Health, p.Why, p.Quiet, p.Messages, p.Automated, w)
		}
		var credit []string
		for _, c := range p.Credit {
			credit = append(credit, c.Name)
		}
		t.Logf("%s: health %s why %v threads %d credit %v", p.Name, p.Health, p.Why, len(p.Threads), credit)
	}
	if model.Week != 47 || model.Chart.Total != 8 {
		t.Errorf("week %d, chart total %d, want 47 and 8", model.Week, model.Chart.Total)
	}
	var weeks []int
	for _, w := range model.Chart.Weeks {
		weeks = append(weeks, w.Count)
	}
	t.Logf("chart: %v", weeks)
}

// flat collapses whitespace: the seeded mail is hard-wrapped like real
// mail, so a phrase may span a line break.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
