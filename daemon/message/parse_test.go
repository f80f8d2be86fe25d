package message

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func mustParse(t *testing.T, raw string, opt Options) *Message {
	t.Helper()
	m, err := Parse(strings.NewReader(crlf(raw)), opt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

const multipartReply = `From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <Joerg.Mueller@Example.COM>
To: "Alex Doe" <ALEX@example.com>, bob@example.com
Cc: Carol <carol@example.com>
Subject: =?UTF-8?B?UmU6IEFwb2xsbyDinJM=?=
Date: Mon, 04 May 2026 10:00:00 +0200
Message-ID: <abc123@mail.example.com>
In-Reply-To: <prev@mail.example.com>
References: <root@mail.example.com> <prev@mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

U2hpcHBlZCB0aGUgaW1wb3J0ZXIuIEFueSB1cGRhdGUgb24gdGhlIGV4cG9ydGVyPwoKT24gU3Vu
LCAzIE1heSAyMDI2IGF0IDA5OjAwLCBBbGV4IERvZSA8YWxleEBleGFtcGxlLmNvbT4gd3JvdGU6
Cj4gV2hlcmUgYXJlIHdlIG9uIEFwb2xsbz8K
--b1
Content-Type: text/html; charset=utf-8

<div>Shipped the importer. Any update on the exporter?</div>
--b1--
`

func TestParseMultipart(t *testing.T) {
	m := mustParse(t, multipartReply, Options{})
	if m.From.Name != "Jörg Müller" || m.From.Addr != "joerg.mueller@example.com" {
		t.Errorf("From = %+v", m.From)
	}
	if len(m.To) != 2 || m.To[0].Addr != "alex@example.com" || m.To[1].Addr != "bob@example.com" || len(m.Cc) != 1 {
		t.Errorf("To = %+v Cc = %+v", m.To, m.Cc)
	}
	if m.Subject != "Re: Apollo ✓" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if m.MessageID != "abc123@mail.example.com" || m.InReplyTo != "prev@mail.example.com" ||
		strings.Join(m.References, " ") != "root@mail.example.com prev@mail.example.com" {
		t.Errorf("ids = %q %q %q", m.MessageID, m.InReplyTo, m.References)
	}
	if !m.Date.Equal(time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("Date = %v", m.Date)
	}
	if m.Visible != "Shipped the importer. Any update on the exporter?" {
		t.Errorf("Visible = %q", m.Visible)
	}
	if !strings.Contains(m.Text, "> Where are we on Apollo?") {
		t.Errorf("Text lost the quote: %q", m.Text)
	}
	if !m.Ask || m.AutoReply || m.Automated {
		t.Errorf("Ask=%v AutoReply=%v Automated=%v", m.Ask, m.AutoReply, m.Automated)
	}
	if m.Health != Green {
		t.Errorf("Health = %s %+v", m.Health, m.HealthHits)
	}
}

func TestParseCharsets(t *testing.T) {
	raw := `From: bob@example.com
Subject: =?windows-1252?Q?Budget_=80?=
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

Costs are 5 =80 over plan =96 at risk.
`
	m := mustParse(t, raw, Options{})
	if m.Subject != "Budget €" || m.Visible != "Costs are 5 € over plan – at risk." {
		t.Errorf("Subject %q Visible %q", m.Subject, m.Visible)
	}
	if m.Health != Amber {
		t.Errorf("Health = %s", m.Health)
	}
	// raw 8-bit header bytes are read as Windows-1252
	raw = "From: Bj\xf6rn <bjorn@example.se>\nSubject: \xe9t\xe9\n\nhi\n"
	if m := mustParse(t, raw, Options{}); m.From.Name != "Björn" || m.Subject != "été" {
		t.Errorf("8-bit headers: %q %q", m.From.Name, m.Subject)
	}
	// an unknown charset is read as it is rather than dropped
	raw = "From: bob@example.com\nContent-Type: text/plain; charset=x-unknown-42\n\nPlain words.\n"
	if m := mustParse(t, raw, Options{}); m.Visible != "Plain words." {
		t.Errorf("unknown charset: Visible %q", m.Visible)
	}
}

func TestParseHTMLOnlyAndNested(t *testing.T) {
	raw := `From: Bob <bob@example.com>
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/html; charset=utf-8

<p>Launch is <b>blocked</b> on legal.</p><blockquote type="cite">old</blockquote>
--inner--
--outer
Content-Type: text/plain; name=notes.txt
Content-Disposition: attachment; filename=notes.txt

attachment text must not be read
--outer--
`
	m := mustParse(t, raw, Options{})
	if m.Visible != "Launch is blocked on legal." || m.Health != Red {
		t.Errorf("Visible %q Health %s", m.Visible, m.Health)
	}
	if strings.Contains(m.Text, "attachment") {
		t.Errorf("attachment read: %q", m.Text)
	}
}

func TestParseAutoReply(t *testing.T) {
	raw := `From: Jane Boss <jane@example.com>
Subject: Automatic reply: Apollo status
Date: Mon, 21 Dec 2026 09:00:00 +0100
Auto-Submitted: auto-replied

I am out of the office and will be back on 4 January. Any update can wait.
`
	berlin := time.FixedZone("CET", 3600)
	m := mustParse(t, raw, Options{Loc: berlin})
	if !m.AutoReply || m.Automated || m.Ask {
		t.Errorf("AutoReply=%v Automated=%v Ask=%v", m.AutoReply, m.Automated, m.Ask)
	}
	if m.ReturnDate.Format("2006-01-02") != "2027-01-04" {
		t.Errorf("ReturnDate = %v", m.ReturnDate)
	}
	// the subject alone marks an auto-reply
	raw = "From: jane@example.com\nSubject: Out of Office: Apollo\n\nAway until Monday.\n"
	if m := mustParse(t, raw, Options{Now: time.Date(2026, 12, 16, 9, 0, 0, 0, time.UTC)}); !m.AutoReply || m.ReturnDate.Format("2006-01-02") != "2026-12-21" {
		t.Errorf("subject auto-reply: %v %v", m.AutoReply, m.ReturnDate)
	}
	for _, h := range []string{"X-Autoreply: yes", "X-Autorespond: yes", "Precedence: auto_reply"} {
		raw = "From: jane@example.com\n" + h + "\nSubject: Apollo\n\nThanks for your mail.\n"
		if m := mustParse(t, raw, Options{}); !m.AutoReply {
			t.Errorf("%s: not an auto-reply", h)
		}
	}
}

func TestParseAutomated(t *testing.T) {
	for _, c := range []struct{ header, from string }{
		{"Precedence: bulk", "newsletter@example.com"},
		{"Auto-Submitted: auto-generated", "bob@example.com"},
		{"Content-Type: multipart/report; report-type=delivery-status; boundary=x", "bob@example.com"},
		{"X-Note: x", "MAILER-DAEMON@mx.example.com"},
		{"Content-Type: text/calendar; method=REQUEST", "bob@example.com"},
		{"X-List-Administrivia: yes", "apollo-owner@lists.example.com"},
		{"List-Unsubscribe-Post: List-Unsubscribe=One-Click", "bob@example.com"},
		{"X-GitHub-Reason: subscribed", "Bob Lee <bob@example.com>"},
		{"X-Note: x", "noreply@example.com"},
		{"X-Note: x", "no-reply+abc@example.com"},
		{"X-Note: x", "jira@example.atlassian.net"},
		{"X-Note: x", "notifications@github.com"},
	} {
		raw := "From: " + c.from + "\n" + c.header + "\nSubject: Apollo\n\nBuild failed.\n"
		m := mustParse(t, raw, Options{})
		if !m.Automated || m.AutoReply {
			t.Errorf("%s from %s: Automated=%v AutoReply=%v", c.header, c.from, m.Automated, m.AutoReply)
		}
	}
	raw := "From: bob@example.com\nAuto-Submitted: no\nSubject: Apollo\n\nAll done.\n"
	if m := mustParse(t, raw, Options{}); m.Automated || m.AutoReply {
		t.Errorf("Auto-Submitted: no marked as machine mail")
	}
	// A person's post through a team list is a person's mail.
	for _, header := range []string{"Precedence: list", "List-Id: <apollo.lists.example.com>", "Precedence: bulk",
		"List-Unsubscribe: <mailto:apollo-leave@lists.example.com>"} {
		raw := "From: Bob Lee <bob@example.com>\n" + header + "\nSubject: Apollo\n\nThe cutover is done.\n"
		if m := mustParse(t, raw, Options{}); m.Automated {
			t.Errorf("%s: a person's list mail is marked automated (%s)", header, m.AutomatedWhy)
		}
	}
}

func TestParseBounded(t *testing.T) {
	body := strings.Repeat("status line that repeats\n", 20000) // ~500 KB
	raw := "From: bob@example.com\nSubject: big\n\n" + body
	m := mustParse(t, raw, Options{MaxText: 4096})
	if len(m.Text) > 4096 || len(m.Text) < 4000 {
		t.Errorf("Text is %d bytes, want about 4096", len(m.Text))
	}
	m = mustParse(t, raw, Options{})
	if len(m.Text) > DefaultMaxText {
		t.Errorf("Text is %d bytes, over the default cap", len(m.Text))
	}
}

func TestParseMalformed(t *testing.T) {
	for name, raw := range map[string]string{
		"broken base64":     "From: a@example.com\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!not base64@@@\n",
		"no boundary":       "From: a@example.com\nContent-Type: multipart/alternative\n\n--x\nContent-Type: text/plain\n\nhi\n",
		"bad from":          "From: \"unterminated <a@example.com\nSubject: =?bogus?Q?x?=\n\nhi\n",
		"truncated part":    "From: a@example.com\nContent-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/plain\n\nhalf a part",
		"bad content type":  "From: a@example.com\nContent-Type: ;;;\n\nhello\n",
		"unknown encoding":  "From: a@example.com\nContent-Transfer-Encoding: x-uuencode\n\nhello\n",
		"header only":       "From: a@example.com\nSubject: x\n",
		"binary in headers": "From: \xff\xfe@example.com\nSubject: \x00\x01\n\n\xff\xfe body\n",
	} {
		m, err := Parse(strings.NewReader(crlf(raw)), Options{})
		if err != nil {
			continue // an error is fine; a panic is not
		}
		if m == nil {
			t.Errorf("%s: nil message without error", name)
		}
	}
	if _, err := Parse(strings.NewReader("\x00\x01\x02 not a header\n"), Options{}); err == nil {
		t.Log("garbage parsed as a message with no header (allowed)")
	}
}

func TestParseBody(t *testing.T) {
	m := ParseBody("Where are we on Apollo?\n\nOn Mon, 4 May 2026, Bob <b@example.com> wrote:\n> blocked", Options{})
	if m.Visible != "Where are we on Apollo?" || !m.Ask || m.Health != Unknown {
		t.Errorf("%+v", m)
	}
	m = ParseBody("<html><body><p>Shipped.</p><blockquote>blocked</blockquote></body></html>", Options{})
	if m.Visible != "Shipped." || m.Health != Green {
		t.Errorf("html body: %+v", m)
	}
}

func TestInspect(t *testing.T) {
	rep, err := Inspect([]byte(crlf(multipartReply)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != "message" || rep.From == nil || rep.From.Addr != "joerg.mueller@example.com" || rep.Date == nil || !rep.Ask {
		t.Errorf("report = %+v", rep)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"visible":`, `"snippet":`, `"health":"green"`, `"health_hits":[{"phrase":"shipped","polarity":"good"`, `"auto_reply":false`, `"automated":false`, `"ask":true`, `"from":{`, `"subject":`, `"date":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
	// a plain body, even one that starts with header-like lines
	for _, body := range []string{
		"Invitation:\n\nDate: Wednesday 3, October 2011\nTime: 7:00am\n",
		"Date: Wednesday 3, October 2011\nTime: 7:00am\nAddress: 130 Fox St\n\nPlease bring your ID.",
		"From: bob@example.com\nSent: Monday\nTo: alex@example.com\n\nhi",
		"",
	} {
		rep, err := Inspect([]byte(body), Options{})
		if err != nil || rep.Kind != "body" {
			t.Errorf("Inspect(%q) = %+v, %v; want a body", body, rep, err)
		}
	}
	if rep, _ := Inspect([]byte("From nobody Mon May  4 10:00:00 2026\nFrom: a@example.com\nSubject: x\n\nhi"), Options{}); rep.Kind != "message" || rep.Visible != "hi" {
		t.Errorf("mbox line: %+v", rep)
	}
}

func TestSnippet(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"Hi Bob,\n\nApollo shipped.\nHermes is at risk.", 200, "Apollo shipped. Hermes is at risk."},
		{"Hello", 200, "Hello"},
		{"one two three four five six", 12, "one two…"},
		{"", 200, ""},
		{strings.Repeat("é", 300), 10, strings.Repeat("é", 9) + "…"},
		{"FYI\n\n---------- Forwarded message ---------\nFrom: Bob <b@example.com>\nDate: Mon\n\nOutage fixed.", 200, "FYI Outage fixed."},
	}
	for _, c := range cases {
		if got := Snippet(c.in, c.max); got != c.want {
			t.Errorf("Snippet(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestBadPhrases(t *testing.T) {
	_, hits := Health("We are blocked on legal, not on track for March, and no longer behind schedule on hiring.")
	got := strings.Join(BadPhrases(hits), ",")
	if got != "blocked,not on track" {
		t.Errorf("BadPhrases = %q, want blocked,not on track", got)
	}
}

func TestNoAskSkipsTheAskCheck(t *testing.T) {
	raw := "From: Jane <jane@example.com>\r\nSubject: x\r\n\r\nAny update on Apollo?\r\n"
	if m, _ := Parse(strings.NewReader(raw), Options{}); !m.Ask {
		t.Fatal("an ask was not seen")
	}
	if m, _ := Parse(strings.NewReader(raw), Options{NoAsk: true}); m.Ask {
		t.Error("NoAsk still checked for an ask")
	}
}

func TestIsAutomatedSender(t *testing.T) {
	for _, tc := range []struct {
		name, addr string
		want       bool
	}{
		{"Priya Shah (Jira)", "jira@example.atlassian.net", true},
		{"Priya Shah", "priya@example.atlassian.net", true},
		{"GitHub", "notifications@github.com", true},
		{"", "no-reply@accounts.example.com", true},
		{"", "noreply-builds@example.com", true},
		{"CI", "builds@ci.example.com", true},
		{"Priya Shah", "priya@example.com", false},
		{"Norbert", "norbert@example.com", false},
		{"Jenkins", "jenkins+builds@example.com", true},
		{"", "not-an-address", false},
	} {
		if got := IsAutomatedSender(tc.name, tc.addr); got != tc.want {
			t.Errorf("IsAutomatedSender(%q, %q) = %v, want %v", tc.name, tc.addr, got, tc.want)
		}
	}
}
