package daemon

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
)

// TestPreviewReminder: at Friday 10:00 the preview is the reminder the
// cycle then sends, word for word, and previewing records nothing; once it
// is sent, the preview is the next one, at a later check.
func TestPreviewReminder(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	e.syncOnly()
	before := dumpState(t, e.app.st.Path())
	p, err := e.app.PreviewReminder(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Due || p.None || p.Subject == "" || !strings.Contains(p.Text, strings.Fields(demo.BossName)[0]) || len(p.For) == 0 || p.For[0] != demo.BossName {
		t.Fatalf("preview %+v: want today's reminder, about the boss first", p)
	}
	if after := dumpState(t, e.app.st.Path()); !reflect.DeepEqual(before, after) {
		t.Error("previewing the reminder changed the state")
	}
	e.cycle()
	sent := e.sent("reminder")
	if len(sent) != 1 || sent[0].Header.Get("Subject") != p.Subject {
		t.Fatalf("sent %d reminders; want one with the preview's subject %q", len(sent), p.Subject)
	}
	if body := bodyOf(t, sent[0]); !strings.Contains(strings.ReplaceAll(body, "\r\n", "\n"), firstLine(p.Text)) {
		t.Errorf("the reminder sent does not begin as the preview:\n%s\n---\n%s", body, p.Text)
	}
	next, err := e.app.PreviewReminder(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next.Due || (!next.None && !next.At.After(e.clock.Now())) {
		t.Errorf("after sending: preview %+v, want the next one, later", next)
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
