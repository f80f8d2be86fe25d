package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
)

// init lets the test binary act as the leadup command, so signal tests can
// run it as a real process (an init, not a TestMain, so other test files
// may have their own TestMain).
func init() {
	if os.Getenv("LEADUP_TEST_AS_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
}

// logWatcher collects a process's stderr and lets a test wait for a line.
type logWatcher struct {
	mu    sync.Mutex
	lines []string
	added chan struct{}
}

func watch(r io.Reader) *logWatcher {
	w := &logWatcher{added: make(chan struct{}, 1)}
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.mu.Unlock()
			select {
			case w.added <- struct{}{}:
			default:
			}
		}
	}()
	return w
}

func (w *logWatcher) count(substr string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, l := range w.lines {
		if strings.Contains(l, substr) {
			n++
		}
	}
	return n
}

func (w *logWatcher) waitFor(t *testing.T, substr string, n int) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for w.count(substr) < n {
		select {
		case <-w.added:
		case <-deadline:
			w.mu.Lock()
			defer w.mu.Unlock()
			t.Fatalf("no %q (x%d) in the log:\n%s", substr, n, strings.Join(w.lines, "\n"))
		}
	}
}

func demoConfigFile(t *testing.T, srv *demo.Servers, dir, extra string) string {
	t.Helper()
	cfg := fmt.Sprintf(`me: {name: %q, email: %s, aliases: [%s]}
timezone: Europe/Berlin
imap: {host: 127.0.0.1, port: %d, tls: none, password: %s}
smtp: {host: 127.0.0.1, port: %d, tls: none, password: %s}
projects:
  - {name: Apollo, label: Status/Apollo}
stakeholders:
  - {name: %q, email: %s, role: boss, cadence: 5 workdays}
state: %s
%s`, demo.UserName, demo.UserEmail, demo.UserAlias, srv.IMAPPort, demo.Password, srv.SMTPPort, demo.Password,
		demo.BossName, demo.BossEmail, filepath.Join(dir, "state.db"), extra)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSignals runs `leadup run` as a process: SIGHUP with a good config
// reloads it, SIGHUP with a bad one keeps the old, SIGTERM exits 0 quickly.
func TestSignals(t *testing.T) {
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	path := demoConfigFile(t, srv, dir, "")
	cmd := exec.Command(os.Args[0], "run", "--config", path, "--now", "2026-11-21T10:00:00+01:00", "--log-format", "json")
	cmd.Env = append(os.Environ(), "LEADUP_TEST_AS_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	logs := watch(stderr)
	logs.waitFor(t, `"msg":"cycle"`, 1)

	// A good new config: reloaded, and a cycle runs with it.
	demoConfigFile(t, srv, dir, "poll: 10 minutes\n")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "config reloaded", 1)
	logs.waitFor(t, `"msg":"cycle"`, 2)

	// A bad one: refused, the running config kept, the daemon still cycling.
	if err := os.WriteFile(path, []byte("me: [broken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "reload failed; keeping the running config", 1)
	logs.waitFor(t, `"msg":"cycle"`, 3)

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("leadup run exited with %v after SIGTERM, want status 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("leadup run did not stop within 10 s of SIGTERM")
	}
	t.Logf("stopped %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	if strings.Contains(strings.Join(logs.lines, "\n"), demo.Password) {
		t.Error("the password appeared in the log")
	}
}
