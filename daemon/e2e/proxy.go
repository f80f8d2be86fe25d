package e2e

import (
	"bytes"
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// CutProxy is a TCP proxy on 127.0.0.1 that forwards to a target and plays a
// bad network between a client and it, to test what a client does when the
// network fails in the middle of a command: it can drop every connection
// (Cut, CutAfter), freeze one (StallAfter, StallResponses) and delay every
// byte (SetLatency). TLS passes through untouched: point the client at Addr,
// and the server certificate (valid for 127.0.0.1) still verifies.
//
// Budgets count bytes from the target to clients when the proxy writes them
// to the client, that is after the latency, so a cut or stall lands where the
// client sees it.
type CutProxy struct {
	// Addr is host:port to dial instead of the target.
	Addr string

	target  string
	ln      net.Listener
	wg      sync.WaitGroup
	ctx     context.Context // cancelled by Close, for dials to the target
	cancel  context.CancelFunc
	latency atomic.Int64 // time.Duration added to every chunk, both ways

	mu        sync.Mutex
	links     map[*link]struct{}
	budget    int64 // bytes still allowed towards clients before a cut; <0: no limit
	stallAt   int64 // bytes still allowed towards clients before a stall; <0: none armed
	responses int   // server responses still to stall
	cuts      int
	stalls    int
	accepted  int
	closed    bool
}

// queueLen bounds the chunks in flight one way on one connection: with 32 KiB
// reads, 8 MiB per latency period, far more than a test sends.
const queueLen = 256

// NewCutProxy starts a proxy to target (host:port), stopped when the test
// ends.
func NewCutProxy(t testing.TB, target string) *CutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("e2e: cut proxy: listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &CutProxy{
		Addr:    ln.Addr().String(),
		target:  target,
		ln:      ln,
		ctx:     ctx,
		cancel:  cancel,
		links:   map[*link]struct{}{},
		budget:  -1,
		stallAt: -1,
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

// Cut closes every open connection now (both sides, dropping bytes still
// delayed by the latency, and stalled connections too) and disarms CutAfter.
func (p *CutProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

func (p *CutProxy) cutLocked() {
	for l := range p.links {
		l.teardown()
		delete(p.links, l)
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

// StallAfter arms a one-shot stall: once n more bytes have gone from the
// target to clients (over all connections), the connection that carried the
// n-th byte stops forwarding in both directions: the client receives exactly
// those n bytes and then silence, and the target receives nothing more. The
// proxy still reads both sides and holds what it reads, so nothing is lost:
// Release delivers it in order. A stall ends with Release, with Cut or Close,
// or when the client closes the connection, which the proxy then passes on
// to the target (after the latency) and drops what it held. Other
// connections, and later ones, pass. n < 0 is taken as 0: stall before the
// next byte.
func (p *CutProxy) StallAfter(n int64) {
	if n < 0 {
		n = 0
	}
	p.mu.Lock()
	p.stallAt = n
	p.mu.Unlock()
}

// StallResponses arms k stalls of server responses: each of the next k times
// the target sends bytes on a connection that is not stalled, the proxy
// forwards none of them and stalls that connection as StallAfter does, until
// Release, Cut, Close, or the client closes it. A response is whatever the
// proxy reads from the target in one go, so the IMAP greeting of a new
// connection and the server's first TLS handshake flight count as responses:
// with k = 9, a client that times out and redials sees nine silent servers
// and then a working one. k <= 0 disarms the stalls not yet spent.
// StallResponses takes precedence over a StallAfter armed at the same time.
func (p *CutProxy) StallResponses(k int) {
	if k < 0 {
		k = 0
	}
	p.mu.Lock()
	p.responses = k
	p.mu.Unlock()
}

// Release ends every stall in progress: each stalled connection forwards what
// it held, in order, and then passes as usual. Stalls armed but not yet hit
// stay armed.
func (p *CutProxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.links {
		if l.stalled {
			l.stalled = false
			close(l.resume)
		}
	}
}

// Stalls is how many connection stalls have begun, from StallAfter and
// StallResponses together, so a test can assert that the stall it arranged
// really happened.
func (p *CutProxy) Stalls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stalls
}

// SetLatency delays every byte, both ways, by d, as a link to a remote
// server would: a byte read at t is written at t+d, in order, and bytes in
// flight do not wait for each other, so a round trip takes 2d more and
// throughput stays. The end of a side (a close) is delayed too: a client
// killed mid-command is seen by the target d later. The latency applies to
// bytes read from now on; bytes in flight keep theirs. d <= 0 removes it.
func (p *CutProxy) SetLatency(d time.Duration) {
	p.latency.Store(int64(max(d, 0)))
}

// Accepted is how many client connections the proxy has taken, so a test can
// assert that a client reconnected.
func (p *CutProxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// Close stops listening, closes every connection (stalled and delayed ones
// at once) and waits for the proxy's goroutines.
func (p *CutProxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	for l := range p.links {
		l.teardown()
		delete(p.links, l)
	}
	p.mu.Unlock()
	p.cancel()
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

// track registers l unless the proxy is closed.
func (p *CutProxy) track(l *link) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.links[l] = struct{}{}
	return true
}

func (p *CutProxy) untrack(l *link) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.links, l)
}

// link is one client connection and the proxy's connection to the target
// for it. Each way has a reader, which stamps what it reads with the time it
// is due on the other side and queues it, and a pump, which writes it then.
type link struct {
	p              *CutProxy
	client, server net.Conn
	done           chan struct{} // closed by teardown
	once           sync.Once

	// Guarded by p.mu.
	stalled bool
	resume  chan struct{} // closed by Release to end the stall
}

// chunk is bytes read from one side, or the end of that side (eof), and the
// time it is due on the other side.
type chunk struct {
	b   []byte
	eof bool
	due time.Time
}

func (p *CutProxy) handle(client net.Conn) {
	defer p.wg.Done()
	p.mu.Lock()
	p.accepted++
	p.mu.Unlock()
	var d net.Dialer
	server, err := d.DialContext(p.ctx, "tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	l := &link{p: p, client: client, server: server, done: make(chan struct{})}
	if !p.track(l) {
		l.teardown()
		return
	}
	defer p.untrack(l)
	up := make(chan chunk, queueLen)
	down := make(chan chunk, queueLen)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); l.read(client, up) }()
	go func() { defer wg.Done(); l.read(server, down) }()
	go func() { defer wg.Done(); l.pump(up, false) }()
	l.pump(down, true)
	wg.Wait()
}

// teardown closes both connections and stops the link's goroutines. It never
// takes p.mu, so cuts call it with the lock held.
func (l *link) teardown() {
	l.once.Do(func() {
		close(l.done)
		_ = l.client.Close()
		_ = l.server.Close()
	})
}

// state reports whether the link is stalled, and the channel that Release
// closes when it is.
func (l *link) state() (bool, <-chan struct{}) {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	return l.stalled, l.resume
}

// read queues what src sends, then its end.
func (l *link) read(src net.Conn, q chan<- chunk) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !l.queue(q, chunk{b: bytes.Clone(buf[:n])}) {
			return
		}
		if err != nil {
			l.queue(q, chunk{eof: true})
			return
		}
	}
}

// queue stamps c with the time it is due and queues it, unless the link is
// torn down first.
func (l *link) queue(q chan<- chunk, c chunk) bool {
	c.due = time.Now().Add(time.Duration(l.p.latency.Load()))
	select {
	case q <- c:
		return true
	case <-l.done:
		return false
	}
}

// pump delivers the chunks of q when they are due: to the client when
// toClient, spending the proxy's budgets, else to the target. While the link
// stalls it keeps taking chunks off q, so the reader still sees the client
// close, and holds them, in order, for Release.
func (l *link) pump(q <-chan chunk, toClient bool) {
	var held []chunk
	for {
		stalled, resume := l.state()
		var c chunk
		queued := true
		if len(held) > 0 && !stalled {
			c, held, queued = held[0], held[1:], false
		} else {
			var wake <-chan struct{}
			if len(held) > 0 {
				wake = resume
			}
			select {
			case c = <-q:
			case <-wake:
				continue
			case <-l.done:
				return
			}
		}
		if !l.wait(c.due) {
			return
		}
		if c.eof && !toClient {
			// The client is gone, stalled or not: so is the link.
			l.teardown()
			return
		}
		if queued && len(held) > 0 {
			held = append(held, c) // behind what the stall holds
			continue
		}
		// c is the oldest chunk not delivered.
		switch {
		case c.eof && l.isStalled():
			held = append([]chunk{c}, held...)
		case c.eof:
			l.teardown()
			return
		case toClient:
			rest, ok := l.p.forward(l, c.b)
			if !ok {
				return
			}
			if len(rest) > 0 {
				held = append([]chunk{{b: rest, due: c.due}}, held...)
			}
		case l.isStalled():
			held = append([]chunk{c}, held...)
		default:
			if _, err := l.server.Write(c.b); err != nil {
				l.teardown()
				return
			}
		}
	}
}

func (l *link) isStalled() bool {
	stalled, _ := l.state()
	return stalled
}

// wait waits until due, and reports false if the link is torn down first.
func (l *link) wait(due time.Time) bool {
	d := time.Until(due)
	if d <= 0 {
		select {
		case <-l.done:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-l.done:
		return false
	}
}

// forward writes b to l's client within the cut and stall budgets, and
// returns the part it holds back because the link stalls. When the cut budget
// runs out it writes the bytes still allowed and cuts every connection while
// holding the lock, so no other connection slips bytes past the cut and the
// cut is counted once. ok is false when the link is gone.
func (p *CutProxy) forward(l *link, b []byte) (rest []byte, ok bool) {
	p.mu.Lock()
	if l.stalled {
		p.mu.Unlock()
		return b, true
	}
	n := int64(len(b))
	stallAt := p.stallAt
	if p.responses > 0 {
		stallAt = 0
	}
	if p.budget >= 0 && n >= p.budget && (stallAt < 0 || p.budget <= stallAt) {
		defer p.mu.Unlock()
		if p.budget > 0 {
			// Bounded, so a client that stopped reading cannot wedge the proxy.
			_ = l.client.SetWriteDeadline(time.Now().Add(5 * time.Second))
			_, _ = l.client.Write(b[:p.budget])
		}
		p.cutLocked()
		return nil, false
	}
	if stallAt >= 0 && n >= stallAt {
		if p.responses > 0 {
			p.responses--
		} else {
			p.stallAt = -1
		}
		if p.budget >= 0 {
			p.budget -= stallAt
		}
		l.stalled, l.resume = true, make(chan struct{})
		p.stalls++
		p.mu.Unlock()
		if stallAt > 0 {
			if _, err := l.client.Write(b[:stallAt]); err != nil {
				l.teardown()
				return nil, false
			}
		}
		return b[stallAt:], true
	}
	if p.budget >= 0 {
		p.budget -= n
	}
	if p.stallAt >= 0 {
		p.stallAt -= n
	}
	p.mu.Unlock()
	if _, err := l.client.Write(b); err != nil {
		l.teardown()
		return nil, false
	}
	return nil, true
}
