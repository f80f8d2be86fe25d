//go:build e2e

// End-to-end tests of what leadup promises when the network or the setup
// fails: against the real Dovecot and Postfix, through the project's own
// fault-injecting proxy (daemon/e2e.CutProxy: cuts, stalls, latency).
package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/e2e"
)

func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A wrong SMTP password is the setup's fault: the day's reminder, the
// week's digest and its draft wait (status says what to fix), and once the
// password is fixed each arrives exactly once.
func TestE2EWrongSMTPPasswordThenFixed(t *testing.T) {
	f := newFixture(t)
	f.seed(demo.Mailbox(demo.Now))
	wrong := f.writeConfig("wrong-smtp.yaml", configOpts{smtpPassword: "not-the-password"})

	r := f.runWith(wrong, "run", "--once", "--now", rfc(demo.Now))
	if r.code != 1 || !strings.Contains(r.stderr, "smtp.username") {
		t.Fatalf("a cycle with a wrong SMTP password: want exit 1 naming the fix\n%s", r)
	}
	st := f.status(demo.Now.Add(time.Minute))
	var kinds []string
	for _, p := range st.Pending {
		kinds = append(kinds, p.Kind)
		if p.Kind != "draft" && !strings.Contains(p.Error, "check smtp.username") {
			t.Errorf("pending %s says %q; want the fix", p.Kind, p.Error)
		}
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{"digest", "draft", "reminder"}) || len(st.Failed) != 0 {
		t.Fatalf("after the refused login: pending %v, failed %+v; want the reminder, digest and draft pending", kinds, st.Failed)
	}
	if d := f.fetch("Drafts", "", ""); len(d) != 0 {
		t.Fatalf("the draft was saved although its digest was not sent")
	}

	// Fixed: the next cycle, the same afternoon, sends each once.
	f.runOnce(demo.Now.Add(30 * time.Minute))
	f.runOnce(demo.Now.Add(time.Hour))
	f.waitForMail("reminder", 1, time.Minute)
	f.waitForMail("digest", 1, time.Minute)
	f.barrier()
	if r, d := len(f.leadupMail("reminder")), len(f.leadupMail("digest")); r != 1 || d != 1 {
		t.Errorf("after the fix: %d reminders, %d digests; want 1 and 1", r, d)
	}
	if d := f.fetch("Drafts", "", ""); len(d) != 1 {
		t.Errorf("after the fix: %d drafts, want 1", len(d))
	}
	if st := f.status(demo.Now.Add(time.Hour)); len(st.Pending) != 0 || len(st.Failed) != 0 {
		t.Errorf("after the fix: pending %+v, failed %+v", st.Pending, st.Failed)
	}
}

// A server that stalls again and again costs a cycle its deadline (five
// imap.timeout), not a timeout per stall: the cycle ends, releases the
// state, and the next cycle succeeds.
func TestE2EStallsEndTheCycleAtItsDeadline(t *testing.T) {
	f := newFixture(t)
	// The demo mailbox and a year of older list mail: enough for a sync
	// that makes progress between nine stalls.
	msgs := demo.Mailbox(demo.Now)
	for i := range 300 {
		d := demo.Now.AddDate(0, 0, -30-i)
		raw := fmt.Sprintf("From: Bob Lee <bob@example.com>\r\nTo: apollo-team@example.com\r\nSubject: Apollo notes %d\r\n"+
			"Date: %s\r\nMessage-ID: <stall-%d@example.com>\r\n\r\n%s\r\n", i, d.Format(time.RFC1123Z), i,
			strings.Repeat("Notes from the Apollo sync, nothing new. ", 50))
		msgs = append(msgs, demo.Seeded{Folder: demo.Projects[0].Label, Raw: []byte(raw), Date: d})
	}
	f.seed(msgs)
	proxy := e2e.NewCutProxy(t, f.s.IMAPSAddr())
	const timeout = 2 * time.Second
	cfg := f.writeConfig("stalling.yaml", configOpts{imapPort: portOf(t, proxy.Addr), imapTimeout: "2s"})

	// Each connection gets somewhere (the greeting, the login, a few
	// messages) and then stalls: nine times, each after progress, so only
	// a deadline for the whole cycle ends it early.
	const stalls = 9
	proxy.StallAfter(24 << 10)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := f.command(ctx, cfg, "run", "--once", "--now", rfc(demo.Now))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for proxy.Stalls() == 0 && time.Since(start) < time.Minute {
		time.Sleep(20 * time.Millisecond)
	}
	if proxy.Stalls() == 0 {
		t.Fatalf("the sync never reached the stall point\n%s", stderr.String())
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var err error
	for armed, done := 1, false; !done; {
		select {
		case err = <-exited:
			done = true
		case <-time.After(20 * time.Millisecond):
			if n := proxy.Stalls(); n == armed && armed < stalls {
				proxy.StallAfter(16 << 10) // the next connection, after some progress
				armed++
			}
		}
	}
	took := time.Since(start)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("the stalled cycle: %v after %v (want exit 1 before the test's timeout)\n%s", err, took, stderr.String())
	}
	if !strings.Contains(stderr.String(), "deadline") {
		t.Errorf("the stalled cycle does not say it gave up at its deadline:\n%s", stderr.String())
	}
	// Nine stalls would take 9 timeouts; the deadline is 5 of them.
	if n := proxy.Stalls(); n >= stalls {
		t.Errorf("the cycle waited out all %d stalls (%v): it has no deadline", n, took)
	}
	t.Logf("the stalled cycle ended after %v and %d stalls (timeout %v)", took, proxy.Stalls(), timeout)

	proxy.Release()
	c := f.runOnceWith(cfg, demo.Now.Add(time.Minute))
	if c.Digest == "" || c.Reminder == "" || c.Errors != 0 {
		t.Fatalf("the cycle after the stalls: %+v; want the reminder and the digest", c)
	}
}

// Kills during a slow SMTP exchange (250 ms each way, an ordinary remote
// server) never leave two copies. The kills land before the message
// went out (it is sent once, later) and in the window that matters: after
// Postfix has the message, before its "250 queued" has come back. The next
// run looks for the mail in the Inbox by its Message-ID before it sends it
// again.
func TestE2EKillDuringSlowSMTPNeverTwice(t *testing.T) {
	type round struct {
		name string
		// after is how long after Postfix logs the message's Message-ID
		// (it has the header; the final dot follows in the same flight)
		// to kill; -1 kills 300 ms into the SMTP session instead.
		after time.Duration
	}
	rounds := []round{{"early in the session", -1}, {"as Postfix reads it", 0}, {"50ms later", 50 * time.Millisecond},
		{"150ms later", 150 * time.Millisecond}, {"300ms later", 300 * time.Millisecond}}
	for _, rd := range rounds {
		t.Run(rd.name, func(t *testing.T) {
			f := newFixture(t)
			f.seed(demo.Mailbox(demo.Now))
			proxy := e2e.NewCutProxy(t, f.s.SMTPAddr())
			proxy.SetLatency(250 * time.Millisecond)
			cfg := f.writeConfig("slow-smtp.yaml", configOpts{smtpPort: portOf(t, proxy.Addr)})
			now := at(20, 10, 0) // a reminder is due, not the digest
			logPath := filepath.Join(f.s.Dir, "postfix", "postfix.log")
			seen := func() int {
				b, _ := os.ReadFile(logPath)
				return bytes.Count(b, []byte("message-id=<leadup.reminder."))
			}
			before := seen()

			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := f.command(ctx, cfg, "run", "--once", "--now", rfc(now))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { _ = cmd.Wait(); close(exited) }()
			wait := func(cond func() bool) bool {
				for !cond() {
					select {
					case <-exited:
						return false
					case <-time.After(5 * time.Millisecond):
					}
				}
				return true
			}
			var ok bool
			if rd.after < 0 {
				ok = wait(func() bool { return proxy.Accepted() > 0 })
				time.Sleep(300 * time.Millisecond)
			} else {
				ok = wait(func() bool { return seen() > before })
				time.Sleep(rd.after)
			}
			if !ok {
				t.Fatalf("leadup ended before the kill point")
			}
			_ = cmd.Process.Kill()
			<-exited
			st := f.status(now)
			if len(st.Pending) != 1 {
				t.Fatalf("after the kill: pending %+v, failed %+v; want the reminder pending (the kill came before it was confirmed)", st.Pending, st.Failed)
			}

			// The next run, at once and at the same --now: the mail may
			// still be in Postfix's queue.
			f.runOnceWith(cfg, now)
			f.waitForMail("reminder", 1, time.Minute)
			f.barrier()
			if n := len(f.leadupMail("reminder")); n != 1 {
				t.Errorf("%d copies of the reminder after a kill %s, want 1", n, rd.name)
			}
			if st := f.status(now.Add(time.Minute)); len(st.Pending) != 0 || len(st.Failed) != 0 {
				t.Errorf("outbox after the resume: pending %+v, failed %+v", st.Pending, st.Failed)
			}
		})
	}
}
