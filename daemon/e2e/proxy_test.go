package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

// source serves payload to every connection, then closes it.
func source(t *testing.T, payload []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				_, _ = c.Write(payload)
			}()
		}
	}()
	return ln.Addr().String()
}

func readAll(t *testing.T, addr string) []byte {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	b, _ := io.ReadAll(c) // a cut may end in a reset: keep what arrived
	return b
}

func TestCutProxyForwardsUntouched(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 10000)
	p := NewCutProxy(t, source(t, payload))
	if got := readAll(t, p.Addr); !bytes.Equal(got, payload) {
		t.Fatalf("got %d bytes, want the %d-byte payload", len(got), len(payload))
	}
	if p.Cuts() != 0 || p.Accepted() != 1 {
		t.Fatalf("cuts=%d accepted=%d, want 0 and 1", p.Cuts(), p.Accepted())
	}
}

func TestCutProxyCutsAfterExactlyNBytes(t *testing.T) {
	payload := bytes.Repeat([]byte("abcdefghij"), 10000)
	p := NewCutProxy(t, source(t, payload))
	p.CutAfter(1234)
	got := readAll(t, p.Addr)
	if !bytes.Equal(got, payload[:1234]) {
		t.Fatalf("got %d bytes, want the first 1234", len(got))
	}
	if p.Cuts() != 1 {
		t.Fatalf("cuts=%d, want 1", p.Cuts())
	}
	// One-shot: the next connection passes in full.
	if got := readAll(t, p.Addr); !bytes.Equal(got, payload) {
		t.Fatalf("after the cut got %d bytes, want the whole payload", len(got))
	}
	if p.Accepted() != 2 {
		t.Fatalf("accepted=%d, want 2", p.Accepted())
	}
}

func TestCutProxyCutOnDemand(t *testing.T) {
	p := NewCutProxy(t, echoTarget(t).addr)
	c := dial(t, p.Addr)
	roundTrip(t, c, "ping")
	p.Cut()
	buf := make([]byte, 4)
	if n, err := c.Read(buf); err == nil {
		t.Fatalf("read after Cut returned %d bytes and no error", n)
	}
	if p.Cuts() != 1 {
		t.Fatalf("cuts=%d, want 1", p.Cuts())
	}
}

// target is an in-process echo server that reports what it reads and when
// each connection ends.
type target struct {
	addr string
	read chan string    // each chunk the server read
	ends chan time.Time // when the server saw a connection end
}

func echoTarget(t *testing.T) *target {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	tg := &target{addr: ln.Addr().String(), read: make(chan string, 1000), ends: make(chan time.Time, 100)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				buf := make([]byte, 32<<10)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						select {
						case tg.read <- string(buf[:n]):
						default:
						}
						if _, werr := c.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						select {
						case tg.ends <- time.Now():
						default:
						}
						return
					}
				}
			}()
		}
	}()
	return tg
}

// watchdog is long enough never to fire on a working proxy: it only turns a
// hang into a failure that says what hung.
const watchdog = 10 * time.Second

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// roundTrip writes msg and reads it back, failing the test on a short read.
func roundTrip(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(watchdog))
	buf := make([]byte, len(msg))
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != msg {
		t.Fatalf("echo through proxy: %q, %v; want %q", buf, err, msg)
	}
	_ = c.SetReadDeadline(time.Time{})
}

// silent fails unless c receives nothing for d and its read times out.
func silent(t *testing.T, c net.Conn, d time.Duration) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if ne, ok := err.(net.Error); n != 0 || !ok || !ne.Timeout() {
		t.Fatalf("stalled connection read %q, %v; want nothing and a timeout", buf[:n], err)
	}
	_ = c.SetReadDeadline(time.Time{})
}

// waitEnd waits for the target to see a connection end.
func (tg *target) waitEnd(t *testing.T) time.Time {
	t.Helper()
	select {
	case at := <-tg.ends:
		return at
	case <-time.After(watchdog):
		t.Fatal("the target never saw the connection end")
		return time.Time{}
	}
}

func TestCutProxyStallAfterHoldsUntilRelease(t *testing.T) {
	payload := bytes.Repeat([]byte("klmnopqrst"), 10000)
	p := NewCutProxy(t, source(t, payload))
	p.StallAfter(1234)
	c := dial(t, p.Addr)
	_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	got, err := io.ReadAll(c)
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("read through a stall ended with %v, want a timeout", err)
	}
	if !bytes.Equal(got, payload[:1234]) {
		t.Fatalf("got %d bytes before the stall, want the first 1234", len(got))
	}
	if p.Stalls() != 1 || p.Cuts() != 0 {
		t.Fatalf("stalls=%d cuts=%d, want 1 and 0", p.Stalls(), p.Cuts())
	}
	// Nothing is lost: Release delivers the rest, then the target's close.
	p.Release()
	_ = c.SetReadDeadline(time.Now().Add(watchdog))
	rest, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(append(got, rest...), payload) {
		t.Fatalf("after Release got %d more bytes (%v), want the remaining %d", len(rest), err, len(payload)-len(got))
	}
	// One-shot: the next connection passes in full.
	if got := readAll(t, p.Addr); !bytes.Equal(got, payload) {
		t.Fatalf("after the stall got %d bytes, want the whole payload", len(got))
	}
	if p.Stalls() != 1 {
		t.Fatalf("stalls=%d, want 1", p.Stalls())
	}
}

func TestCutProxyStallStopsBothWays(t *testing.T) {
	tg := echoTarget(t)
	p := NewCutProxy(t, tg.addr)
	c := dial(t, p.Addr)
	p.StallAfter(4)
	roundTrip(t, c, "ping") // the 4 bytes allowed, then the stall
	<-tg.read
	if _, err := c.Write([]byte("more")); err != nil {
		t.Fatal(err)
	}
	silent(t, c, 200*time.Millisecond)
	select {
	case s := <-tg.read:
		t.Fatalf("the target read %q through a stall", s)
	default:
	}
	p.Release()
	_ = c.SetReadDeadline(time.Now().Add(watchdog))
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "more" {
		t.Fatalf("after Release: %q, %v; want the held %q echoed", buf, err, "more")
	}
	roundTrip(t, c, "again")
	if p.Stalls() != 1 {
		t.Fatalf("stalls=%d, want 1", p.Stalls())
	}
}

func TestCutProxyStallResponsesUntilClientGivesUp(t *testing.T) {
	const k = 3
	tg := echoTarget(t)
	p := NewCutProxy(t, tg.addr)
	p.StallResponses(k)
	for i := range k {
		c, err := net.Dial("tcp", p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		silent(t, c, 100*time.Millisecond)
		_ = c.Close() // the client gives up
		tg.waitEnd(t) // and the proxy passes that on
		if p.Stalls() != i+1 {
			t.Fatalf("after %d silent responses, stalls=%d", i+1, p.Stalls())
		}
	}
	c := dial(t, p.Addr)
	roundTrip(t, c, "ping")
	roundTrip(t, c, "pong")
	if p.Stalls() != k || p.Accepted() != k+1 {
		t.Fatalf("stalls=%d accepted=%d, want %d and %d", p.Stalls(), p.Accepted(), k, k+1)
	}
}

func TestCutProxyStallResponsesZeroDisarms(t *testing.T) {
	tg := echoTarget(t)
	p := NewCutProxy(t, tg.addr)
	p.StallResponses(5)
	p.StallResponses(0)
	roundTrip(t, dial(t, p.Addr), "ping")
	if p.Stalls() != 0 {
		t.Fatalf("stalls=%d, want 0", p.Stalls())
	}
}

func TestCutProxyLatencyDelaysEachWay(t *testing.T) {
	const d = 50 * time.Millisecond
	tg := echoTarget(t)
	p := NewCutProxy(t, tg.addr)
	p.SetLatency(d)
	c := dial(t, p.Addr)
	start := time.Now()
	roundTrip(t, c, "ping")
	if rt := time.Since(start); rt < 2*d {
		t.Fatalf("round trip took %v, want at least %v", rt, 2*d)
	}
	// A client killed mid-command is seen by the target d later.
	closed := time.Now()
	_ = c.Close()
	if seen := tg.waitEnd(t); seen.Sub(closed) < d {
		t.Fatalf("the target saw the close %v after it, want at least %v", seen.Sub(closed), d)
	}
}

func TestCutProxyLatencyKeepsOrder(t *testing.T) {
	tg := echoTarget(t)
	p := NewCutProxy(t, tg.addr)
	p.SetLatency(30 * time.Millisecond)
	c := dial(t, p.Addr)
	var want bytes.Buffer
	write := func(i int) {
		msg := fmt.Sprintf("<%d>", i)
		want.WriteString(msg)
		if _, err := c.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 200 {
		write(i)
	}
	// Bytes read after a latency change must not overtake those before it.
	p.SetLatency(0)
	for i := 200; i < 400; i++ {
		write(i)
	}
	_ = c.SetReadDeadline(time.Now().Add(watchdog))
	got := make([]byte, want.Len())
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("echo out of order:\n got %.200q\nwant %.200q", got, want.Bytes())
	}
}

func TestCutProxyCutAfterWithLatency(t *testing.T) {
	payload := bytes.Repeat([]byte("uvwxyzabcd"), 10000)
	p := NewCutProxy(t, source(t, payload))
	p.SetLatency(20 * time.Millisecond)
	p.CutAfter(1234)
	if got := readAll(t, p.Addr); !bytes.Equal(got, payload[:1234]) {
		t.Fatalf("got %d bytes, want the first 1234", len(got))
	}
	if p.Cuts() != 1 {
		t.Fatalf("cuts=%d, want 1", p.Cuts())
	}
}

func TestCutProxyCutDropsBytesInFlight(t *testing.T) {
	tg := echoTarget(t)
	p := NewCutProxy(t, tg.addr)
	c := dial(t, p.Addr)
	roundTrip(t, c, "hello") // connected to the target
	p.SetLatency(time.Hour)
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	p.Cut()
	_ = c.SetReadDeadline(time.Now().Add(watchdog))
	n, err := c.Read(make([]byte, 4))
	if ne, ok := err.(net.Error); err == nil || ok && ne.Timeout() {
		t.Fatalf("read after Cut returned %d bytes and %v, want the connection closed", n, err)
	}
	tg.waitEnd(t)
	if p.Cuts() != 1 {
		t.Fatalf("cuts=%d, want 1", p.Cuts())
	}
}

func TestCutProxyCloseEndsStalledAndDelayedConnections(t *testing.T) {
	tg := echoTarget(t)
	p := NewCutProxy(t, tg.addr)
	stalled := dial(t, p.Addr)
	p.StallResponses(1)
	if _, err := stalled.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	silent(t, stalled, 100*time.Millisecond)
	delayed := dial(t, p.Addr)
	roundTrip(t, delayed, "hello")
	p.SetLatency(time.Hour)
	if _, err := delayed.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	// Close returns only once every goroutine of the proxy has ended.
	done := make(chan struct{})
	go func() {
		p.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(watchdog):
		t.Fatal("Close did not return with a stalled and a delayed connection")
	}
	for _, c := range []net.Conn{stalled, delayed} {
		_ = c.SetReadDeadline(time.Now().Add(watchdog))
		if n, err := c.Read(make([]byte, 4)); err == nil {
			t.Fatalf("read after Close returned %d bytes and no error", n)
		}
	}
	tg.waitEnd(t)
	tg.waitEnd(t)
}
