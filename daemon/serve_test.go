package daemon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
)

type notes struct {
	mu   sync.Mutex
	list []string
}

func (n *notes) add(s string) { n.mu.Lock(); n.list = append(n.list, s); n.mu.Unlock() }
func (n *notes) has(prefix string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, s := range n.list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// waitAsleep waits (in real time) until the loop sleeps on the fake clock
// and returns when it will wake.
func waitAsleep(t *testing.T, e *env) time.Time {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if e.clock.Waiters() > 0 {
			return e.clock.NextWaiter()
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the loop never went to sleep")
	return time.Time{}
}

// TestServeWakesForPollReminderAndDigest runs the loop under a fake clock:
// it sleeps until the reminder time, then the digest slot (both before the
// next poll), sends each once, reloads a good config, keeps the old one on a
// bad config, and stops cleanly when cancelled.
func TestServeWakesForPollReminderAndDigest(t *testing.T) {
	friday := demo.Now // 15:00
	start := time.Date(friday.Year(), friday.Month(), friday.Day(), 8, 0, 0, 0, friday.Location())
	e := newEnv(t, start)
	e.extra = "poll: 4 hours\n"
	e.open()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reports := make(chan CycleReport, 16)
	reload := make(chan struct{})
	var n notes
	cfgPath := filepath.Join(e.dir, "config.yaml")
	done, stopped := make(chan error, 1), make(chan struct{})
	// Serve must be gone before the test ends: its callback reports to t.
	t.Cleanup(func() { cancel(); <-stopped })
	go func() {
		defer close(stopped)
		done <- Serve(ctx, e.app, ServeOptions{
			NoIdle:    true,
			Notify:    n.add,
			ReloadNow: reload,
			Reload:    func() (*App, error) { return e.load(cfgPath) },
			Cycled: func(r CycleReport, err error) {
				if err != nil {
					t.Errorf("cycle: %v", err)
				}
				reports <- r
			},
		})
	}()
	r := <-reports
	if r.Reminder != "" || r.Digest != "" {
		t.Fatalf("08:00 cycle sent %+v", r)
	}
	if !n.has("READY=1") {
		t.Error("no READY=1 notification")
	}
	// Asleep until the 09:30 reminder slot, before the 12:00 poll.
	wake := waitAsleep(t, e)
	if want := start.Add(90 * time.Minute); !wake.Equal(want) {
		t.Fatalf("sleeps until %v, want the reminder time %v", wake, want)
	}
	e.clock.Advance(wake.Sub(e.clock.Now()))
	if r = <-reports; r.Reminder == "" {
		t.Fatalf("09:30 cycle sent no reminder: %+v", r)
	}
	// Next: the 13:30 poll (4 hours), then the 15:00 digest slot.
	wake = waitAsleep(t, e)
	if want := start.Add(330 * time.Minute); !wake.Equal(want) {
		t.Fatalf("sleeps until %v, want the poll at %v", wake, want)
	}
	e.clock.Advance(wake.Sub(e.clock.Now()))
	if r = <-reports; r.Reminder != "" || r.Digest != "" {
		t.Fatalf("13:30 cycle sent %+v", r)
	}
	wake = waitAsleep(t, e)
	if !wake.Equal(friday) {
		t.Fatalf("sleeps until %v, want the digest slot %v", wake, friday)
	}
	e.clock.Advance(wake.Sub(e.clock.Now()))
	if r = <-reports; r.Digest == "" || r.Draft == "" {
		t.Fatalf("15:00 cycle sent no digest: %+v", r)
	}
	if got := len(e.sent("reminder")) + len(e.sent("digest")); got != 2 {
		t.Fatalf("%d mails sent, want one reminder and one digest", got)
	}

	// A bad config on reload is refused and the running one kept.
	waitAsleep(t, e)
	good, _ := os.ReadFile(cfgPath)
	if err := os.WriteFile(cfgPath, append(good, []byte("colour: blue\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	reload <- struct{}{}
	<-reports
	if !n.has("STATUS=reload failed") || !n.has("RELOADING=1") {
		t.Errorf("a bad reload was not reported: %v", n.list)
	}
	// A good one is taken: a 30-minute poll now.
	waitAsleep(t, e)
	if err := os.WriteFile(cfgPath, []byte(strings.Replace(string(good), "poll: 4 hours", "poll: 30 minutes", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	reload <- struct{}{}
	<-reports
	// The timer of the sleep the reload interrupted stays registered on
	// the fake clock (it fires into a channel nobody reads), so wait for
	// the earliest deadline to become the new poll.
	want := e.clock.Now().Add(30 * time.Minute)
	deadline := time.Now().Add(20 * time.Second)
	for !e.clock.NextWaiter().Equal(want) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := e.clock.NextWaiter(); !got.Equal(want) {
		t.Errorf("after reload sleeps until %v, want the new 30-minute poll %v", got, want)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve returned %v on cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop within 10 s of cancel")
	}
	if !n.has("STOPPING=1") {
		t.Error("no STOPPING=1 notification")
	}
}

// TestServeWakesOnNewMail: with IDLE on, a message arriving in the Inbox
// wakes the sleeping loop long before the next poll.
func TestServeWakesOnNewMail(t *testing.T) {
	friday := demo.Now
	e := newEnv(t, time.Date(friday.Year(), friday.Month(), friday.Day(), 8, 0, 0, 0, friday.Location()))
	e.extra = "poll: 4 hours\n"
	e.open()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reports := make(chan CycleReport, 16)
	done, stopped := make(chan error, 1), make(chan struct{})
	// Serve must be gone before the test ends: its callback reports to t.
	t.Cleanup(func() { cancel(); <-stopped })
	go func() {
		defer close(stopped)
		done <- Serve(ctx, e.app, ServeOptions{
			Notify: func(string) {},
			Cycled: func(r CycleReport, err error) {
				if err != nil {
					t.Errorf("cycle: %v", err)
				}
				reports <- r
			},
		})
	}()
	<-reports
	waitAsleep(t, e)
	// Deliver new mail, again every second in case the IDLE watcher was
	// not listening yet when the first arrived.
	ask := func(n int) []byte {
		return []byte(fmt.Sprintf("From: %s <%s>\r\nTo: %s\r\nSubject: Zephyr\r\nMessage-ID: <new-ask-%d@example.com>\r\nDate: %s\r\n\r\nWhere are we on Zephyr?\r\n",
			demo.BossName, demo.BossEmail, demo.UserEmail, n, e.clock.Now().Format(time.RFC1123Z)))
	}
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	appended := 0
	for {
		select {
		case r := <-reports:
			if appended == 0 {
				t.Fatalf("a cycle ran before any new mail: %+v", r)
			}
			if r.Sync.Stored == 0 {
				t.Fatalf("woken, but the new mail was not read: %+v", r.Sync)
			}
			cancel()
			<-done
			return
		case <-tick.C:
			appended++
			if err := e.srv.Append("INBOX", ask(appended), e.clock.Now()); err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			t.Fatal("new mail in the Inbox did not wake the loop within 30 s (the fake clock never moved)")
		}
	}
}

// The watcher watches what a cycle reads, as the server spells it: the
// Inbox, Sent and every label the server has, each once; a label the
// server lacks is left out (the cycle reports it).
func TestWatchFoldersAreWhatACycleReads(t *testing.T) {
	e := newEnv(t, demo.Now)
	c, found, err := e.app.connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	want := []string{"INBOX", found.Sent}
	for _, p := range demo.Projects {
		want = append(want, p.Label)
	}
	if got := e.app.watchFolders(found); !slices.Equal(got, want) {
		t.Errorf("watched %q, want %q", got, want)
	}
	found.All = slices.DeleteFunc(slices.Clone(found.All), func(n string) bool { return n == "Status/Zephyr" })
	want = slices.DeleteFunc(want, func(n string) bool { return n == "Status/Zephyr" })
	if got := e.app.watchFolders(found); !slices.Equal(got, want) {
		t.Errorf("with Status/Zephyr missing, watched %q, want %q", got, want)
	}
}

// A cycle whose only problem is a folder it cannot read is no failure to
// retry in 30 seconds: the daemon reports it and sleeps until its next
// poll or reminder, as after a good cycle.
func TestServeFolderProblemIsNoFailure(t *testing.T) {
	e := newBadLabelsEnv(t, demo.Now.Add(-9*time.Hour)) // Fri 06:00, before the reminder
	e.extra = "poll: 4 hours\n"
	e.open()
	ctx, cancel := context.WithCancel(context.Background())
	var n notes
	errs := make(chan error, 4)
	stopped := make(chan struct{})
	t.Cleanup(func() { cancel(); <-stopped })
	go func() {
		defer close(stopped)
		Serve(ctx, e.app, ServeOptions{Notify: n.add, Cycled: func(_ CycleReport, err error) { errs <- err }})
	}()
	if err := <-errs; err == nil || !strings.Contains(err.Error(), "status/zephyr") {
		t.Fatalf("first cycle: %v; want the bad label reported", err)
	}
	start := e.clock.Now()
	wake := waitAsleep(t, e)
	if wake.Sub(start) < 5*time.Minute {
		t.Errorf("after a folder problem the loop wakes at %s, %v later: a retry, as after a failure", wake.Format("15:04:05"), wake.Sub(start))
	}
	if !n.has("STATUS=ok at") || n.has("STATUS=last cycle failed") {
		t.Errorf("systemd status notes %q: want ok, with the folder problems", n.list)
	}
}
