package daemon

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/internal/golden"
)

// TestDemo checks what a newcomer sees: a reminder that leads with the
// boss's ask and the bad news she should hear first, and a digest with the
// right health per project, plus the HTML file and the draft.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	res, err := RunDemo(context.Background(), dir, demo.Now, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"check in with Dana Whitfield", "HEARD IT FIRST", "over the 8 workday limit", "Any update on Apollo?",
		"Raj Patel", "Zephyr numbers for the platform review", "reply to this mail", "from Priya Sharma",
	} {
		if !strings.Contains(strings.ToLower(res.Reminder), strings.ToLower(want)) {
			t.Errorf("reminder lacks %q:\n%s", want, res.Reminder)
		}
	}
	if i, j := strings.Index(res.Reminder, "Dana Whitfield (boss)"), strings.Index(res.Reminder, "Raj Patel (peer)"); i < 0 || j < 0 || i > j {
		t.Errorf("the boss (red, asked) must come before the peer")
	}
	for _, want := range []string{"weekly update for Dana", "week 47", "[RED]    Apollo", "[GREEN]  Zephyr", "Atlas: No signal",
		"Credit: Zoë Martin, Søren Nielsen and Amara Okafor", "ASKS / WHERE I NEED YOUR INPUT", "Drafts folder", "You asked about Apollo on Wed 18 Nov: blocked"} {
		if !strings.Contains(res.Digest, want) {
			t.Errorf("digest lacks %q:\n%s", want, res.Digest)
		}
	}
	// Read as the boss and the user would: the golden files are the
	// demo's reminder and digest, whole.
	golden.Check(t, "demo.reminder.txt", res.Reminder)
	golden.Check(t, "demo.digest.txt", res.Digest)
	// No quoted text, signature or disclaimer leaks into the digest.
	for _, leak := range []string{"> ", "wrote:", "+49", "confidential", "Sent from my", "-----Original"} {
		if strings.Contains(res.Digest, leak) {
			t.Errorf("digest leaks %q:\n%s", leak, res.Digest)
		}
	}
	html, err := os.ReadFile(res.HTMLFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "tracker.example.com", "javascript:", "cid:"} {
		if bytes.Contains(bytes.ToLower(html), []byte(bad)) {
			t.Errorf("HTML digest contains %q", bad)
		}
	}
	if res.Drafts != 1 {
		t.Errorf("%d drafts, want 1", res.Drafts)
	}
	var dana *StakeholderStatus
	for i := range res.Status.Stakeholders {
		if res.Status.Stakeholders[i].Email == demo.BossEmail {
			dana = &res.Status.Stakeholders[i]
		}
	}
	if dana == nil || !dana.Overdue || dana.OpenAsks != 1 || dana.DaysSince == nil || *dana.DaysSince != 12 {
		t.Errorf("status of the boss: %+v", dana)
	}
	health := map[string]string{}
	for _, p := range res.Status.Projects {
		health[p.Name] = p.Health
	}
	if health["Apollo"] != "red" || health["Zephyr"] != "green" || health["Atlas"] != "unknown" {
		t.Errorf("project health %v", health)
	}
	var out bytes.Buffer
	WriteDemo(&out, res, true)
	if !strings.Contains(out.String(), res.HTMLFile) || !strings.Contains(out.String(), "THE REMINDER") {
		t.Errorf("demo output:\n%s", out.String())
	}
	// A demo whose directory is gone points at --keep, not at the file.
	out.Reset()
	WriteDemo(&out, res, false)
	if strings.Contains(out.String(), res.HTMLFile) || !strings.Contains(out.String(), "leadup demo --keep") || !strings.Contains(out.String(), "leadup config example") {
		t.Errorf("demo output without its directory:\n%s", out.String())
	}
}
