package daemon

import (
	"os"
	"strings"
	"testing"
)

// TestDemoReminderFitsAPhone: the demo's reminder (a typical week: the boss
// red with an ask, a peer's ask, bad news she should hear first) fits one
// phone screen, 20 lines of text below the mail's header lines.
func TestDemoReminderFitsAPhone(t *testing.T) {
	b, err := os.ReadFile("testdata/demo.reminder.txt")
	if err != nil {
		t.Fatal(err)
	}
	header, body, ok := strings.Cut(string(b), "\n\n")
	if !ok || !strings.HasPrefix(header, "Subject: ") {
		t.Fatalf("the golden file does not start with its Subject line:\n%s", b)
	}
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	if len(lines) > 20 {
		t.Errorf("the demo reminder has %d lines of text, want at most 20:\n%s", len(lines), body)
	}
	// Whom to write and why: the boss's line comes first and says it.
	for _, l := range lines {
		if strings.HasPrefix(l, "1. ") {
			if !strings.HasPrefix(l, "1. Dana Whitfield (boss): asked on ") || !strings.Contains(l, "Any update on Apollo?") {
				t.Errorf("the first person is not the boss with her ask: %q", l)
			}
			break
		}
	}
}
