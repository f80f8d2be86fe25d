package daemon

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/store"
)

// badLabels mis-cases Zephyr's label and points Atlas at a folder that does
// not exist.
func badLabels(text string) string {
	for _, r := range [][2]string{{`label: "Status/Zephyr"`, `label: "status/zephyr"`}, {`label: "Status/Atlas"`, `label: "Status/Atlantis"`}} {
		if !strings.Contains(text, r[0]) {
			panic("test bug: the demo config has no " + r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	return text
}

func newBadLabelsEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, dir: t.TempDir(), clock: clock.NewFake(now), edit: badLabels}
	e.open()
	return e
}

func (e *env) stored(project string) int {
	e.t.Helper()
	n, _, err := e.app.st.CountMessages(context.Background(), store.KindProject, project)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) onServer(folder string) int {
	e.t.Helper()
	msgs, err := e.srv.Messages(folder)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(msgs)
}

// TestBadLabelsDoNotStopTheCycle: a label the server refuses to open (it is
// mis-cased, and imapmemserver minds case as Dovecot does) and a label that
// does not exist at all do not stop the cycle: the Inbox, Sent and the good
// label are read, the due reminder goes out, and the cycle's error and
// status name both folders with a fix that names the folder meant. Once
// the config is fixed, the next cycle reads both folders from the start
// and status is clear.
func TestBadLabelsDoNotStopTheCycle(t *testing.T) {
	e := newBadLabelsEnv(t, demo.Now.Add(-5*time.Hour)) // Fri 10:00: the reminder is due
	ctx := context.Background()
	rep, err := e.app.RunOnce(ctx)
	t.Logf("cycle error:\n%v", err)
	var fe *FolderError
	if !errors.As(err, &fe) {
		t.Fatalf("cycle error = %v; want a *FolderError", err)
	}
	if rep.Reminder == "" || len(e.sent("reminder")) != 1 {
		t.Fatalf("no reminder went out: %+v", rep)
	}
	if got, want := e.stored("Apollo"), e.onServer("Status/Apollo"); got != want || want == 0 {
		t.Errorf("Apollo: %d messages stored, want the label's %d", got, want)
	}
	if rep.Updates == 0 {
		t.Error("no updates derived from Sent: the bad labels stopped the sync")
	}
	if len(rep.Folders) != 2 {
		t.Fatalf("cycle report folders = %+v; want the two bad labels", rep.Folders)
	}
	for _, want := range []string{`"status/zephyr"`, `"Status/Zephyr"`, `"Status/Atlantis"`, `"Status/Atlas"`, "projects[1].label", "projects[2].label"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the cycle's error does not name %s:\n%v", want, err)
		}
	}

	st, err := e.app.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]FolderProblem{}
	for _, f := range st.Folders {
		byName[f.Name] = f
	}
	z, a := byName["status/zephyr"], byName["Status/Atlantis"]
	if z.Project != "Zephyr" || !strings.Contains(z.Error, "NONEXISTENT") ||
		!strings.Contains(z.Fix, `set projects[1].label to "Status/Zephyr"`) {
		t.Errorf("status of the mis-cased label: %+v", z)
	}
	if a.Project != "Atlas" || a.Error == "" || !strings.Contains(a.Fix, "projects[2].label") || !strings.Contains(a.Fix, `"Status/Atlas"`) {
		t.Errorf("status of the missing label: %+v", a)
	}
	if len(st.Folders) != 2 || !z.Since.Equal(e.clock.Now()) {
		t.Errorf("status folders = %+v; want two, since this cycle", st.Folders)
	}

	// An hour later the problems are the same, and still date from the
	// first cycle that met them; nothing is sent twice.
	first := e.clock.Now()
	e.clock.Advance(time.Hour)
	if _, err := e.app.RunOnce(ctx); !errors.As(err, &fe) || len(fe.Problems) != 2 {
		t.Fatalf("second cycle: %v; want the same two folders", err)
	}
	if n := len(e.sent("reminder")); n != 1 {
		t.Errorf("%d reminders after two cycles, want 1", n)
	}
	st, _ = e.app.Status(ctx)
	for _, f := range st.Folders {
		if !f.Since.Equal(first) || !f.At.Equal(e.clock.Now()) {
			t.Errorf("%s: since %v at %v; want since the first cycle %v, at this one", f.Name, f.Since, f.At, first)
		}
	}

	// Fixed: both folders are read whole, and status is clear.
	e.edit = nil
	e.open()
	e.clock.Advance(time.Hour)
	if rep := e.cycle(); len(rep.Folders) != 0 {
		t.Fatalf("after the fix: %+v", rep.Folders)
	}
	for p, f := range map[string]string{"Zephyr": "Status/Zephyr", "Atlas": "Status/Atlas"} {
		if got, want := e.stored(p), e.onServer(f); got != want || want == 0 {
			t.Errorf("%s after the fix: %d stored, want the label's %d", p, got, want)
		}
	}
	if st, _ := e.app.Status(ctx); len(st.Folders) != 0 {
		t.Errorf("status after the fix still lists %+v", st.Folders)
	}
}

// TestStatusDropsAFixedLabel: a problem recorded for a label the config no
// longer reads is not shown, even before a cycle confirms the fix.
func TestStatusDropsAFixedLabel(t *testing.T) {
	e := newBadLabelsEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	if _, err := e.app.RunOnce(ctx); err == nil {
		t.Fatal("no error with two bad labels")
	}
	e.edit = nil
	e.open()
	st, err := e.app.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Folders) != 0 {
		t.Errorf("status lists folders the config no longer reads: %+v", st.Folders)
	}
}

// TestVanishedFolder: a label deleted between the folder list and its
// EXAMINE is reported and the others are read.
func TestVanishedFolder(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	c, found, err := e.app.connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := e.srv.Delete("Status/Zephyr"); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.app.sync(ctx, c, found, time.Time{})
	var fe *FolderError
	if !errors.As(err, &fe) || len(fe.Problems) != 1 || fe.Problems[0].Name != "Status/Zephyr" {
		t.Fatalf("sync = %v; want Status/Zephyr alone reported", err)
	}
	if p := fe.Problems[0]; !strings.Contains(p.Fix, "projects[1].label") {
		t.Errorf("fix %q does not name the key to change", p.Fix)
	}
	for p, f := range map[string]string{"Apollo": "Status/Apollo", "Atlas": "Status/Atlas"} {
		if got, want := e.stored(p), e.onServer(f); got != want {
			t.Errorf("%s: %d stored, want %d", p, got, want)
		}
	}
}

// TestLoginFailureStillStopsTheCycle: a refused login is not a folder
// problem: the cycle stops before anything is sent, as before.
func TestLoginFailureStillStopsTheCycle(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	e.edit = func(s string) string { return strings.Replace(s, demo.Password, "wrong-password", 1) }
	e.open()
	_, err := e.app.RunOnce(context.Background())
	var fe *FolderError
	if err == nil || errors.As(err, &fe) {
		t.Fatalf("cycle with a wrong IMAP password: %v; want a login error, not a folder problem", err)
	}
	if n := len(e.srv.Delivered()); n != 0 {
		t.Errorf("%d mails sent by a cycle that could not log in", n)
	}
}

// TestAddStatsCoversEveryField: a field added to mailbox.Stats is summed
// over the folders too, not silently left at zero.
func TestAddStatsCoversEveryField(t *testing.T) {
	var one mailbox.Stats
	v := reflect.ValueOf(&one).Elem()
	for i := range v.NumField() {
		v.Field(i).SetInt(1)
	}
	var sum mailbox.Stats
	addStats(&sum, one)
	addStats(&sum, one)
	s := reflect.ValueOf(sum)
	for i := range s.NumField() {
		if s.Field(i).Int() != 2 {
			t.Errorf("addStats leaves out mailbox.Stats.%s", s.Type().Field(i).Name)
		}
	}
}
