package e2e

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// CutProxy is a TCP proxy on 127.0.0.1 that forwards to a target and can drop
// every connection on demand or after a number of bytes, to test what a
// client does when the network fails in the middle of a command. TLS passes
// through untouched: point the client at Addr, and the server certificate
// (valid for 127.0.0.1) still verifies.
type CutProxy struct {
	// Addr is host:port to dial instead of the target.
	Addr string

	target string
	ln     net.Listener
	wg     sync.WaitGroup

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	budget   int64 // bytes still allowed towards clients before a cut; <0: no limit
	cuts     int
	accepted int
	closed   bool
}

// NewCutProxy starts a proxy to target (host:port), stopped when the test
// ends.
func NewCutProxy(t testing.TB, target string) *CutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("e2e: cut proxy: listen: %v", err)
	}
	p := &CutProxy{
		Addr:   ln.Addr().String(),
		target: target,
		ln:     ln,
		conns:  map[net.Conn]struct{}{},
		budget: -1,
	}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.Close)
	return p
}

// CutAfter arms a one-shot cut: once n more bytes have gone from the target to
// clients (over all connections), the proxy forwards exactly those n bytes and
// then closes every connection. Later connections pass again until re-armed.
func (p *CutProxy) CutAfter(n int64) {
	if n < 0 {
		n = 0
	}
	p.mu.Lock()
	p.budget = n
	p.mu.Unlock()
}

// Cut closes every open connection now (both sides) and disarms CutAfter.
func (p *CutProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

func (p *CutProxy) cutLocked() {
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
	p.budget = -1
	p.cuts++
}

// Cuts is how many times the proxy has cut, so a test can assert that the cut
// it arranged really happened.
func (p *CutProxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// Accepted is how many client connections the proxy has taken, so a test can
// assert that a client reconnected.
func (p *CutProxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// Close stops listening, closes every connection and waits for the proxy's
// goroutines.
func (p *CutProxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
	p.mu.Unlock()
	_ = p.ln.Close()
	p.wg.Wait()
}

func (p *CutProxy) serve() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return // listener closed
		}
		p.wg.Add(1)
		go p.handle(client)
	}
}

// track registers conns unless the proxy is closed.
func (p *CutProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *CutProxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.conns, c)
	}
}

func (p *CutProxy) handle(client net.Conn) {
	defer p.wg.Done()
	p.mu.Lock()
	p.accepted++
	p.mu.Unlock()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	if !p.track(client, server) {
		_ = client.Close()
		_ = server.Close()
		return
	}
	defer func() {
		_ = client.Close()
		_ = server.Close()
		p.untrack(client, server)
	}()

	upDone := make(chan struct{})
	go func() {
		defer close(upDone)
		_, _ = io.Copy(server, client)
		// Client finished sending: close both so the other copy ends too.
		_ = server.Close()
		_ = client.Close()
	}()
	p.down(client, server)
	_ = client.Close()
	_ = server.Close()
	<-upDone
}

// down copies target-to-client, spending the cut budget.
func (p *CutProxy) down(client, server net.Conn) {
	buf := make([]byte, 32*1024)
	for {
		n, err := server.Read(buf)
		if n > 0 && !p.forward(client, buf[:n]) {
			return
		}
		if err != nil {
			return
		}
	}
}

// forward writes b to client within the cut budget. When the budget runs out
// it writes the bytes still allowed and cuts every connection while holding
// the lock, so no other connection slips bytes past the cut and the cut is
// counted once. It reports whether the connection is still usable.
func (p *CutProxy) forward(client net.Conn, b []byte) bool {
	p.mu.Lock()
	if p.budget < 0 || int64(len(b)) < p.budget {
		if p.budget >= 0 {
			p.budget -= int64(len(b))
		}
		p.mu.Unlock()
		_, err := client.Write(b)
		return err == nil
	}
	defer p.mu.Unlock()
	if p.budget > 0 {
		// Bounded, so a client that stopped reading cannot wedge the proxy.
		_ = client.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, _ = client.Write(b[:p.budget])
	}
	p.cutLocked()
	return false
}
