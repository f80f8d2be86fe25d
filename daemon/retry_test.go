package daemon

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/e2e"
)

// throughProxy points the env's IMAP at a fault proxy in front of the demo
// server, with a short command timeout.
func (e *env) throughProxy(timeout time.Duration) *e2e.CutProxy {
	e.t.Helper()
	p := e2e.NewCutProxy(e.t, fmt.Sprintf("127.0.0.1:%d", e.srv.IMAPPort))
	_, port, _ := strings.Cut(p.Addr, ":")
	e.reconfigure(func(cfg string) string {
		return strings.Replace(cfg, fmt.Sprintf("port: %d, tls: none", e.srv.IMAPPort), "port: "+port+", tls: none", 1)
	})
	tun := e.app.tun
	tun.IMAPTimeout = timeout
	e.app.SetTunables(tun)
	return p
}

// A connection that stalls before the sync starts (here at the greeting)
// is retried with backoff within the cycle: the cycle succeeds.
func TestCycleRetriesAFailureBeforeTheSync(t *testing.T) {
	e := newEnv(t, demo.Now)
	proxy := e.throughProxy(100 * time.Millisecond)
	proxy.StallResponses(2)
	rep, err := e.app.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("a cycle after two stalled greetings: %v", err)
	}
	if proxy.Stalls() != 2 || proxy.Accepted() < 3 {
		t.Fatalf("%d stalls over %d connections: the test did not stall the greeting twice", proxy.Stalls(), proxy.Accepted())
	}
	if rep.Reminder == "" || rep.Digest == "" {
		t.Errorf("the cycle after the retries: %+v; want the reminder and the digest", rep)
	}
}

// A server that never answers ends the cycle at its deadline (five
// command timeouts), with an error that says so, and the state is free
// for the next cycle.
func TestCycleGivesUpAtItsDeadline(t *testing.T) {
	e := newEnv(t, demo.Now)
	proxy := e.throughProxy(100 * time.Millisecond)
	proxy.StallResponses(1000)
	_, err := e.app.RunOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("a cycle against a silent server: %v; want it to give up at its deadline", err)
	}
	if n := proxy.Stalls(); n < 2 || n >= 1000 {
		t.Errorf("%d stalled connections: want a few retries, then the deadline", n)
	}
	proxy.StallResponses(0)
	if _, err := e.app.RunOnce(context.Background()); err != nil {
		t.Fatalf("the next cycle: %v", err)
	}
}
