//go:build e2e

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/e2e"
)

// TestE2EDaemonIdleWakes runs the daemon (`leadup run`) with a poll of an
// hour at a time when nothing is due for over an hour (Friday 07:00: the
// reminder slot is 09:30), so after its first cycle only the server's word of
// new mail (IMAP NOTIFY where offered, as mox does, else IDLE on INBOX) can
// start another within the test: new status mail appended to the INBOX is
// synced at once. Mail is appended until the daemon wakes, for its watch
// starts after the first cycle, at a moment the test cannot see.
func TestE2EDaemonIdleWakes(t *testing.T) { e2e.EachServer(t, e2eDaemonIdleWakes) }

func e2eDaemonIdleWakes(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.seed(demo.Mailbox(demo.Now))
	config := f.writeConfig("idle.yaml", configOpts{poll: "1 hour"})
	start := at(20, 7, 0)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := f.command(ctx, config, "run", "--now", rfc(start), "--log-format", "json", "--log-level", "debug")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var log bytes.Buffer
	cycles := make(chan cycle, 16)
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			mu.Lock()
			log.Write(sc.Bytes())
			log.WriteByte('\n')
			mu.Unlock()
			var c cycle
			if json.Unmarshal(sc.Bytes(), &c) == nil && c.Msg == "cycle" {
				cycles <- c
			}
		}
	}()
	logText := func() string {
		mu.Lock()
		defer mu.Unlock()
		return log.String()
	}
	done := make(chan error, 1)
	go func() {
		<-read // Wait must follow the last read of the pipe
		done <- cmd.Wait()
	}()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-done
		}
	}()

	// Bounds against a hang, not timing assertions.
	select {
	case c := <-cycles:
		if c.Errors != 0 || c.Reminder != "" || c.Digest != "" {
			t.Errorf("the first cycle at %s: %+v", start, c)
		}
	case err := <-done:
		t.Fatalf("leadup run exited before its first cycle: %v\n%s", err, logText())
	case <-time.After(time.Minute):
		t.Fatalf("no first cycle within a minute\n%s", logText())
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var woke cycle
	for i, wait := 0, true; wait; i++ {
		select {
		case woke = <-cycles:
			wait = false
		case err := <-done:
			t.Fatalf("leadup run exited while waiting for new mail: %v\n%s", err, logText())
		case <-tick.C:
			if i > 240 {
				t.Fatalf("%d mails appended to the INBOX and the daemon never woke (poll: 1 hour)\n%s", i, logText())
			}
			raw := strings.ReplaceAll(fmt.Sprintf("From: %s <%s>\nTo: Alex Doe <%s>\nSubject: Apollo: still blocked (%d)\nMessage-ID: <idle-%d-%d@e2e.example.com>\nDate: %s\n\nStill waiting on the sandbox keys.\n",
				demo.BossName, demo.BossEmail, f.me, i, i, time.Now().UnixNano(), start.Format(time.RFC1123Z)), "\n", "\r\n")
			f.s.Append(t, "INBOX", []byte(raw), nil, start)
		}
	}
	if woke.Fetched == 0 || woke.Errors != 0 {
		t.Errorf("the cycle IDLE started: %+v, want the new mail fetched and no error", woke)
	}
	if !strings.Contains(logText(), `"msg":"new mail"`) {
		t.Errorf("the daemon did not log that IDLE woke it\n%s", logText())
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("leadup run after SIGTERM: %v, want exit 0\n%s", err, logText())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("leadup run did not exit within 30 s of SIGTERM\n%s", logText())
	}
	if text := logText(); strings.Contains(text, "DATA RACE") || strings.Contains(text, "panic") {
		t.Errorf("race or panic in the daemon:\n%s", text)
	}
}
