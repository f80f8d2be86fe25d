package demo

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"github.com/leadup/leadup/daemon/internal/textwrap"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"
	_ "time/tzdata" // the demo runs on machines without a zoneinfo database

	"golang.org/x/text/encoding/charmap"
)

// Seeded is one message to put in the demo mailbox.
type Seeded struct {
	Folder string    // "INBOX", "Sent", "Drafts" or a project label such as "Status/Apollo"
	Raw    []byte    // the whole RFC 5322 message, CRLF line ends
	Date   time.Time // the IMAP internal date (same as the Date header)
	Flags  []string  // e.g. `\Seen`
}

// The demo's people. The user, their boss and the boss's peer are the ones
// the demo configuration names; everyone else is a colleague or a machine.
const (
	UserName  = "Alex Doe"
	UserEmail = "alex@example.com"
	// UserAlias is the user's second address: one older update to the boss
	// went out from it, so a config without `aliases: [alex.doe@example.com]`
	// misses one week of the chart.
	UserAlias = "alex.doe@example.com"

	BossName  = "Dana Whitfield" // role boss, cadence 5 workdays, max 8 workdays, style detailed
	BossEmail = "dana@example.com"
	PeerName  = "Raj Patel" // role peer, cadence 4 weeks
	PeerEmail = "raj@example.com"
)

// Projects are the demo's projects and the labels their status mail is in.
var Projects = []struct{ Name, Label string }{
	{"Apollo", "Status/Apollo"},
	{"Zephyr", "Status/Zephyr"},
	{"Atlas", "Status/Atlas"},
}

// berlin is the demo user's zone: all dates are written in it.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is embedded: cannot happen
	}
	return loc
}()

// Now is the demo's fixed time: Friday 20 November 2026 at 15:00 in Berlin,
// the digest slot, with the 09:30 reminder slot already passed that day.
var Now = time.Date(2026, time.November, 20, 15, 0, 0, 0, berlin)

// Folders lists every folder Mailbox uses, Sent and Drafts included (Drafts
// starts empty: it is where the digest's draft for the boss goes).
func Folders() []string {
	fs := []string{"INBOX", "Sent", "Drafts"}
	for _, p := range Projects {
		fs = append(fs, p.Label)
	}
	return fs
}

// Addresses of the people in the demo, as they appear in headers.
const (
	alex    = `Alex Doe <alex@example.com>`
	dana    = `Dana Whitfield <dana@example.com>`
	raj     = `Raj Patel <raj@example.com>`
	priya   = `Priya Sharma <priya.sharma@example.com>`
	tom     = `Tom Becker <tom.becker@example.com>`
	marco   = `"Rossi, Marco" <marco.rossi@example.com>`
	lena    = `Lena Fischer <lena.fischer@example.com>`
	zoe     = `=?UTF-8?Q?Zo=C3=AB_Martin?= <zoe.martin@example.com>`
	soren   = `=?iso-8859-1?Q?S=F8ren_Nielsen?= <soren.nielsen@example.com>`
	kenji   = `Kenji Sato <kenji.sato@example.com>`
	apollo  = `Apollo team <apollo-team@example.com>`
	zephyr  = `Zephyr team <zephyr-team@example.com>`
	jira    = `Jira <jira@example.atlassian.net>`
	vendor  = `Paylane Partner Support <partners@paylane.example>`
	allEng  = `Engineering <engineering@example.com>`
	greta   = `Greta Holm <greta.holm@example.com>`
	people  = `People Team <people@example.com>`
	letter  = `Engineering Leadership Weekly <newsletter@leadweekly.example.net>`
	seen    = `\Seen`
	replied = `\Answered`
)

// seedMsg is one message before it is rendered.
type seedMsg struct {
	folder  string
	id      string // Message-ID without <>
	at      time.Time
	from    string
	to, cc  string
	subject string
	parents []*seedMsg // the thread above it, oldest first: References, and In-Reply-To the last
	extra   []string   // more header lines
	ctype   string     // default text/plain; charset=UTF-8
	cte     string     // "", "quoted-printable" or "base64"
	body    string     // UTF-8 with \n line ends (encoded to ctype's charset)
	flags   []string
}

// render builds the RFC 5322 text with CRLF line ends.
func (m *seedMsg) render() []byte {
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("Message-ID", "<"+m.id+">")
	h("Date", m.at.In(berlin).Format(time.RFC1123Z))
	h("From", m.from)
	h("To", m.to)
	if m.cc != "" {
		h("Cc", m.cc)
	}
	h("Subject", mime.QEncoding.Encode("UTF-8", m.subject))
	if n := len(m.parents); n > 0 {
		refs := make([]string, n)
		for i, p := range m.parents {
			refs[i] = "<" + p.id + ">"
		}
		h("In-Reply-To", refs[n-1])
		h("References", strings.Join(refs, "\r\n "))
	}
	for _, x := range m.extra {
		b.WriteString(x + "\r\n")
	}
	ctype := m.ctype
	if ctype == "" {
		ctype = `text/plain; charset="UTF-8"`
	}
	h("MIME-Version", "1.0")
	h("Content-Type", ctype)
	text := m.body
	if !strings.Contains(ctype, "html") {
		text = hardWrap(text, wrapWidth) // as a mail client sends plain text
	}
	body := []byte(strings.ReplaceAll(text, "\n", "\r\n"))
	if strings.Contains(ctype, "windows-1252") {
		body, _ = charmap.Windows1252.NewEncoder().Bytes(body) // the text is chosen to fit
	}
	switch m.cte {
	case "base64":
		h("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		enc := base64.StdEncoding.EncodeToString(body)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	case "quoted-printable":
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		w := quotedprintable.NewWriter(&b)
		w.Write(body)
		w.Close()
		b.WriteString("\r\n")
	default:
		h("Content-Transfer-Encoding", "8bit")
		b.WriteString("\r\n")
		b.Write(body)
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

// wrapWidth is where the seeded plain-text mail is wrapped, as Gmail,
// Outlook and Thunderbird wrap plain text (72 to 78 columns).
const wrapWidth = 72

// hardWrap breaks every line longer than width at spaces, as a mail
// client does on send: a quoted line continues with its "> " prefix, a
// list item with its text indented under the marker.
func hardWrap(text string, width int) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		prefix := ""
		for strings.HasPrefix(line[len(prefix):], ">") {
			prefix += ">"
		}
		if prefix != "" && strings.HasPrefix(line[len(prefix):], " ") {
			prefix += " "
		}
		rest := line[len(prefix):]
		cont := prefix
		for _, marker := range []string{"- ", "* ", "• "} {
			if strings.HasPrefix(rest, marker) {
				cont = prefix + strings.Repeat(" ", len([]rune(marker)))
			}
		}
		if len([]rune(line)) <= width || strings.Contains(rest, "://") && !strings.Contains(rest, " ") {
			b.WriteString(line)
			continue
		}
		textwrap.Fill(&b, prefix, cont, rest, width)
	}
	return b.String()
}

// Message-IDs in the styles of the clients that wrote them, stable for a key.
func hash(key string) string { s := sha256.Sum256([]byte(key)); return hex.EncodeToString(s[:]) }
func gmailID(key string) string {
	return "CA" + strings.ToUpper(hash(key)[:10]) + "+" + hash(key)[10:30] + "@mail.gmail.com"
}
func outlookID(key string) string {
	return "AM9PR07MB" + strings.ToUpper(hash(key)[:20]) + "@AM9PR07MB7123.eurprd07.prod.outlook.com"
}
func localID(key string) string { return hash(key)[:16] + "." + key + "@mail.example.com" }

// quote is the plain-text quote of a message, as a Gmail-style reply
// writes it below the reply.
func quote(p *seedMsg, who string) string {
	var b strings.Builder
	b.WriteString("On " + p.at.In(berlin).Format("Mon, 2 Jan 2006 at 15:04") + ", " + who + " wrote:\n")
	for _, l := range strings.Split(strings.TrimRight(p.body, "\n"), "\n") {
		if l == "" || strings.HasPrefix(l, ">") {
			b.WriteString(">" + l + "\n")
		} else {
			b.WriteString("> " + l + "\n")
		}
	}
	return b.String()
}

// Mailbox returns the seeded messages relative to now (dates computed back
// from it by calendar days, at local times of day in Berlin). With demo.Now
// it tells this story:
//
//   - Dana (the boss) last got an update 12 days ago, a Sunday evening reply
//     to her headcount question; with a 5-workday cadence and an 8-workday
//     limit she is red. Two days ago she asked "Any update on Apollo?".
//   - Raj (a peer) got an update two weeks ago, answered by an out-of-office
//     that ended on Monday; his question of Tuesday is still unanswered.
//   - Apollo is blocked on a vendor's API keys, escalated to procurement.
//   - Zephyr 2.0 shipped to all users, latency down 30%.
//   - Atlas has been quiet for about three weeks.
func Mailbox(now time.Time) []Seeded {
	now = now.In(berlin)
	at := func(daysBack, hh, mm int) time.Time {
		y, mo, d := now.Date()
		return time.Date(y, mo, d-daysBack, hh, mm, 0, 0, berlin)
	}
	var all []*seedMsg
	add := func(m *seedMsg) *seedMsg { all = append(all, m); return m }

	// --- Sent: updates to Dana over ten weeks, most of them weekly notes.
	weekly := []struct {
		back, hh, mm        int
		apollo, zeph, atlas string
	}{
		{70, 17, 10, "Kicked off. Team of four, first sprint is the checkout redesign.", "1.x latency work continues; 2.0 design review passed on Wednesday.", "Still waiting on the security review of the retention proposal."},
		{63, 16, 45, "Checkout redesign is in QA. We shortlisted two payment vendors, Paylane and Stripewise.", "2.0 feature-complete behind a flag.", "Security review done, two small changes requested."},
		{56, 17, 30, "QA found three bugs in the new checkout, all fixed. Vendor decision next week.", "Load tests start Monday with Amara from Raj's team.", "Kenji is writing the migration plan."},
		{28, 16, 20, "3-D Secure flow merged. Paylane contract signed; waiting for their sandbox keys.", "Load tests at 3x peak passed. Canary at 5% on 2 November.", "Nothing new: Kenji is helping Zephyr with the load tests."},
		{21, 17, 5, "Checkout redesign on staging. Integration with Paylane starts once the sandbox keys arrive.", "Canary at 5% since Monday, error rate flat. 50% planned for 16 November.", "Retention design review on Friday went well."},
	}
	for _, w := range weekly {
		_, wk := at(w.back, 0, 0).ISOWeek()
		add(&seedMsg{folder: "Sent", id: gmailID(fmt.Sprint("weekly", w.back)), at: at(w.back, w.hh, w.mm), from: alex, to: dana,
			subject: fmt.Sprintf("Weekly update, week %d: Apollo, Zephyr, Atlas", wk), flags: []string{seen},
			body: fmt.Sprintf("Hi Dana,\n\nhere is where things stand this week.\n\nApollo: %s\nZephyr: %s\nAtlas: %s\n\nNothing needs your decision this week.\n\nAlex\n", w.apollo, w.zeph, w.atlas)})
	}
	add(&seedMsg{folder: "Sent", id: gmailID("vendor-decision"), at: at(35, 11, 40), from: alex, to: apollo, cc: dana,
		subject: "Apollo: we're going with Paylane", flags: []string{seen},
		body: "Hi all,\n\nafter last week's bake-off we're going with Paylane for the payment integration: better EU card coverage and their fees come in about 15% under Stripewise at our volume. Marco will run the contract with procurement; Priya owns the technical integration.\n\nDana, cc'ing you so you have the decision and the reasoning in one place.\n\nThanks everyone who sat through the vendor demos.\n\nAlex\n"})
	add(&seedMsg{folder: "Sent", id: localID("atlas-budget"), at: at(45, 9, 5), from: "Alex Doe <" + UserAlias + ">", to: BossEmail,
		subject: "Atlas storage budget", flags: []string{seen},
		extra: []string{"User-Agent: Mozilla Thunderbird"},
		body:  "Dana,\n\nshort one: Atlas needs another 40 TB of object storage for the retention pilot, about 900 EUR a month. It fits in the Q4 infra budget we agreed, so I'll go ahead unless you object by Thursday.\n\nAlex\n"})

	// Dana's headcount question, answered by the last update (12 days ago).
	headcount := add(&seedMsg{folder: "INBOX", id: outlookID("headcount"), at: at(14, 17, 40), from: dana, to: alex,
		subject: "Atlas headcount for Q1 planning", flags: []string{seen, replied},
		body: "Hi Alex,\n\nI'm meeting finance on Tuesday to lock Q1 headcount. Can you send me your Atlas numbers: current team, the two open reqs, and whether you still need the contractor through March?\n\nThanks,\nDana\n"})
	add(&seedMsg{folder: "Sent", id: gmailID("headcount-reply"), at: at(12, 19, 5), from: alex, to: dana,
		subject: "Re: Atlas headcount for Q1 planning", parents: []*seedMsg{headcount}, flags: []string{seen},
		body: "Hi Dana,\n\nAtlas for Q1: three engineers today, the two open reqs (one backend, one data), and yes, we need the contractor through March for the migration.\n\nSince I'm writing anyway, the rest of the week:\n\nApollo: checkout redesign signed off by design. Payments integration starts as soon as Paylane sends the sandbox keys.\nZephyr: canary at 5% all week, error rate flat. 50% on 16 November, 100% two days later if the numbers hold.\n\nAlex\n\n" + quote(headcount, "Dana Whitfield <dana@example.com>")})

	// Raj: an update two weeks ago, his out-of-office, and his open question.
	toRaj := add(&seedMsg{folder: "Sent", id: gmailID("raj-platform"), at: at(14, 11, 20), from: alex, to: raj,
		subject: "Zephyr 2.0 rollout and the platform review", flags: []string{seen},
		body: "Hi Raj,\n\nquick heads-up before the platform review: Zephyr 2.0 goes to 50% on 16 November and to everyone two days later if the numbers hold. Amara's load tests made a real difference, please pass on my thanks.\n\nHappy to walk you through the numbers once we're at 100%.\n\nAlex\n"})
	add(&seedMsg{folder: "INBOX", id: outlookID("raj-ooo"), at: at(14, 11, 21), from: raj, to: alex,
		subject: "Automatic reply: Zephyr 2.0 rollout and the platform review", parents: []*seedMsg{toRaj}, flags: []string{seen},
		extra: []string{"Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: raj@example.com"},
		body:  "Thank you for your message. I am out of the office with limited access to email and will be back on Monday 16 November.\n\nFor anything urgent on the platform roadmap, please contact Mei Lin (mei.lin@example.com).\n\nRaj Patel\n"})
	add(&seedMsg{folder: "INBOX", id: outlookID("raj-numbers"), at: at(3, 10, 5), from: raj, to: alex,
		subject: "Zephyr numbers for the platform review", flags: []string{seen},
		body: "Hi Alex,\n\nback from leave and catching up. I'm putting together the platform review for the 26th: could you send me the before/after latency numbers for Zephyr 2.0 and a line on what the rollout cost us in infra?\n\nAlso happy to lend Amara again for the Atlas load tests in January if you need her.\n\nCheers,\nRaj\n"})

	// --- Status/Apollo: a week that went wrong.
	add(&seedMsg{folder: "Status/Apollo", id: gmailID("apollo-sprint14"), at: at(8, 16, 5), from: tom, to: apollo, cc: alex,
		subject: "Apollo sprint 14 wrap-up", flags: []string{seen},
		body: "Hi all,\n\nsprint 14 in short:\n\n- checkout redesign merged and deployed to staging\n- 3-D Secure flow is done, tested against the Paylane simulator\n- payments integration starts Monday, once the Paylane sandbox keys are in\n\nDemo recording: https://drive.example.com/apollo/sprint-14-demo\n\nTom\n"})
	blocked := add(&seedMsg{folder: "Status/Apollo", id: gmailID("apollo-blocked"), at: at(4, 9, 47), from: priya, to: apollo, cc: alex,
		subject: "Apollo: payments integration blocked on the vendor API keys", flags: []string{seen},
		body: "Hi all,\n\nwe're blocked on the vendor API keys for the Paylane sandbox. They promised them for last Wednesday and nothing has arrived. Without them we can't run the end-to-end payment tests, and the 1 December cutover depends on those.\n\nI've pinged their account manager twice. Marco, could you chase it from the contract side?\n\nPriya\n\n-- \nPriya Sharma\nSenior Software Engineer, Payments\nExample GmbH | Torstraße 12, 10119 Berlin\nPhone: +49 30 1234 5678 | Mobile: +49 151 2345 6789\n\nThis email and any attachments are confidential and intended solely for the use of the individual or entity to whom they are addressed. If you have received this email in error, please notify the sender and delete it. Any unauthorised use, disclosure or copying is strictly prohibited.\n"})
	add(&seedMsg{folder: "Status/Apollo", id: gmailID("apollo-stubs"), at: at(4, 11, 2), from: tom, to: priya, cc: apollo,
		subject: "Re: Apollo: payments integration blocked on the vendor API keys", parents: []*seedMsg{blocked}, flags: []string{seen},
		body: "I can stub the webhook side against their published OpenAPI spec so we don't lose the whole week. The card-flow tests still need the real keys though.\n\nTom\n\n" + quote(blocked, "Priya Sharma <priya.sharma@example.com>")})
	outlook := add(&seedMsg{folder: "Status/Apollo", id: outlookID("apollo-dpa"), at: at(3, 14, 15), from: marco, to: priya, cc: apollo,
		subject: "RE: Apollo: payments integration blocked on the vendor API keys", parents: []*seedMsg{blocked}, flags: []string{seen},
		extra: []string{"Thread-Topic: Apollo: payments integration blocked on the vendor API keys", "X-MS-Has-Attach: "},
		body:  "Hi Priya,\n\nI spoke to Paylane this morning: they won't issue sandbox or production keys until our data processing agreement is countersigned. Legal has had it since 2 November. I've asked Jana in legal to prioritise it this week.\n\nMarco\n\nMarco Rossi\nProgram Manager | Apollo\nM +49 170 555 0134\n\n________________________________\nFrom: Priya Sharma <priya.sharma@example.com>\nSent: " + blocked.at.Format("Monday, January 2, 2006 3:04 PM") + "\nTo: Apollo team <apollo-team@example.com>\nCc: Alex Doe <alex@example.com>\nSubject: " + blocked.subject + "\n\n" + blocked.body})
	add(&seedMsg{folder: "Status/Apollo", id: gmailID("apollo-escalated"), at: at(1, 10, 30), from: priya, to: marco, cc: apollo,
		subject: "Re: Apollo: payments integration blocked on the vendor API keys", parents: []*seedMsg{blocked, outlook},
		body: "Still blocked. Legal countersigned the DPA yesterday, but now it is stuck in procurement's queue, so I've escalated to Helen Wu in procurement. She has promised an answer by Monday.\n\nIf the keys arrive on Monday we can still make the 1 December cutover; any later and the date is at risk. Tom's webhook stubs are ready, so we lose nothing else in the meantime.\n\nPriya\n\n" + quote(outlook, `"Rossi, Marco" <marco.rossi@example.com>`)})
	add(&seedMsg{folder: "Status/Apollo", id: "JIRA.10231.1763544840000@example.atlassian.net", at: at(1, 10, 34), from: jira, to: alex,
		subject: "[JIRA] (APL-231) Obtain Paylane sandbox API keys",
		extra:   []string{"Auto-Submitted: auto-generated", "Precedence: bulk", "X-JIRA-FingerPrint: 3f1c0a9e2b7d4e51"},
		body:    "Priya Sharma changed the status of APL-231 from In Progress to Blocked.\n\nAPL-231: Obtain Paylane sandbox API keys\nProject: Apollo\nAssignee: Marco Rossi\nPriority: High\n\nView the issue: https://example.atlassian.net/browse/APL-231\n\nThis message was sent by Atlassian Jira. You are receiving it because you are watching this issue.\n"})
	// Gmail shows one message in every label it has: the blocked mail is in
	// the Inbox too, with the same Message-ID.
	dup := *blocked
	dup.folder = "INBOX"
	add(&dup)

	// --- Status/Zephyr: a launch.
	half := add(&seedMsg{folder: "Status/Zephyr", id: gmailID("zephyr-50"), at: at(4, 17, 20), from: zoe, to: zephyr, cc: alex,
		subject: "Zephyr 2.0 rollout: 50% and holding", cte: "quoted-printable", flags: []string{seen},
		body: "Hi all,\n\nwe ramped Zephyr 2.0 to 50% of users at 16:00. After an hour at that level:\n\n- error rate flat at 0.02% (1.x: 0.04%)\n- p95 latency 212 ms vs 305 ms on 1.x\n- no alerts, no customer tickets\n\nOne thing to watch: the EU-West pool is at 70% CPU. Søren is keeping an eye on it overnight and has a bigger pool size ready if we need it.\n\nIf the numbers hold, Lena takes us to 100% on Wednesday morning. Everything is on track for that – thanks for all the reviews this week, it made today boring in the best way.\n\nZoë\n"})
	shipped := add(&seedMsg{folder: "Status/Zephyr", id: gmailID("zephyr-100"), at: at(2, 11, 42), from: lena, to: zephyr, cc: alex,
		subject: "Zephyr 2.0 shipped to 100% of users", parents: []*seedMsg{half}, ctype: `text/html; charset="UTF-8"`, flags: []string{seen},
		body: `<div dir="ltr"><p>Hi all,</p>
<p><b>Zephyr 2.0 shipped to 100% of users</b> at 10:30 this morning. No rollbacks, no pages overnight, and the numbers are better than we hoped:</p>
<table border="1" cellpadding="4" style="border-collapse:collapse">
<tr><th>Metric</th><th>1.x</th><th>2.0</th><th>Change</th></tr>
<tr><td>p50 latency</td><td>88 ms</td><td>61 ms</td><td>&minus;31%</td></tr>
<tr><td>p95 latency</td><td>305 ms</td><td>212 ms</td><td>&minus;30%</td></tr>
<tr><td>Error rate</td><td>0.04%</td><td>0.02%</td><td>&minus;50%</td></tr>
<tr><td>Infra cost per 1M requests</td><td>&euro;4.10</td><td>&euro;3.20</td><td>&minus;22%</td></tr>
</table>
<p>So: latency down 30% at p95, and cheaper to run. Credit where it is due:</p>
<ul>
<li>Zo&euml; Martin &ndash; the connection-pooling rewrite behind most of the latency win</li>
<li>S&oslash;ren Nielsen &ndash; the rollout tooling and the dashboards</li>
<li>Amara Okafor (Raj's team) &ndash; load tests at 3x peak that caught the pool sizing early</li>
</ul>
<p>Next: removing the 1.x code path (Zo&euml;, by 4 December) and the post-launch review next Wednesday.</p>
<p>Lena</p>
<img src="https://tracker.example.com/pixel.gif?u=alex" width="1" height="1" alt="">
<script>fetch("https://tracker.example.com/c?u=alex&m=zephyr")</script>
</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 16 Nov 2026 at 17:20, Zo&euml; Martin &lt;zoe.martin@example.com&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">Hi all,<br><br>we ramped Zephyr 2.0 to 50% of users at 16:00.<br><br>One thing to watch: the EU-West pool is at 70% CPU. S&oslash;ren is keeping an eye on it overnight.<br><br>Zo&euml;</div></blockquote></div>
`})
	add(&seedMsg{folder: "Status/Zephyr", id: "8d0e4f7a-2b1c-4e9d-a3f6-5c7b9e1d2a40@example.com", at: at(1, 9, 12), from: soren, to: lena, cc: zephyr + ", " + alex,
		subject: "Re: Zephyr 2.0 shipped to 100% of users", parents: []*seedMsg{half, shipped}, cte: "base64",
		ctype: `text/plain; charset=windows-1252; format=flowed`, extra: []string{"User-Agent: Mozilla Thunderbird"},
		body: "Dashboards for 2.0 are live for everyone: https://grafana.example.com/d/zephyr-2/overview\n\nEU-West settled at 45% CPU overnight after Zoë’s pool-size change – we’ll keep the bigger pool.\n\nThanks for the shout-out, Lena. The rollout tooling now lives in the platform repo, so Atlas can reuse it for the migration.\n\nSøren\n\nOn 18.11.26 11:42, Lena Fischer wrote:\n> Hi all,\n>\n> Zephyr 2.0 shipped to 100% of users at 10:30 this morning. No rollbacks,\n> no pages overnight, and the numbers are better than we hoped.\n"})

	// --- Status/Atlas: quiet for about three weeks.
	add(&seedMsg{folder: "Status/Atlas", id: gmailID("atlas-review"), at: at(21, 16, 40), from: kenji, to: alex,
		subject: "Atlas: retention design review notes", flags: []string{seen},
		body: "Hi Alex,\n\nnotes from today's design review: security approved the 90-day retention design with one change (audit logs keep 400 days). Next is the schema migration plan, which I'll write once the Zephyr launch has settled and I'm back on Atlas full time.\n\nNotes: https://wiki.example.com/atlas/retention-review\n\nKenji\n"})

	// --- INBOX: the boss asks, and the usual noise around it.
	add(&seedMsg{folder: "INBOX", id: outlookID("dana-ask"), at: at(2, 16, 30), from: dana, to: alex,
		subject: "Apollo",
		body:    "Any update on Apollo? The exec review is Thursday.\n\nMarco mentioned something about the payments vendor, and I'd rather hear it from you.\n\nThanks,\nDana\n\nSent from my iPhone\n"})
	add(&seedMsg{folder: "INBOX", id: localID("perf-reviews"), at: at(3, 9, 0), from: people, to: allEng,
		subject: "Reminder: Q4 performance reviews due 4 December", flags: []string{seen},
		body: "Hi managers,\n\na reminder that Q4 performance reviews are due on 4 December. Calibration sessions run the week after; your HR partner will send invites.\n\nThe People Team\n"})
	add(&seedMsg{folder: "INBOX", id: gmailID("lunch"), at: at(2, 12, 14), from: greta, to: alex,
		subject: "Lunch Thursday?", flags: []string{seen, replied},
		body: "Hey Alex, are you free for lunch on Thursday? I'd love to pick your brain about running on-call for a team of five.\n\nGreta\n"})
	add(&seedMsg{folder: "INBOX", id: localID("newsletter-212"), at: at(1, 7, 0), from: letter, to: alex,
		subject: "Issue #212: Managing up without managing your boss",
		extra:   []string{"List-Id: Engineering Leadership Weekly <weekly.leadweekly.example.net>", "List-Unsubscribe: <https://leadweekly.example.net/unsubscribe?u=8812>", "Precedence: list"},
		body:    "This week: why your boss should never hear bad news from someone else first, the one-page weekly update, and how to ask for help without sounding helpless.\n\nRead online: https://leadweekly.example.net/212\n"})

	// --- Sent mail that is not an update to a stakeholder.
	add(&seedMsg{folder: "Sent", id: gmailID("vendor-keys"), at: at(3, 10, 40), from: alex, to: vendor, cc: "Marco Rossi <marco.rossi@example.com>",
		subject: "Sandbox API keys for Example GmbH (ticket #48213)", flags: []string{seen},
		body: "Hello,\n\nwe signed our contract on 20 October and have been waiting for sandbox API keys since. Marco Rossi on our side has the DPA status; could you tell us what is still missing from us?\n\nBest regards,\nAlex Doe\nEngineering Manager, Example GmbH\n"})
	add(&seedMsg{folder: "Sent", id: gmailID("team-stubs"), at: at(4, 12, 20), from: alex, to: apollo,
		subject: "Re: Apollo: payments integration blocked on the vendor API keys", parents: []*seedMsg{blocked}, flags: []string{seen},
		body: "Thanks Priya. Tom, go ahead with the webhook stubs; the card-flow tests wait for the keys. Let's review the cutover date on Thursday.\n\nAlex\n\n" + quote(blocked, "Priya Sharma <priya.sharma@example.com>")})
	add(&seedMsg{folder: "Sent", id: gmailID("thanks-zephyr"), at: at(1, 12, 30), from: alex, to: allEng,
		subject: "Zephyr 2.0 is out, thank you", flags: []string{seen},
		body: "Hi everyone,\n\nZephyr 2.0 reached all users on Wednesday: 30% faster at p95 and cheaper to run. Thanks to Lena, Zoë, Søren and Amara, and to everyone who reviewed the rollout plan.\n\nAlex\n"})

	out := make([]Seeded, 0, len(all))
	for _, m := range all {
		out = append(out, Seeded{Folder: m.folder, Raw: m.render(), Date: m.at, Flags: m.flags})
	}
	return out
}
