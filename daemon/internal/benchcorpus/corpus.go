// Package benchcorpus generates the project label `.ci/bench` loads into
// Dovecot: N messages of the shape issue 15 measured, 1–20 KB each (most
// near the low end, about 8 KB on average), 30% multipart (text and HTML
// alternatives, a sixth of them with a small attachment), in threads of
// status reports and replies with quoted history, signatures, mobile
// sign-offs, forwards and the occasional ask, good and bad news mixed.
//
// Mail(i) is deterministic: the same i gives the same bytes, so a corpus
// cached in a mailbox is the one a later run would have made.
package benchcorpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Corpus describes one label's messages.
type Corpus struct {
	N       int
	End     time.Time // the newest message's date
	Span    time.Duration
	Me      string // the user's address: some mail in the label is theirs
	Project string
}

// Test is the corpus the parser's benchmarks and agreement tests draw
// from: a label of 50,000 over three years, ending on a fixed day.
var Test = Corpus{N: 50000, End: time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC),
	Span: 3 * 365 * 24 * time.Hour, Me: "alex@example.com", Project: "Bench"}

// Date is message i's date: N messages spread evenly over Span, the last
// at End.
func (c Corpus) Date(i int) time.Time {
	if c.N <= 1 {
		return c.End
	}
	step := c.Span / time.Duration(c.N-1)
	return c.End.Add(-time.Duration(c.N-1-i) * step).Truncate(time.Second)
}

var (
	first = []string{"Dana", "Raj", "Mia", "Tom", "Lena", "Omar", "Priya", "Jonas", "Sofia", "Ken", "Ava", "Luis"}
	last  = []string{"Whitfield", "Patel", "Schmidt", "Okafor", "Nguyen", "Rossi", "Kowalski", "Berg", "Haddad", "Ito"}
	topic = []string{"payment provider", "vendor API keys", "staging cluster", "data migration", "load test", "mobile release",
		"SSO integration", "billing export", "search index", "onboarding flow", "audit log", "iOS build"}
	done = []string{
		"We shipped the %s to production on Tuesday and error rates stayed flat.",
		"The %s is done and signed off by QA.",
		"Legal approved the contract for the %s, so we can sign this week.",
		"The %s went live for 10%% of users; the dashboards look healthy.",
		"We closed the last two bugs on the %s.",
		"The %s review is finished and the fixes are merged.",
	}
	risk = []string{
		"The %s is blocked on the vendor, who has not answered since Monday.",
		"We are behind on the %s and the launch date is at risk.",
		"The %s slipped by a week because the staging cluster ran out of quota.",
		"Still waiting for security to review the %s; this will delay the release.",
		"The %s failed the load test at twice the expected traffic.",
		"We lost a developer to another team, so the %s will likely slip.",
	}
	next = []string{
		"Next we start on the %s and expect a first version by Friday.",
		"Next week: finish the %s and hand it to QA.",
		"We plan to demo the %s at the review on Thursday.",
		"Then we move the %s behind a feature flag for the beta group.",
	}
	chatter = []string{
		"Thanks, that helps.", "Agreed, let's do that.", "Sounds good to me.", "Can we talk about this tomorrow?",
		"I'll pick this up after lunch.", "Adding Raj, who owns the rollout.", "Great work everyone!",
		"Let me check with the vendor and come back to you.", "+1, ship it.", "Noted, I'll update the plan.",
	}
	asks = []string{
		"Could you send me the latest numbers before Friday?", "Any update on the %s?",
		"Can you tell me where we are with the %s?", "Do we still expect to launch on the 15th?",
	}
)

type gen struct {
	r *rand.Rand
	b bytes.Buffer
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) sentence(xs []string) string {
	s := g.pick(xs)
	if strings.Contains(s, "%s") {
		s = fmt.Sprintf(s, g.pick(topic))
	}
	return s
}

// person is a team member by number; 0 is the user.
func (c Corpus) person(n int) (name, addr string) {
	if n == 0 {
		return "Alex Doe", c.Me
	}
	f, l := first[n%len(first)], last[(n/len(first))%len(last)]
	return f + " " + l, strings.ToLower(f+"."+l) + "@example.com"
}

// Mail is message i of the corpus, CRLF line ends.
func (c Corpus) Mail(i int) []byte {
	g := &gen{r: rand.New(rand.NewPCG(uint64(i), 0x1ead0b))}
	// Size: 1–20 KB, skewed low (a uniform draw to the power 1.6): about
	// 8.5 KB on average, as in the 427 MB for 50,000.
	size := 1024 + int(math.Pow(g.r.Float64(), 1.6)*19*1024)
	date := c.Date(i)
	thread := i / 6 // six messages a thread, a report and its replies
	pos := i % 6
	from := 1 + g.r.IntN(30)
	if g.r.IntN(8) == 0 {
		from = 0
	}
	name, addr := c.person(from)
	subject := fmt.Sprintf("%s status, week %d", c.Project, thread%53+1)
	kind := "report"
	switch {
	case pos > 0 && g.r.IntN(20) == 0:
		kind, subject = "forward", "Fwd: "+subject
	case pos > 0:
		kind, subject = "reply", "Re: "+subject
	case g.r.IntN(15) == 0:
		kind = "ask"
	}
	// The text's share of the size: the header takes about 1 KB, an HTML
	// alternative as much again as the text and some markup, the
	// attachment up to 2.8 KB.
	mode := i % 10 // 0-4, 8, 9: text/plain; 5, 6: alternative; 7: mixed
	textSize := size - 1100
	switch mode {
	case 5, 6:
		textSize = textSize * 10 / 23
	case 7:
		textSize = (textSize - 2900) * 10 / 23
	}
	body := c.text(g, kind, name, date, textSize)

	h := &g.b
	fmt.Fprintf(h, "Return-Path: <%s>\r\n", addr)
	fmt.Fprintf(h, "Received: from mx%d.example.com (mx%d.example.com [192.0.2.%d])\r\n\tby imap.example.com with ESMTPS id %x; %s\r\n",
		i%7, i%7, i%250+1, g.r.Uint64(), date.Format(time.RFC1123Z))
	fmt.Fprintf(h, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\r\n\th=from:to:subject:date; b=%s\r\n",
		base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{byte(i)}, 180)))
	fmt.Fprintf(h, "From: %s <%s>\r\nTo: %s-team@example.com\r\nCc: Alex Doe <%s>\r\n", name, addr, strings.ToLower(c.Project), c.Me)
	fmt.Fprintf(h, "Subject: %s\r\nDate: %s\r\nMessage-ID: <bench-%d@example.com>\r\n", subject, date.Format(time.RFC1123Z), i)
	if pos > 0 {
		start := thread * 6
		fmt.Fprintf(h, "In-Reply-To: <bench-%d@example.com>\r\nReferences:", i-1)
		for j := start; j < i; j++ {
			fmt.Fprintf(h, " <bench-%d@example.com>", j)
		}
		h.WriteString("\r\n")
	}
	h.WriteString("MIME-Version: 1.0\r\n")
	switch {
	case mode < 5 || mode > 7: // 70%: one text/plain part
		h.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		h.WriteString(body)
	case mode < 7: // 20%: text and HTML
		h.WriteString("Content-Type: multipart/alternative; boundary=\"alt-b\"\r\n\r\n")
		alternative(h, body)
	default: // 10%: text and HTML, and a small attachment
		h.WriteString("Content-Type: multipart/mixed; boundary=\"mix-b\"\r\n\r\n--mix-b\r\nContent-Type: multipart/alternative; boundary=\"alt-b\"\r\n\r\n")
		alternative(h, body)
		h.WriteString("\r\n--mix-b\r\nContent-Type: application/pdf; name=\"plan.pdf\"\r\nContent-Disposition: attachment; filename=\"plan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		att := make([]byte, 900+g.r.IntN(1200))
		for k := range att {
			att[k] = byte(g.r.Uint32())
		}
		enc := base64.StdEncoding.EncodeToString(att)
		for len(enc) > 76 {
			h.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		h.WriteString(enc + "\r\n--mix-b--\r\n")
	}
	return bytes.Clone(h.Bytes())
}

// alternative writes the text and an HTML rendering of it as the parts of
// a multipart/alternative with boundary alt-b.
func alternative(h *bytes.Buffer, body string) {
	h.WriteString("--alt-b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	h.WriteString(body)
	h.WriteString("\r\n--alt-b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<html><body>")
	quoting := false
	for _, line := range strings.Split(body, "\r\n") {
		q := strings.HasPrefix(line, ">")
		if q != quoting {
			if q {
				h.WriteString("<blockquote type=\"cite\">")
			} else {
				h.WriteString("</blockquote>")
			}
			quoting = q
		}
		line = strings.TrimLeft(line, "> ")
		if line == "" {
			h.WriteString("<br>\r\n")
			continue
		}
		h.WriteString("<div>" + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(line) + "</div>\r\n")
	}
	if quoting {
		h.WriteString("</blockquote>")
	}
	h.WriteString("</body></html>\r\n--alt-b--\r\n")
}

// text is a body of about size bytes: the sender's own words, a
// signature, and for replies the quoted history that makes up most of a
// long reply.
func (c Corpus) text(g *gen, kind, name string, date time.Time, size int) string {
	var b strings.Builder
	first := strings.Fields(name)[0]
	greet := []string{"Hi all,", "Hi team,", "Hello,", "Hi Alex,"}
	switch kind {
	case "report", "ask":
		b.WriteString(g.pick(greet) + "\r\n\r\n")
		if kind == "ask" {
			b.WriteString(g.sentence(asks) + "\r\n\r\n")
		}
		fmt.Fprintf(&b, "Here is this week's status for %s.\r\n\r\nDone:\r\n", c.Project)
		for range 2 + g.r.IntN(3) {
			b.WriteString("- " + g.sentence(done) + "\r\n")
		}
		b.WriteString("\r\nRisks:\r\n")
		for range g.r.IntN(3) {
			b.WriteString("- " + g.sentence(risk) + "\r\n")
		}
		b.WriteString("\r\nNext:\r\n")
		for range 1 + g.r.IntN(3) {
			b.WriteString("- " + g.sentence(next) + "\r\n")
		}
		b.WriteString("\r\nOverall we are " + g.pick([]string{"green", "green", "amber", "on track", "red, see the risks above"}) + ".\r\n")
	case "reply":
		b.WriteString(g.pick(chatter) + " ")
		if g.r.IntN(3) == 0 {
			b.WriteString(g.sentence(risk) + " ")
		} else {
			b.WriteString(g.sentence(done) + " ")
		}
		if g.r.IntN(10) == 0 {
			b.WriteString(g.sentence(asks))
		}
		b.WriteString("\r\n")
	case "forward":
		b.WriteString("FYI, see below.\r\n\r\n---------- Forwarded message ---------\r\n")
		fmt.Fprintf(&b, "From: Vendor Support <support@vendor.example>\r\nDate: %s\r\nSubject: Your ticket\r\n\r\n", date.Add(-26*time.Hour).Format("Mon, Jan 2, 2006 at 3:04 PM"))
		b.WriteString(g.sentence(risk) + "\r\n")
	}
	if g.r.IntN(5) == 0 {
		b.WriteString("\r\nSent from my iPhone\r\n")
	} else {
		fmt.Fprintf(&b, "\r\nThanks,\r\n%s\r\n\r\n-- \r\n%s | Engineering Manager | Example Corp\r\n+1 555 0100 | www.example.com\r\n", first, name)
	}
	// Quoted history (replies and forwards), or more report detail, up to
	// the size.
	if kind == "reply" || kind == "forward" {
		fmt.Fprintf(&b, "\r\nOn %s, %s <%s> wrote:\r\n", date.Add(-3*time.Hour).Format("Mon, 2 Jan 2006 at 15:04"), "Dana Whitfield", "dana.whitfield@example.com")
		depth := "> "
		for b.Len() < size {
			switch g.r.IntN(9) {
			case 0:
				fmt.Fprintf(&b, "%s\r\n%sOn %s, Raj Patel <raj.patel@example.com> wrote:\r\n", depth, depth, date.Add(-30*time.Hour).Format("Mon, 2 Jan 2006 at 15:04"))
				depth = ">" + depth
			case 1:
				b.WriteString(depth + g.pick(chatter) + "\r\n")
			case 2:
				b.WriteString(depth + g.sentence(risk) + "\r\n")
			default:
				b.WriteString(depth + g.sentence(done) + " " + g.sentence(next) + "\r\n")
			}
		}
	} else {
		for b.Len() < size {
			b.WriteString("\r\n" + g.sentence(done) + " " + g.sentence(next) + " " + g.sentence(risk) + "\r\n")
		}
	}
	return b.String()
}

// Mail20KB is the 20 KB status mail of the parser's benchmarks, as a chair
// writes it: the hard-wrapped reports (*.txt) of dir (the reading
// package's development set, testdata/asf-dev) up to 18 KB, a reply's
// quote at the end, Gmail-like headers.
func Mail20KB(dir string) ([]byte, error) {
	var text strings.Builder
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".txt") || text.Len() > 17<<10 {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		text.Write(raw)
		text.WriteString("\n")
	}
	body := text.String()
	body = body[:min(len(body), 18<<10)]
	var m bytes.Buffer
	m.WriteString("Received: from mail.example.org by mx.example.com; Tue, 17 Nov 2026 10:05:00 +0100\r\n" +
		"DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; b=" + strings.Repeat("Zm9v", 90) + "\r\n" +
		"From: Priya Raman <priya@example.org>\r\nTo: board@example.org\r\nCc: Alex Doe <alex@example.com>\r\n" +
		"Subject: Re: Board report, November\r\nDate: Tue, 17 Nov 2026 10:05:00 +0100\r\n" +
		"Message-ID: <report-1@example.org>\r\nIn-Reply-To: <report-0@example.org>\r\nReferences: <report-0@example.org>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	m.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	m.WriteString("\r\nOn Mon, 16 Nov 2026 at 09:00, Alex Doe <alex@example.com> wrote:\r\n")
	for range 40 {
		m.WriteString("> Please send the November report by Wednesday so it makes the agenda.\r\n")
	}
	return m.Bytes(), nil
}
