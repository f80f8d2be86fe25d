package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/mailbox"
)

const (
	fri10 = "2026-11-20T10:00:00+01:00" // the reminder is due
	fri15 = "2026-11-20T15:00:00+01:00" // the reminder and the digest
)

func startDemo(t *testing.T) *demo.Servers {
	t.Helper()
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

type nextStatusJSON struct {
	NextReminder *time.Time `json:"next_reminder"`
	NextDigest   *time.Time `json:"next_digest"`
	LastSync     *time.Time `json:"last_sync"`
	LastCycle    *struct {
		At    time.Time `json:"at"`
		OK    bool      `json:"ok"`
		Error *string   `json:"error"`
	} `json:"last_cycle"`
	Stakeholders []struct{ Name string } `json:"stakeholders"`
	Failed       []struct {
		ID  int64  `json:"id"`
		Fix string `json:"fix"`
	} `json:"failed"`
	Pending []struct {
		ID int64 `json:"id"`
	} `json:"pending"`
}

func nextStatusOf(t *testing.T, path, now string) nextStatusJSON {
	t.Helper()
	code, stdout, stderr := leadup(t, "status", "--json", "--config", path, "--now", now)
	if code != 0 {
		t.Fatalf("status --json: exit %d\n%s", code, stderr)
	}
	var st nextStatusJSON
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	return st
}

// TestRunOnceDryRun: `run --once --dry-run` at Friday 15:00 prints the
// reminder, the digest and the draft with what would be recorded, and a
// summary; nothing reaches the SMTP server or Drafts and no state is
// written. The real run after it sends both, and status then has the next
// times, the last sync and the last cycle.
func TestRunOnceDryRun(t *testing.T) {
	srv := startDemo(t)
	dir := t.TempDir()
	path := demoConfigFile(t, srv, dir, "digest: {schedule: \"Fri 15:00\", draft_for: boss}\n")
	code, stdout, stderr := leadup(t, "run", "--once", "--dry-run", "--config", path, "--now", fri15)
	t.Logf("run --once --dry-run:\n%s%s", stdout, stderr)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"DRY RUN as of Fri 20 Nov 2026 15:00 CET: nothing is sent, saved or recorded.",
		"THE REMINDER that would go to " + demo.UserEmail, "THE DIGEST that would go to " + demo.UserEmail,
		"THE DRAFT that would be saved in Drafts, addressed to \"" + demo.BossName + "\" <" + demo.BossEmail + ">", "Subject: ",
		"Would record: reminder reminder:2026-11-20 sent; digest digest:", "dry run: read ", "reminder would go to you (" + demo.BossName + ")",
		"nothing was sent, saved or recorded",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry run output lacks %q", want)
		}
	}
	if n := len(srv.Delivered()); n != 0 {
		t.Errorf("a dry run delivered %d mails", n)
	}
	if drafts, _ := srv.Messages("Drafts"); len(drafts) != 0 || srv.Writes() != 0 {
		t.Errorf("a dry run saved %d drafts, made %d writes", len(drafts), srv.Writes())
	}
	if _, err := os.Stat(filepath.Join(dir, "state.db")); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the state (%v)", err)
	}

	// Before the first sync: what to run, not "never, overdue".
	code, stdout, _ = leadup(t, "status", "--config", path, "--now", fri15)
	if code != 0 || !strings.Contains(stdout, "has not read your mailbox yet: run `leadup run --once`") || strings.Contains(stdout, "overdue") {
		t.Errorf("status before the first sync (exit %d):\n%s", code, stdout)
	}
	if st := nextStatusOf(t, path, fri15); st.LastSync != nil || st.LastCycle != nil || st.NextDigest == nil {
		t.Errorf("status --json before the first sync: %+v", st)
	}

	if code, _, stderr := leadup(t, "run", "--once", "--config", path, "--now", fri15); code != 0 {
		t.Fatalf("run --once: exit %d\n%s", code, stderr)
	}
	if n := len(srv.Delivered()); n != 2 {
		t.Errorf("the real run delivered %d mails, want the reminder and the digest", n)
	}
	st := nextStatusOf(t, path, "2026-11-20T16:00:00+01:00")
	if st.LastSync == nil || !st.LastSync.Equal(demo.Now) || st.LastCycle == nil || !st.LastCycle.OK || st.LastCycle.Error != nil {
		t.Errorf("status --json after the run: last sync %v, last cycle %+v", st.LastSync, st.LastCycle)
	}
	if st.NextReminder == nil || !st.NextReminder.After(demo.Now) || st.NextDigest == nil || !st.NextDigest.After(demo.Now) {
		t.Errorf("status --json after the run: next reminder %v, next digest %v", st.NextReminder, st.NextDigest)
	}
	code, stdout, _ = leadup(t, "status", "--config", path, "--now", "2026-11-20T16:00:00+01:00")
	if code != 0 || !strings.Contains(stdout, "last sync Fri 20 Nov 15:00; last cycle Fri 20 Nov 15:00: ok") ||
		!strings.Contains(stdout, "next reminder check: ") || !strings.Contains(stdout, "next digest: Fri 27 Nov 15:00") {
		t.Errorf("status after the run:\n%s", stdout)
	}
}

// TestRemindPreviews: `leadup remind` prints the reminder due, sends
// nothing and records nothing that a cycle would see: the cycle after it
// sends the same reminder; --html writes its HTML.
func TestRemindPreviews(t *testing.T) {
	srv := startDemo(t)
	path := demoConfigFile(t, srv, t.TempDir(), "")
	html := filepath.Join(t.TempDir(), "reminder.html")
	code, stdout, stderr := leadup(t, "remind", "--html", html, "--config", path, "--now", fri10)
	if code != 0 {
		t.Fatalf("remind: exit %d\n%s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "Subject: ") || !strings.Contains(stdout, strings.Fields(demo.BossName)[0]) {
		t.Errorf("remind printed:\n%s", stdout)
	}
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), "<") {
		t.Errorf("--html wrote %q, %v", b, err)
	}
	if n := len(srv.Delivered()); n != 0 {
		t.Fatalf("remind delivered %d mails", n)
	}
	subject := strings.TrimPrefix(strings.SplitN(stdout, "\n", 2)[0], "Subject: ")
	if code, _, stderr := leadup(t, "run", "--once", "--config", path, "--now", fri10); code != 0 {
		t.Fatalf("run --once: exit %d\n%s", code, stderr)
	}
	d := srv.Delivered()
	if len(d) != 1 || !strings.Contains(string(d[0].Data), "X-Leadup: reminder") {
		t.Fatalf("run --once after remind delivered %d mails, want the reminder", len(d))
	}
	// Sent: the preview is now of the next one.
	code, stdout, _ = leadup(t, "remind", "--config", path, "--now", "2026-11-20T11:00:00+01:00")
	if code != 0 || !(strings.HasPrefix(stdout, "No reminder is due now. The next goes out at the check on ") || strings.HasPrefix(stdout, "No reminder is due within")) {
		t.Errorf("remind after the reminder went out:\n%s", stdout)
	}
	m, err := mail.ReadMessage(bytes.NewReader(d[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); got != subject {
		t.Errorf("the reminder sent, %q, is not the one previewed, %q", got, subject)
	}
}

// TestOutboxRetryAndDismiss: a reminder the server refused is listed by
// status with its number and `leadup outbox retry N`; retry makes it
// pending and the next run sends it; dismiss hides another; bad IDs exit 2
// with what to do.
func TestOutboxRetryAndDismiss(t *testing.T) {
	srv := startDemo(t)
	path := demoConfigFile(t, srv, t.TempDir(), "")
	srv.FailNext(&smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "rejected"})
	if code, _, _ := leadup(t, "run", "--once", "--config", path, "--now", fri10); code != 1 {
		t.Fatalf("run --once with a 554: exit %d, want 1", code)
	}
	st := nextStatusOf(t, path, fri10)
	if len(st.Failed) != 1 || st.Failed[0].ID == 0 {
		t.Fatalf("status --json failed = %+v", st.Failed)
	}
	id := st.Failed[0].ID
	idText := itoa(id)
	code, stdout, _ := leadup(t, "status", "--config", path, "--now", fri10)
	if code != 0 || !strings.Contains(stdout, "FAILED #"+idText+" reminder") || !strings.Contains(stdout, "`leadup outbox retry "+idText+"`") {
		t.Errorf("status:\n%s", stdout)
	}
	for _, bad := range [][]string{{"retry", "abc"}, {"retry", "99"}, {"retry"}, {"dismiss", "0"}} {
		code, _, stderr := leadup(t, append(append([]string{"outbox"}, bad...), "--config", path, "--now", fri10)...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "status") && !strings.Contains(stderr, "number") {
			t.Errorf("outbox %v: exit %d, %q; want 2 and one line saying what to give", bad, code, stderr)
		}
	}
	code, stdout, stderr := leadup(t, "outbox", "retry", idText, "--config", path, "--now", fri10)
	if code != 0 || !strings.Contains(stdout, "retrying #"+idText) {
		t.Fatalf("outbox retry: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := leadup(t, "outbox", "retry", idText, "--config", path, "--now", fri10); code != 2 || !strings.Contains(stderr, "pending already") {
		t.Errorf("a second retry: exit %d, %s", code, stderr)
	}
	if st := nextStatusOf(t, path, fri10); len(st.Failed) != 0 || len(st.Pending) != 1 || st.Pending[0].ID != id {
		t.Errorf("after retry: %+v", st)
	}
	if code, _, stderr := leadup(t, "run", "--once", "--config", path, "--now", "2026-11-20T11:00:00+01:00"); code != 0 {
		t.Fatalf("run --once after retry: exit %d\n%s", code, stderr)
	}
	if n := len(srv.Delivered()); n != 1 {
		t.Errorf("%d mails delivered after the retry, want the reminder once", n)
	}

	// Dismiss: the next Friday's reminder fails and is dismissed.
	srv.FailNext(&smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "rejected"})
	const next = "2026-11-27T10:00:00+01:00"
	leadup(t, "run", "--once", "--config", path, "--now", next)
	st = nextStatusOf(t, path, next)
	if len(st.Failed) != 1 {
		t.Fatalf("status --json failed = %+v, want the second reminder", st.Failed)
	}
	code, stdout, _ = leadup(t, "outbox", "dismiss", itoa(st.Failed[0].ID), "--config", path, "--now", next)
	if code != 0 || !strings.Contains(stdout, "dismissed #") {
		t.Errorf("outbox dismiss: exit %d\n%s", code, stdout)
	}
	if st := nextStatusOf(t, path, next); len(st.Failed) != 0 {
		t.Errorf("status still lists the dismissed mail: %+v", st.Failed)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestCheckConnectFlagsATypo: a stakeholder address one letter off the one
// the user writes to is a warning naming both; the check still passes.
func TestCheckConnectFlagsATypo(t *testing.T) {
	srv := startDemo(t)
	path := demoConfigFile(t, srv, t.TempDir(), "")
	b, _ := os.ReadFile(path)
	typo := strings.Replace(demo.BossEmail, "example", "exampel", 1)
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), "email: "+demo.BossEmail, "email: "+typo, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := leadup(t, "check", "--connect", "--config", path)
	t.Logf("check --connect:\n%s%s", stdout, stderr)
	if code != 0 {
		t.Errorf("exit %d, want 0: a warning does not fail the check", code)
	}
	want := "warning: stakeholder " + demo.BossName + " <" + typo + ">: no mail to this address in Sent"
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "a typo? you wrote to "+demo.BossEmail) {
		t.Errorf("check --connect lacks %q and the address meant", want)
	}
}

// TestCycleSummary: the line run --once ends with on a terminal.
func TestCycleSummary(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := demo.Now
	rep := daemon.CycleReport{Now: now, Sync: mailbox.Stats{Stored: 12}, Reminder: "reminder:2026-11-20", ReminderFor: []string{"Dana Whitfield"}}
	got := cycleSummary(rep, false, now.AddDate(0, 0, 3), now.AddDate(0, 0, 7), loc)
	want := "synced 12 new messages; reminder sent to you (Dana Whitfield); digest not due until Fri 27 Nov 15:00; 0 problems"
	if got != want {
		t.Errorf("summary\n got %q\nwant %q", got, want)
	}
	rep = daemon.CycleReport{Now: now, Sync: mailbox.Stats{Stored: 1}, Digest: "d", Draft: "x", Problems: 1}
	got = cycleSummary(rep, true, time.Time{}, time.Time{}, loc)
	want = "dry run: read 1 new message; no reminder due; digest would go to you, its draft would be saved in Drafts; 1 problem; nothing was sent, saved or recorded"
	if got != want {
		t.Errorf("dry summary\n got %q\nwant %q", got, want)
	}
}

// TestSyncProgress: in the journal a long folder gets a line every so
// often and one at its end, a short one none; on a terminal a folder of
// many messages gets a bar, one of few none.
func TestSyncProgress(t *testing.T) {
	var logs bytes.Buffer
	clock := time.Unix(0, 0)
	p := &syncProgress{log: slog.New(slog.NewTextHandler(&logs, nil)), every: 5 * time.Second, minBar: 200, now: func() time.Time { return clock }}
	for i := 1; i <= 3; i++ {
		p.report("Sent", i, 3) // read in a moment: nothing
	}
	for i := 1; i <= 100; i++ {
		clock = clock.Add(time.Second)
		p.report("INBOX", i, 100)
	}
	out := logs.String()
	if strings.Contains(out, "Sent") {
		t.Errorf("a folder read in a moment was logged:\n%s", out)
	}
	if n := strings.Count(out, `msg="reading the mailbox" folder=INBOX`); n < 15 || n > 25 {
		t.Errorf("%d progress lines for 100 s of reading, want about one every 5 s:\n%s", n, out)
	}
	if !strings.Contains(out, `msg="read the folder" folder=INBOX messages=100`) {
		t.Errorf("no line at the folder's end:\n%s", out)
	}

	var bars bytes.Buffer
	p = &syncProgress{bars: &bars, log: slog.New(slog.NewTextHandler(&logs, nil)), every: 5 * time.Second, minBar: 200, now: time.Now}
	for i := 1; i <= 10; i++ {
		p.report("Sent", i, 10)
	}
	if bars.Len() != 0 {
		t.Errorf("a bar for 10 messages: %q", bars.String())
	}
	for i := 1; i <= 500; i++ {
		p.report("INBOX", i, 500)
	}
	if !strings.Contains(bars.String(), "reading INBOX") {
		t.Errorf("no bar for 500 messages: %q", bars.String())
	}
}
