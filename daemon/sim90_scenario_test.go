package daemon

// The 90-day simulation: the scenario, the driver loop, the expectations
// and the checks, shared by TestSim90 (in-process servers, every hour) and
// TestE2ESim90 (Dovecot and Postfix, mox: sim90_e2e_test.go, daytime hours).
//
// A user in Berlin runs leadup from Monday 9 February to Saturday 9 May
// 2026: across the switch to summer time (Sunday 29 March), Good Friday,
// Easter Monday and 1 May (holidays in the config), a week away (23-27
// March, in the config), an "away until" reply, asks from the boss and a
// peer, a thank-you that asks nothing, an out-of-office reply, and replies
// to the reminders in plain words. The user's updates come at realistic
// times, some weeks late. What leadup delivered by SMTP is read back and
// checked against what DESIGN.md promises, with "who is due" computed here
// from the scenario alone.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/leadup/leadup/daemon/store"
)

var simLoc = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// simAt is a Berlin wall-clock time in 2026.
func simAt(mo time.Month, d, hh, mm int) time.Time {
	return time.Date(2026, mo, d, hh, mm, 0, 0, simLoc)
}

var simStart = simAt(time.February, 9, 0, 0) // a Monday

const simDays = 90 // to Saturday 9 May, 23:00

// The config's calendar (workdays default to Mon-Fri).
var (
	simHolidays = []time.Time{simAt(time.April, 3, 0, 0), simAt(time.April, 6, 0, 0), simAt(time.May, 1, 0, 0)}
	simAwayFrom = simAt(time.March, 23, 0, 0)
	simAwayTo   = simAt(time.March, 27, 0, 0)
)

// simCalendarYAML is the config's calendar keys for the scenario.
const simCalendarYAML = "holidays: [2026-04-03, 2026-04-06, 2026-05-01]\naway:\n  - {from: 2026-03-23, to: 2026-03-27}\n"

// simPerson is a stakeholder as configured: the boss and the peer of the
// demo config, and a skip-level added for the simulation.
type simPerson struct {
	name, email, role string
	cadence           int  // in workdays when workdays is set, else in days (weeks are 7 days)
	workdays          bool // the cadence (and max) count workdays
	max               int  // 0: none
}

var simPeople = []simPerson{
	{name: "Dana Whitfield", email: "dana@example.com", role: "boss", cadence: 5, workdays: true, max: 8},
	{name: "Raj Patel", email: "raj@example.com", role: "peer", cadence: 28},
	{name: "Sam Okafor", email: "sam@example.com", role: "skip", cadence: 21},
}

// simSamYAML is the skip-level's line of the stakeholders list.
const simSamYAML = `  - {name: "Sam Okafor", email: sam@example.com, role: skip, cadence: 3 weeks}`

func simPersonByEmail(email string) simPerson {
	for _, p := range simPeople {
		if p.email == email {
			return p
		}
	}
	panic("sim90: no stakeholder " + email)
}

func simPersonByName(name string) (simPerson, bool) {
	for _, p := range simPeople {
		if p.name == name {
			return p, true
		}
	}
	return simPerson{}, false
}

// Reply commands, as the user means them.
const (
	simDone   = "done"
	simSnooze = "snooze"
	simSkip   = "skip"
	simAway   = "away"
)

// simKind is what an event puts in the mailbox.
type simKind int

const (
	simUpdate simKind = iota // the user writes to a stakeholder: in Sent
	simAsk                   // a stakeholder asks the user for something: in the Inbox
	simNote                  // a stakeholder's mail that asks nothing: in the Inbox
	simOOO                   // a stakeholder's out-of-office reply: in the Inbox
	simNews                  // status mail in a project label
	simReply                 // the user answers that day's reminder: in Sent and in the Inbox
)

// simEvent is one message of the scenario, at its time.
type simEvent struct {
	at      time.Time
	kind    simKind
	who     string // the stakeholder written to or writing (not for news)
	folder  string // news: the label
	from    string // news: the author
	subject string
	body    string
	reply   string // the message this one answers (an id of another event)
	id      string // Message-ID without <>, unique in the scenario
	// simReply: the first line the user types, and what they mean by it.
	cmd   string
	days  int       // snooze: for how many days
	until time.Time // away: the last day away; ooo: the day the sender is back
}

func (e simEvent) whoName() string {
	if e.who == "" {
		return ""
	}
	return simPersonByEmail(e.who).name
}

// simScenario returns the 90 days' mail. Updates before simStart are the
// history leadup finds at its first sync. Read with the calendar: the
// reminder slot is 09:30, the digest Friday 15:00, and repeat_after 2
// workdays.
func simScenario() []simEvent {
	d := simAt
	const (
		dana, raj, sam = "dana@example.com", "raj@example.com", "sam@example.com"
	)
	ev := []simEvent{
		// History: Dana written to on Friday, Raj four weeks minus a few
		// days ago, Sam a week ago.
		{at: d(time.January, 20, 11, 0), kind: simUpdate, who: raj, id: "raj-roadmap", subject: "Zephyr and the platform roadmap",
			body: "Hi Raj,\n\nhere is where Zephyr stands ahead of your platform roadmap: 2.0 is feature-complete behind a flag, load tests start next month.\n\nAlex\n"},
		{at: d(time.February, 2, 14, 0), kind: simUpdate, who: sam, id: "sam-q1", subject: "Q1 plan for Apollo and Zephyr",
			body: "Hi Sam,\n\nthe Q1 plan in short: Apollo's checkout redesign ships in March, Zephyr 2.0 in April.\n\nAlex\n"},
		{at: d(time.February, 6, 16, 10), kind: simUpdate, who: dana, id: "dana-w6", subject: "Weekly update, week 6",
			body: "Hi Dana,\n\nApollo: checkout redesign in QA. Zephyr: 2.0 load tests planned.\n\nAlex\n"},

		// Week 7. Dana asks on Wednesday; the reminder says so on Thursday,
		// the user answers after it, and sends the weekly update on Friday.
		{at: d(time.February, 11, 14, 20), kind: simAsk, who: dana, id: "dana-ask-apollo", subject: "Apollo",
			body: "Any update on Apollo? The exec review is Thursday.\n\nThanks,\nDana\n\nSent from my iPhone\n"},
		{at: d(time.February, 12, 11, 15), kind: simUpdate, who: dana, id: "dana-re-apollo", reply: "dana-ask-apollo", subject: "Re: Apollo",
			body: "Hi Dana,\n\nApollo is on track: QA found three bugs, all fixed; the vendor decision is next week.\n\nAlex\n"},
		{at: d(time.February, 13, 16, 30), kind: simUpdate, who: dana, id: "dana-w7", subject: "Weekly update, week 7",
			body: "Hi Dana,\n\nApollo: vendor shortlist of two. Zephyr: 2.0 behind a flag.\n\nAlex\n"},

		// Week 8. Raj falls due on Wednesday: snoozed for 3 days. Dana
		// thanks the user for the update (no ask). No update on Friday.
		{at: d(time.February, 18, 10, 40), kind: simReply, cmd: simSnooze, days: 3, id: "reply-snooze", body: "Snooze 3 days please"},
		{at: d(time.February, 19, 9, 0), kind: simNote, who: dana, id: "dana-thanks", reply: "dana-w7", subject: "Re: Weekly update, week 7",
			body: "Thanks Alex, helpful. Let's go through the PSP contract in our 1:1 on Thursday.\n\nDana\n"},

		// Week 9. Monday: Dana (late) and Raj (snooze over): done in a 1:1.
		// Tuesday: Sam is due: skip. Friday's update on time, and Dana's
		// out-of-office answers it: back on Wednesday 11 March.
		{at: d(time.February, 23, 10, 25), kind: simReply, cmd: simDone, id: "reply-done-1", body: "Done, thanks!"},
		{at: d(time.February, 24, 12, 0), kind: simReply, cmd: simSkip, id: "reply-skip", body: "skip"},
		{at: d(time.February, 27, 16, 0), kind: simUpdate, who: dana, id: "dana-w9", subject: "Weekly update, week 9",
			body: "Hi Dana,\n\nApollo: Paylane picked, contract with legal. Zephyr: load tests at 3x peak passed.\n\nAlex\n"},
		{at: d(time.February, 27, 16, 1), kind: simOOO, who: dana, id: "dana-ooo", reply: "dana-w9", subject: "Automatic reply: Weekly update, week 9",
			until: d(time.March, 11, 0, 0),
			body:  "Thank you for your message. I am out of the office until Wednesday 11 March with limited access to email.\n\nDana Whitfield\n"},

		// Week 10. Raj asks on Tuesday, the user answers on Thursday. The
		// Apollo label has bad news, resolved two days later.
		{at: d(time.March, 3, 10, 15), kind: simNews, folder: "Status/Apollo", from: "Priya Sharma <priya.sharma@example.com>", id: "apollo-blocked",
			subject: "Apollo: blocked on the legal review of the PSP contract",
			body:    "Hi all,\n\nwe're blocked: legal has not reviewed the PSP contract, and Paylane won't issue sandbox keys without it.\n\nPriya\n"},
		{at: d(time.March, 3, 15, 30), kind: simAsk, who: raj, id: "raj-ask-cost", subject: "Zephyr cost numbers",
			body: "Hi Alex,\n\nCan you send me the Zephyr cost numbers before Friday?\n\nCheers,\nRaj\n"},
		{at: d(time.March, 5, 9, 10), kind: simUpdate, who: raj, id: "raj-re-cost", reply: "raj-ask-cost", subject: "Re: Zephyr cost numbers",
			body: "Hi Raj,\n\n3.20 EUR per million requests on 2.0, down from 4.10.\n\nAlex\n"},
		{at: d(time.March, 5, 12, 0), kind: simNews, folder: "Status/Apollo", from: "Priya Sharma <priya.sharma@example.com>", id: "apollo-unblocked",
			reply: "apollo-blocked", subject: "Re: Apollo: blocked on the legal review of the PSP contract",
			body: "Legal approved the PSP contract this morning; the sandbox keys arrived an hour later. We're unblocked and on track.\n\nPriya\n"},

		// Week 11. Dana is due from Monday but out of office until
		// Wednesday; red from Thursday; the update comes Thursday evening.
		{at: d(time.March, 12, 17, 45), kind: simUpdate, who: dana, id: "dana-w10-11", subject: "Weekly update, weeks 10 and 11",
			body: "Hi Dana,\n\nwelcome back. Apollo: unblocked, sandbox keys in. Zephyr: canary at 5%.\n\nAlex\n"},

		// Week 12. Sam's skip ends on Tuesday: the user writes to Sam. Dana
		// due on Friday: "done" after a 1:1, before the week off.
		{at: d(time.March, 17, 14, 0), kind: simUpdate, who: sam, id: "sam-before-off", subject: "Apollo and Zephyr before my week off",
			body: "Hi Sam,\n\nbefore my week off: Apollo is unblocked, Zephyr's canary is healthy.\n\nAlex\n"},
		{at: d(time.March, 20, 10, 30), kind: simReply, cmd: simDone, id: "reply-done-2", body: "Done - told her in our 1:1"},

		// Week 13, away (config). Dana asks on Wednesday; the reminder
		// waits for Monday, after the switch to summer time.
		{at: d(time.March, 25, 11, 0), kind: simAsk, who: dana, id: "dana-ask-launch", subject: "Zephyr launch date",
			body: "Hi Alex,\n\nCould you send me the new Zephyr launch date when you are back?\n\nDana\n"},
		{at: d(time.March, 30, 16, 0), kind: simUpdate, who: dana, id: "dana-re-launch", reply: "dana-ask-launch", subject: "Re: Zephyr launch date",
			body: "Hi Dana,\n\nZephyr 2.0 goes to 100% on 21 April.\n\nAlex\n"},

		// Weeks 14-15: Easter. The weekly update on Friday 10 April; Raj
		// written to on Monday before the slot.
		{at: d(time.April, 10, 16, 20), kind: simUpdate, who: dana, id: "dana-w15", subject: "Weekly update, week 15",
			body: "Hi Dana,\n\nApollo: payments integration done. Zephyr: 50% on Monday.\n\nAlex\n"},
		{at: d(time.April, 13, 9, 0), kind: simUpdate, who: raj, id: "raj-after-easter", subject: "Zephyr after Easter",
			body: "Hi Raj,\n\nZephyr 2.0 goes to 50% today; Amara's load tests made the difference.\n\nAlex\n"},

		// Week 16. Sam due on Wednesday: done. Dana asks on Thursday, the
		// user answers on Friday after the reminder.
		{at: d(time.April, 15, 10, 20), kind: simReply, cmd: simDone, id: "reply-done-3", body: "done"},
		{at: d(time.April, 16, 13, 0), kind: simAsk, who: dana, id: "dana-ask-atlas", subject: "Atlas migration",
			body: "Where are we on the Atlas migration? I need it for my staff meeting on Friday.\n\nDana\n"},
		{at: d(time.April, 17, 11, 0), kind: simUpdate, who: dana, id: "dana-re-atlas", reply: "dana-ask-atlas", subject: "Re: Atlas migration",
			body: "Hi Dana,\n\nAtlas: the migration plan is written, the dry run is on 4 May.\n\nAlex\n"},

		// Week 17. Raj asks on Tuesday; to Wednesday's reminder the user
		// answers "away until Friday 24 April". Raj answered on Tuesday 28.
		{at: d(time.April, 21, 16, 0), kind: simAsk, who: raj, id: "raj-ask-review", subject: "Zephyr before the review",
			body: "Hi Alex,\n\nCould you send me the latest on Zephyr before the review?\n\nRaj\n"},
		{at: d(time.April, 22, 10, 30), kind: simReply, cmd: simAway, until: d(time.April, 24, 0, 0), id: "reply-away", body: "Away until Friday 24 April"},
		{at: d(time.April, 28, 14, 0), kind: simUpdate, who: raj, id: "raj-re-review", reply: "raj-ask-review", subject: "Re: Zephyr before the review",
			body: "Hi Raj,\n\nZephyr 2.0 is at 100% since Tuesday: p95 latency down 30%.\n\nAlex\n"},

		// Weeks 18-19: 1 May. Dana's update comes only on Wednesday 6 May.
		{at: d(time.May, 6, 13, 0), kind: simUpdate, who: dana, id: "dana-w18-19", subject: "Weekly update, weeks 18 and 19",
			body: "Hi Dana,\n\nApollo: cutover done. Zephyr: 1.x code removed. Atlas: dry run on Monday.\n\nAlex\n"},
	}
	// Routine status mail: Apollo on Mondays, Zephyr on Wednesdays.
	for day := simStart; day.Before(simStart.AddDate(0, 0, simDays)); day = day.AddDate(0, 0, 1) {
		_, wk := day.ISOWeek()
		switch day.Weekday() {
		case time.Monday:
			ev = append(ev, simEvent{at: day.Add(11*time.Hour + 5*time.Minute), kind: simNews, folder: "Status/Apollo", from: "Tom Becker <tom.becker@example.com>",
				id: fmt.Sprintf("apollo-w%d", wk), subject: fmt.Sprintf("Apollo sprint notes, week %d", wk),
				body: "Hi all,\n\nthis week: checkout polish, payment tests, and the release checklist. Demo on Friday.\n\nTom\n"})
		case time.Wednesday:
			ev = append(ev, simEvent{at: day.Add(16*time.Hour + 10*time.Minute), kind: simNews, folder: "Status/Zephyr", from: "Lena Fischer <lena.fischer@example.com>",
				id: fmt.Sprintf("zephyr-w%d", wk), subject: fmt.Sprintf("Zephyr weekly, week %d", wk),
				body: "Hi all,\n\nrollout steady, error rate flat, no customer tickets.\n\nLena\n"})
		}
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].at.Before(ev[j].at) })
	return ev
}

// simFolders are the folders the scenario's config reads.
var simFolders = []string{"INBOX", "Sent", "Drafts", "Status/Apollo", "Status/Zephyr", "Status/Atlas"}

// simRaw renders an event as RFC 5322 text (CRLF), from or to me. A reply
// threads under parent (the reminder's Message-ID, with <>).
func simRaw(e simEvent, me, parent, parentSubject string) (folders []string, raw []byte) {
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("Message-ID", "<"+e.id+"@sim90.example.com>")
	h("Date", e.at.Format(time.RFC1123Z))
	meAddr := (&mail.Address{Name: "Alex Doe", Address: me}).String()
	person := ""
	if e.who != "" {
		p := simPersonByEmail(e.who)
		person = (&mail.Address{Name: p.name, Address: p.email}).String()
	}
	subject := e.subject
	switch e.kind {
	case simUpdate:
		folders = []string{"Sent"}
		h("From", meAddr)
		h("To", person)
	case simAsk, simNote, simOOO:
		folders = []string{"INBOX"}
		h("From", person)
		h("To", meAddr)
	case simNews:
		folders = []string{e.folder}
		h("From", e.from)
		h("To", "Team <team@example.com>")
		h("Cc", meAddr)
	case simReply:
		// The user's client files the reply in Sent, and the provider
		// delivers it to the Inbox: the same message twice.
		folders = []string{"Sent", "INBOX"}
		h("From", meAddr)
		h("To", meAddr)
		subject = "Re: " + parentSubject
	}
	h("Subject", mime.QEncoding.Encode("UTF-8", subject))
	switch {
	case e.kind == simReply:
		h("In-Reply-To", parent)
		h("References", parent)
	case e.reply != "":
		h("In-Reply-To", "<"+e.reply+"@sim90.example.com>")
		h("References", "<"+e.reply+"@sim90.example.com>")
	}
	if e.kind == simOOO {
		h("Auto-Submitted", "auto-replied")
		h("X-Auto-Response-Suppress", "All")
	}
	h("MIME-Version", "1.0")
	h("Content-Type", `text/plain; charset="UTF-8"`)
	h("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	body := e.body
	if e.kind == simReply {
		body = e.body + "\n\nOn " + e.at.Format("Mon, 2 Jan 2006") + ", leadup <" + me + "> wrote:\n> leadup reminder\n> Check in with: ...\n"
	}
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	return folders, []byte(b.String())
}

// simWorld is the mail servers and the App a simulation runs against.
type simWorld interface {
	// appendMsg puts a message in a folder with its internal date.
	appendMsg(t *testing.T, folder string, raw []byte, at time.Time)
	// cycle sets the clock to now and runs one cycle.
	cycle(t *testing.T, now time.Time) CycleReport
	// delivered returns every mail leadup sent that has arrived, raw; the
	// mail with the Message-IDs in wait (without <>) is waited for first.
	delivered(t *testing.T, wait []string) [][]byte
	// settle waits until nothing leadup sent is still on its way.
	settle(t *testing.T)
	// drafts counts the messages in Drafts.
	drafts(t *testing.T) int
	app() *App
}

// simMail is one mail leadup delivered, as read back.
type simMail struct {
	at      time.Time // its Date header: when the cycle sent it
	kind    string    // X-Leadup
	id      string    // Message-ID, with <>
	subject string
	text    string   // the text/plain part
	names   []string // a reminder's stakeholders, in its order
	lines   []string // a reminder's "N. Name: why" lines
}

// reminderLine is a person's line of a reminder (templates/reminder.txt.tmpl):
// "1. Dana Whitfield (boss): asked on …".
var reminderLine = regexp.MustCompile(`^\d+\. (.+?)(?: \([a-z]+\))?: `)

// readSimMail parses one delivered mail with go-message (not leadup's own
// parser): headers, the plain-text part, and a reminder's people.
func readSimMail(t *testing.T, raw []byte) simMail {
	t.Helper()
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read a delivered mail: %v\n%s", err, raw)
	}
	var m simMail
	m.kind = mr.Header.Get("X-Leadup")
	m.id = mr.Header.Get("Message-Id")
	if m.at, err = mr.Header.Date(); err != nil {
		t.Fatalf("delivered mail %s: Date: %v", m.id, err)
	}
	if m.subject, err = mr.Header.Subject(); err != nil {
		t.Fatalf("delivered mail %s: Subject: %v", m.id, err)
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("delivered mail %s: %v", m.id, err)
		}
		if h, ok := p.Header.(*gomail.InlineHeader); ok {
			if ct, _, _ := h.ContentType(); ct == "text/plain" && m.text == "" {
				b, _ := io.ReadAll(p.Body)
				m.text = strings.ReplaceAll(string(b), "\r\n", "\n")
			}
		}
	}
	if m.kind == store.OutReminder {
		in := false
		for _, l := range strings.Split(m.text, "\n") {
			switch {
			case strings.HasPrefix(l, "Check in with:"):
				in = true
			case in && strings.HasPrefix(l, "--"):
				in = false
			case in:
				if g := reminderLine.FindStringSubmatch(l); g != nil {
					m.names = append(m.names, g[1])
					m.lines = append(m.lines, strings.TrimSpace(l))
				}
			}
		}
	}
	return m
}

// simRun is what a simulation did and saw.
type simRun struct {
	hours   string // which hours had a cycle, for the report
	cycles  []time.Time
	events  []simEvent
	mails   []simMail              // everything delivered, by Date
	keys    map[string][]time.Time // reminder and digest keys -> the cycles that reported sending them
	replied map[string]simMail     // reply event id -> the reminder it answered
	applied int                    // replies applied, summed over the cycles
	drafts  int
}

// runSim90 drives w through the 90 days, a cycle at every hour for which
// hour says so. Each message is appended before the first cycle at or
// after its time, as if it had just arrived.
func runSim90(t *testing.T, w simWorld, hour func(time.Time) bool, hours string) *simRun {
	t.Helper()
	ctx := context.Background()
	me := w.app().cfg.Me.Email
	run := &simRun{hours: hours, events: simScenario(), keys: map[string][]time.Time{}, replied: map[string]simMail{}}
	next := 0
	var seen []simMail
	put := func(e simEvent) {
		parent, parentSubject := "", ""
		if e.kind == simReply {
			// The reminder of that day, before the reply: the user answers
			// what they got.
			for _, m := range seen {
				if m.kind == store.OutReminder && simDay(m.at).Equal(simDay(e.at)) && m.at.Before(e.at) {
					parent, parentSubject = m.id, m.subject
					run.replied[e.id] = m
				}
			}
			if parent == "" {
				t.Fatalf("scenario: the reply %q of %s answers that day's reminder, but none was delivered that day", e.body, e.at.Format("Mon 2 Jan 15:04"))
			}
		}
		folders, raw := simRaw(e, me, parent, parentSubject)
		for _, f := range folders {
			w.appendMsg(t, f, raw, e.at)
		}
	}
	for ; next < len(run.events) && run.events[next].at.Before(simStart); next++ {
		put(run.events[next])
	}
	for h := 0; h < simDays*24; h++ {
		now := simStart.Add(time.Duration(h) * time.Hour)
		if !hour(now) {
			continue
		}
		for ; next < len(run.events) && !run.events[next].at.After(now); next++ {
			put(run.events[next])
		}
		rep := w.cycle(t, now)
		run.cycles = append(run.cycles, now)
		run.applied += rep.Replies
		var wait []string
		for _, k := range []string{rep.Reminder, rep.Digest} {
			if k == "" {
				continue
			}
			run.keys[k] = append(run.keys[k], now)
			row, err := w.app().st.OutboxByKey(ctx, k)
			if err != nil {
				t.Fatalf("%s: the cycle reported %s sent: %v", now, k, err)
			}
			wait = append(wait, row.MessageID)
		}
		if len(wait) > 0 {
			seen = seen[:0]
			for _, raw := range w.delivered(t, wait) {
				seen = append(seen, readSimMail(t, raw))
			}
		}
	}
	if next != len(run.events) {
		t.Fatalf("scenario: %d events after the last cycle", len(run.events)-next)
	}
	w.settle(t)
	for _, raw := range w.delivered(t, nil) {
		run.mails = append(run.mails, readSimMail(t, raw))
	}
	sort.SliceStable(run.mails, func(i, j int) bool { return run.mails[i].at.Before(run.mails[j].at) })
	run.drafts = w.drafts(t)
	return run
}

// simDay is local midnight of t's day.
func simDay(t time.Time) time.Time {
	y, m, d := t.In(simLoc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, simLoc)
}

func simNextDay(d time.Time) time.Time {
	y, m, dd := d.In(simLoc).Date()
	return time.Date(y, m, dd+1, 0, 0, 0, 0, simLoc)
}

// simCal is the user's calendar as leadup should know it at some moment:
// the config's holidays and away week, plus the days of the "away until"
// replies leadup has read by then.
type simCal struct{ away [][2]time.Time } // extra away ranges, first and last day

func (c simCal) holiday(d time.Time) bool {
	return slices.ContainsFunc(simHolidays, func(h time.Time) bool { return h.Equal(simDay(d)) })
}

func (c simCal) awayDay(d time.Time) bool {
	d = simDay(d)
	if !d.Before(simAwayFrom) && !d.After(simAwayTo) {
		return true
	}
	for _, r := range c.away {
		if !d.Before(r[0]) && !d.After(r[1]) {
			return true
		}
	}
	return false
}

func (c simCal) weekend(d time.Time) bool {
	wd := d.In(simLoc).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// workday: Monday to Friday, not a holiday, not away.
func (c simCal) workday(d time.Time) bool { return !c.weekend(d) && !c.holiday(d) && !c.awayDay(d) }

// add moves t on by n counting days at t's wall time. Workdays count for a
// workday cadence; for one in days or weeks every day counts but holidays
// and away days (DESIGN.md: "holidays and away days never count"; weekends
// do, as calendar/workdays.go says). So "5 workdays" after Friday 16:10 is
// the next Friday 16:10, summer time or not.
func (c simCal) add(t time.Time, n int, workdays bool) time.Time {
	lt := t.In(simLoc)
	d := simDay(t)
	for n > 0 {
		d = simNextDay(d)
		if workdays && c.workday(d) || !workdays && !c.holiday(d) && !c.awayDay(d) {
			n--
		}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), lt.Hour(), lt.Minute(), 0, 0, simLoc)
}

// simPause holds back reminders about one stakeholder from..until.
type simPause struct {
	email       string
	from, until time.Time
	why         string
}

// simState is what leadup should know about the stakeholders at one cycle.
type simState struct {
	at     time.Time
	cal    simCal
	last   map[string]time.Time // the last update per stakeholder
	asks   map[string][]simEvent
	pauses []simPause
}

// simStateAt replays the scenario up to the cycle at c. Replies act on the
// reminder they answered as it was delivered (run.replied): "done" is an
// update to everyone it named, at the reply's time; "snooze N days" pauses
// them until the start of the day N counting days later; "skip" until the
// start of the day their cadence later; "away until D" makes the days
// from the reply's to D away days (no reminders, clocks stand still) and
// holds everything back until then. Snooze and skip are counted on the
// calendar of the config (daemon/replies.go passes cfg.Calendar to
// ParseReplyFor and Apply). An out-of-office reply holds its sender back
// until the day it names.
func simStateAt(run *simRun, c time.Time) simState {
	st := simState{at: c, last: map[string]time.Time{}, asks: map[string][]simEvent{}}
	cfgCal := simCal{}
	for _, e := range run.events {
		if e.at.After(c) {
			break
		}
		switch e.kind {
		case simUpdate:
			st.last[e.who] = e.at
		case simAsk:
			st.asks[e.who] = append(st.asks[e.who], e)
		case simOOO:
			st.pauses = append(st.pauses, simPause{email: e.who, from: e.at, until: e.until, why: "out of office"})
		case simReply:
			rem := run.replied[e.id]
			for _, name := range rem.names {
				p, _ := simPersonByName(name)
				switch e.cmd {
				case simDone:
					st.last[p.email] = e.at
				case simSnooze:
					st.pauses = append(st.pauses, simPause{email: p.email, from: e.at, until: simDay(cfgCal.add(e.at, e.days, false)), why: "snoozed"})
				case simSkip:
					st.pauses = append(st.pauses, simPause{email: p.email, from: e.at, until: simDay(cfgCal.add(e.at, p.cadence, p.workdays)), why: "skipped"})
				}
			}
			if e.cmd == simAway {
				st.cal.away = append(st.cal.away, [2]time.Time{simDay(e.at), e.until})
				for _, p := range simPeople {
					st.pauses = append(st.pauses, simPause{email: p.email, from: e.at, until: simNextDay(e.until), why: "away"})
				}
			}
		}
	}
	return st
}

// openAsks are p's asks since the last update, up to by.
func (st simState) openAsks(email string, by time.Time) []simEvent {
	var out []simEvent
	for _, a := range st.asks[email] {
		if a.at.After(st.last[email]) && !a.at.After(by) {
			out = append(out, a)
		}
	}
	return out
}

func (st simState) paused(email string) (string, bool) {
	for _, p := range st.pauses {
		if p.email == email && !p.from.After(st.at) && st.at.Before(p.until) {
			return p.why, true
		}
	}
	return "", false
}

// simSlot is one day's reminder slot, 09:30, and the cycle that acts on
// it: the first at or after it.
type simSlot struct {
	day, slot, cycle time.Time
}

func (r *simRun) slots() []simSlot {
	var out []simSlot
	for day := simStart; day.Before(simStart.AddDate(0, 0, simDays)); day = simNextDay(day) {
		s := simSlot{day: day, slot: day.Add(9*time.Hour + 30*time.Minute)}
		for _, c := range r.cycles {
			if !c.Before(s.slot) {
				s.cycle = c
				break
			}
		}
		out = append(out, s)
	}
	return out
}

// simWant is who the reminder of a day should name, and why.
type simWant struct {
	names []string
	why   map[string]string
}

// expectReminder says who leadup should remind the user of at the slot,
// by DESIGN.md's rules, given the reminders it sent before (prev: the
// delivered reminders before this day):
//
//   - a reminder goes out on a workday at the first cycle at or after
//     09:30, at most one a day, and names everyone due then (never one
//     mail per person);
//   - due: the cadence since the last update has run out by the slot (as
//     counted by add), or an ask arrived after the last update and by the
//     slot (an ask is open until the user writes to that person);
//     updates up to the cycle count, so a 09:45 update silences a 10:00
//     reminder (nudge.Plan decides "as of the slot", with the updates up
//     to now);
//   - a due stakeholder is named the first time after their last update;
//     again once repeat_after (2 workdays) has passed since the last
//     reminder that named them, or when they turned red (max) since, or
//     when an ask came that no reminder showed yet;
//   - a paused stakeholder (snooze, skip, out of office) is named only
//     for an ask no reminder showed yet; while away nobody is.
func expectReminder(run *simRun, s simSlot, prev []simMail) (simWant, bool) {
	st := simStateAt(run, s.cycle)
	if s.cycle.IsZero() || !st.cal.workday(s.day) {
		return simWant{}, false
	}
	want := simWant{why: map[string]string{}}
	for _, p := range simPeople {
		last := st.last[p.email]
		due := st.cal.add(last, p.cadence, p.workdays)
		cadenceDue := !due.After(s.slot)
		red := p.max > 0 && !st.cal.add(last, p.max, p.workdays).After(s.slot)
		asks := st.openAsks(p.email, s.slot)
		// Shown: the asks open when an earlier reminder named p.
		shown := map[string]bool{}
		var lastNamed time.Time
		for _, m := range prev {
			if slices.Contains(m.names, p.name) {
				for _, a := range st.openAsks(p.email, m.at) {
					shown[a.id] = true
				}
				if m.at.After(last) {
					lastNamed = m.at
				}
			}
		}
		newAsk := slices.ContainsFunc(asks, func(a simEvent) bool { return !shown[a.id] })
		why := ""
		_, paused := st.paused(p.email)
		switch {
		case paused:
			if newAsk {
				why = "new ask (paused)"
			}
		case !cadenceDue && len(asks) == 0:
		case newAsk:
			why = "new ask"
		case lastNamed.IsZero():
			why = "due"
		case !simDay(s.slot).Before(simDay(st.cal.add(lastNamed, 2, true))):
			why = "repeat"
		case red && st.cal.add(last, p.max, p.workdays).After(lastNamed):
			why = "turned red"
		}
		if why != "" {
			want.names = append(want.names, p.name)
			want.why[p.name] = why
		}
	}
	return want, len(want.names) > 0
}

// simDigestWant lists when the digests should go out: each Friday 15:00
// slot, moved to the next workday (same time) when it is a day off, at
// the first cycle at or after that; slots that land together go out once.
// Slots before leadup's first cycle are not sent.
func (r *simRun) digestWant() []time.Time {
	var out []time.Time
	for day := simStart; day.Before(simStart.AddDate(0, 0, simDays)); day = simNextDay(day) {
		if day.Weekday() != time.Friday {
			continue
		}
		slot := day.Add(15 * time.Hour)
		st := simStateAt(r, slot)
		for !st.cal.workday(slot) {
			slot = simNextDay(slot).Add(15 * time.Hour)
		}
		var at time.Time
		for _, c := range r.cycles {
			if !c.Before(slot) {
				at = c
				break
			}
		}
		if !at.IsZero() && !slices.ContainsFunc(out, at.Equal) {
			out = append(out, at)
		}
	}
	return out
}

// checkSim90 checks the run against the promises and returns the day-by-day
// log.
func checkSim90(t *testing.T, run *simRun) string {
	t.Helper()
	// No mail twice: every Message-ID once, every key sent by one cycle.
	ids := map[string]bool{}
	for _, m := range run.mails {
		if ids[m.id] {
			t.Errorf("Message-ID %s delivered twice", m.id)
		}
		ids[m.id] = true
		if m.kind != store.OutReminder && m.kind != store.OutDigest {
			t.Errorf("%s: a %q mail %q: every reply of the scenario should have been understood", m.at.Format("Mon 2 Jan 15:04"), m.kind, m.subject)
		}
	}
	for k, cs := range run.keys {
		if len(cs) != 1 {
			t.Errorf("%s reported sent by %d cycles: %v", k, len(cs), cs)
		}
	}
	if replies := countKind(run.events, simReply); run.applied != replies {
		t.Errorf("%d replies applied, want each of the %d once", run.applied, replies)
	}

	var reminders, digests []simMail
	for _, m := range run.mails {
		switch m.kind {
		case store.OutReminder:
			reminders = append(reminders, m)
		case store.OutDigest:
			digests = append(digests, m)
		}
	}
	byDay := map[time.Time][]simMail{}
	for _, m := range reminders {
		byDay[simDay(m.at)] = append(byDay[simDay(m.at)], m)
	}

	// Reminders, day by day.
	var prev []simMail
	for _, s := range run.slots() {
		got := byDay[s.day]
		if len(got) > 1 {
			t.Errorf("%s: %d reminders, at most one a day", s.day.Format("Mon 2 Jan"), len(got))
		}
		for _, m := range got {
			// A day off as leadup knew it then: an "away until" reply
			// later that day makes the day away from then on.
			if st := simStateAt(run, m.at); !st.cal.workday(s.day) {
				t.Errorf("%s: a reminder on a day off (%s)", s.day.Format("Mon 2 Jan"), simDayTag(st.cal, s.day))
			}
			if !m.at.Equal(s.cycle) {
				t.Errorf("%s: the reminder went out at %s, want the first cycle at or after 09:30 (%s)", s.day.Format("Mon 2 Jan"), m.at.Format("15:04"), s.cycle.Format("15:04"))
			}
			// "No reminder inside a cadence that nothing broke": everyone
			// named is due by cadence or has an open ask.
			at := simStateAt(run, m.at)
			for _, name := range m.names {
				p, ok := simPersonByName(name)
				if !ok {
					t.Errorf("%s: the reminder names %q, no stakeholder", s.day.Format("Mon 2 Jan"), name)
					continue
				}
				last := at.last[p.email]
				due := at.cal.add(last, p.cadence, p.workdays)
				if due.After(s.slot) && len(at.openAsks(p.email, s.slot)) == 0 {
					t.Errorf("%s: %s named inside the cadence with nothing open: last update %s, due %s",
						s.day.Format("Mon 2 Jan"), name, last.Format("Mon 2 Jan 15:04"), due.Format("Mon 2 Jan 15:04"))
				}
			}
		}
		want, ok := expectReminder(run, s, prev)
		var names []string
		if len(got) > 0 {
			names = got[0].names
		}
		switch {
		case !ok && len(got) > 0:
			t.Errorf("%s: a reminder about %v, when nobody was due", s.day.Format("Mon 2 Jan"), names)
		case ok && len(got) == 0:
			t.Errorf("%s: no reminder, want one about %v (%v)", s.day.Format("Mon 2 Jan"), want.names, want.why)
		case ok && !sameSet(names, want.names):
			t.Errorf("%s: the reminder names %v, want %v (%v)", s.day.Format("Mon 2 Jan"), names, want.names, want.why)
		}
		if len(got) > 0 {
			prev = append(prev, got[0])
		}
	}

	// One digest a week, at its slot or the next workday's.
	wantDigests := run.digestWant()
	var gotDigests []time.Time
	for _, m := range digests {
		gotDigests = append(gotDigests, m.at)
	}
	if !slices.EqualFunc(gotDigests, wantDigests, time.Time.Equal) {
		t.Errorf("digests at\n  %v\nwant\n  %v", fmtTimes(gotDigests), fmtTimes(wantDigests))
	}
	if run.drafts != len(digests) {
		t.Errorf("%d drafts for %d digests: want one each (draft_for: boss)", run.drafts, len(digests))
	}
	return simLog(run, byDay, digests)
}

func countKind(ev []simEvent, k simKind) int {
	n := 0
	for _, e := range ev {
		if e.kind == k {
			n++
		}
	}
	return n
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func fmtTimes(ts []time.Time) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Format("Mon 2 Jan 15:04"))
	}
	return strings.Join(s, ", ")
}

func simDayTag(c simCal, d time.Time) string {
	switch {
	case c.holiday(d):
		return "holiday"
	case c.awayDay(d) && !d.Before(simAwayFrom) && !d.After(simAwayTo):
		return "away (config)"
	case c.awayDay(d):
		return "away (reply)"
	case c.weekend(d):
		return "weekend"
	}
	return ""
}

// simLog is the day-by-day log: what the user did and got. The same for
// every driver that runs the cycles the mail goes out at.
func simLog(run *simRun, byDay map[time.Time][]simMail, digests []simMail) string {
	var b strings.Builder
	fmt.Fprintf(&b, "90 days in Europe/Berlin from %s: reminders at 09:30 (repeat after 2 workdays), digest Fri 15:00\n", simStart.Format("Mon 2 Jan 2006"))
	fmt.Fprintf(&b, "holidays 3 Apr, 6 Apr, 1 May; away 23-27 Mar; summer time from Sun 29 Mar\n")
	fmt.Fprintf(&b, "Dana Whitfield (boss) 5 workdays, max 8; Raj Patel (peer) 4 weeks; Sam Okafor (skip) 3 weeks\n")
	fmt.Fprintf(&b, "away (reply): the days of an \"away until\" reply, from the day it was sent\n\n")
	end := simStateAt(run, simStart.AddDate(0, 0, simDays))
	for day := simStart; day.Before(simStart.AddDate(0, 0, simDays)); day = simNextDay(day) {
		type line struct {
			at   time.Time
			text string
		}
		var lines []line
		for _, e := range run.events {
			if !simDay(e.at).Equal(day) {
				continue
			}
			switch e.kind {
			case simUpdate:
				lines = append(lines, line{e.at, fmt.Sprintf("you -> %s: %s", e.whoName(), e.subject)})
			case simAsk:
				lines = append(lines, line{e.at, fmt.Sprintf("%s asks: %s", e.whoName(), simFirstLine(e.body))})
			case simNote:
				lines = append(lines, line{e.at, fmt.Sprintf("%s writes (no ask): %s", e.whoName(), simFirstLine(e.body))})
			case simOOO:
				lines = append(lines, line{e.at, fmt.Sprintf("%s auto-replies: %s", e.whoName(), simFirstLine(e.body))})
			case simReply:
				lines = append(lines, line{e.at, fmt.Sprintf("you reply to the reminder: %q", e.body)})
			}
		}
		for _, m := range byDay[day] {
			lines = append(lines, line{m.at, "REMINDER " + m.subject})
			for _, l := range m.lines {
				lines = append(lines, line{m.at, "         " + l})
			}
		}
		for _, m := range digests {
			if simDay(m.at).Equal(day) {
				text := "DIGEST   " + m.subject
				if simStateAt(run, m.at).cal.awayDay(day) {
					text += " [on an away day]"
				}
				lines = append(lines, line{m.at, text})
			}
		}
		sort.SliceStable(lines, func(i, j int) bool { return lines[i].at.Before(lines[j].at) })
		head := day.Format("Mon 02 Jan")
		if tag := simDayTag(end.cal, day); tag != "" {
			head += " (" + tag + ")"
		}
		b.WriteString(head + "\n")
		for _, l := range lines {
			fmt.Fprintf(&b, "  %s %s\n", l.at.Format("15:04"), l.text)
		}
	}
	return b.String()
}

func simFirstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Hi ") {
			return l
		}
	}
	return ""
}
