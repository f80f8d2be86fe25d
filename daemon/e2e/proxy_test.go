package e2e

import (
	"bytes"
	"io"
	"net"
	"testing"
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
	// An echo server: the connection stays open until someone closes it.
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
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	p := NewCutProxy(t, ln.Addr().String())
	c, err := net.Dial("tcp", p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("echo through proxy: %q, %v", buf, err)
	}
	p.Cut()
	if n, err := c.Read(buf); err == nil {
		t.Fatalf("read after Cut returned %d bytes and no error", n)
	}
	if p.Cuts() != 1 {
		t.Fatalf("cuts=%d, want 1", p.Cuts())
	}
}
