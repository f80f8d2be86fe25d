package daemon

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// appendReply puts the user's reply to the mail parent into the Inbox, an
// hour after the test clock.
func (e *env) appendReply(parent *mail.Message, id, body string) {
	e.t.Helper()
	at := e.clock.Now().Add(time.Hour)
	raw := "From: " + demo.UserName + " <" + demo.UserEmail + ">\r\nTo: " + demo.UserEmail + "\r\nSubject: Re: " + parent.Header.Get("Subject") +
		"\r\nMessage-ID: <" + id + ">\r\nIn-Reply-To: " + parent.Header.Get("Message-Id") + "\r\nDate: " + at.Format(time.RFC1123Z) +
		"\r\n\r\n" + body + "\r\n\r\nOn Fri, leadup wrote:\r\n> check in with Dana\r\n"
	if err := e.srv.Append("INBOX", []byte(raw), at); err != nil {
		e.t.Fatal(err)
	}
}

func bodyOf(t *testing.T, m *mail.Message) string {
	t.Helper()
	r := m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// TestUnreadReplyIsAnsweredOnce: a reply leadup cannot read is answered by
// mail once, through later cycles and a restart; a reply to that answer
// acts on the reminder, here for one person by first name, and the "done"
// reads as "marked done", not as the reminder's subject.
func TestUnreadReplyIsAnsweredOnce(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	e.cycle()
	rem := e.sent("reminder")
	if len(rem) != 1 {
		t.Fatalf("%d reminders", len(rem))
	}
	e.appendReply(rem[0], "reply-offsite@example.com", "remind me after the offsite")
	e.clock.Advance(2 * time.Hour)
	if rep := e.cycle(); rep.Replies != 0 {
		t.Errorf("an unread reply was applied: %+v", rep)
	}
	help := e.sent(outReplyHelp)
	if len(help) != 1 {
		t.Fatalf("%d answers to the unread reply, want 1", len(help))
	}
	body := bodyOf(t, help[0])
	for _, want := range []string{"I couldn't read \u201cremind me after the offsite\u201d", "Reply to this mail with one of: done, done Dana, snooze 3 days, skip, away until",
		"reminder about Dana Whitfield"} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer lacks %q:\n%s", want, body)
		}
	}
	if got := help[0].Header.Get("In-Reply-To"); got != "<reply-offsite@example.com>" {
		t.Errorf("the answer is not threaded under the reply: In-Reply-To %q", got)
	}
	if !strings.HasPrefix(help[0].Header.Get("Subject"), "Re: ") {
		t.Errorf("subject %q", help[0].Header.Get("Subject"))
	}

	// Later cycles, and a restart, answer it no more.
	e.clock.Advance(time.Hour)
	e.cycle()
	e.open()
	e.clock.Advance(time.Hour)
	e.cycle()
	if n := len(e.sent(outReplyHelp)); n != 1 {
		t.Fatalf("the unread reply was answered %d times", n)
	}
	if row, err := e.app.st.OutboxByKey(context.Background(), replyHelpKey("reply-offsite@example.com")); err != nil || row.State != store.StateSent {
		t.Errorf("the answer's outbox row: %+v %v", row, err)
	}

	// Replying to the answer acts on the reminder: "done Dana" is for Dana.
	before := e.lastUpdates()
	e.appendReply(help[0], "reply-done-dana@example.com", "Done Dana, thanks!")
	e.clock.Advance(2 * time.Hour)
	if rep := e.cycle(); rep.Replies != 1 {
		t.Fatalf("replies applied = %d, want 1", rep.Replies)
	}
	if n := len(e.sent(outReplyHelp)); n != 1 {
		t.Errorf("a readable reply was answered: %d answers", n)
	}
	after := e.lastUpdates()
	d := after[demo.BossEmail]
	if d.LastSource != nudge.SourceReply || d.LastSubject != "" {
		t.Errorf("the boss's last update: %+v; want a reply without a subject", d)
	}
	if r, r0 := after[demo.PeerEmail], before[demo.PeerEmail]; !r.LastUpdate.Equal(r0.LastUpdate) {
		t.Errorf("done Dana updated Raj too: %v, was %v", r.LastUpdate, r0.LastUpdate)
	}
	_, text, _, err := nudge.Render(nudge.Reminder{Entries: []nudge.Entry{d}}, e.clock.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "marked done on ") || strings.Contains(text, "Re: leadup") {
		t.Errorf("the last update is not shown as marked done:\n%s", text)
	}
}

// lastUpdates evaluates every stakeholder now, by address.
func (e *env) lastUpdates() map[string]nudge.Entry {
	e.t.Helper()
	in, err := e.app.nudgeInput(context.Background(), e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]nudge.Entry{}
	for _, en := range nudge.Evaluate(in).Entries {
		out[en.Stakeholder.Email] = en
	}
	return out
}

// The answer is planned and sent in the same cycle, so it is sent as new
// mail: no look in the mailbox for an earlier attempt (which waits up to
// DeliveryGrace for a copy that cannot exist).
func TestReplyHelpIsSentAsNewMail(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	e.cycle()
	rem := e.sent("reminder")
	if len(rem) != 1 {
		t.Fatalf("%d reminders", len(rem))
	}
	e.appendReply(rem[0], "reply-fresh@example.com", "remind me after the offsite")
	e.clock.Advance(2 * time.Hour)
	var logs bytes.Buffer
	e.app.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.cycle()
	if n := len(e.sent(outReplyHelp)); n != 1 {
		t.Fatalf("%d answers, want 1", n)
	}
	if strings.Contains(logs.String(), "resuming unconfirmed mail") {
		t.Errorf("the answer planned this cycle was resumed as if left over from a crash:\n%s", logs.String())
	}
}
