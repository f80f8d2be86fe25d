package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// IMAPQuirks say how an IMAPQuirkProxy makes the IMAP server behind it
// behave like the servers leadup meets beyond Dovecot.
type IMAPQuirks struct {
	// HideCaps are removed from every capability list the server sends
	// (the greeting, CAPABILITY, the OK of a login): "UNSELECT", "IDLE",
	// "LITERAL+", "LITERAL-", "SPECIAL-USE", "CONDSTORE", "UIDPLUS"...
	HideCaps []string
	// Refuse are commands the proxy answers with BAD itself, as a server
	// without them does (Courier has no UNSELECT).
	Refuse []string
	// ReadOnlyAppend, when set, is the text of the NO the proxy answers an
	// APPEND into the mailbox the same connection has open with EXAMINE,
	// as Courier does: "Current box is selected READ-ONLY.".
	ReadOnlyAppend string
	// RefuseAppend, when set, is the text of the NO the proxy answers
	// every APPEND with (a full quota, a server policy).
	RefuseAppend string
	// DropEvery, when above zero, makes the proxy hang up as the Nth,
	// 2Nth, 3Nth… command of a connection arrives, before the server sees
	// it. The login counts.
	DropEvery int
}

// CourierQuirks is Courier-IMAP 5 as LIBRARIES.md describes it: no
// UNSELECT, and no APPEND into the mailbox the connection has open
// read-only.
var CourierQuirks = IMAPQuirks{
	HideCaps:       []string{"UNSELECT"},
	Refuse:         []string{"UNSELECT"},
	ReadOnlyAppend: "Current box is selected READ-ONLY.",
}

// IMAPQuirkProxy is a TCP proxy on 127.0.0.1 in front of a plaintext IMAP
// server that reads the commands and responses going through it and
// plays the server's quirks (IMAPQuirks). Literals pass untouched in both
// directions.
type IMAPQuirkProxy struct {
	// Addr is host:port to dial instead of the server.
	Addr string

	q      IMAPQuirks
	target string
	ln     net.Listener
	wg     sync.WaitGroup

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closed   bool
	commands []string // the name of every command seen, over all connections
	refusals int
	drops    int
}

// NewIMAPQuirkProxy starts a proxy to target (host:port) with quirks q,
// stopped when the test ends.
func NewIMAPQuirkProxy(t testing.TB, target string, q IMAPQuirks) *IMAPQuirkProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("e2e: quirk proxy: listen: %v", err)
	}
	p := &IMAPQuirkProxy{Addr: ln.Addr().String(), q: q, target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.handle(c)
			}()
		}
	}()
	t.Cleanup(p.Close)
	return p
}

// Port is the proxy's port.
func (p *IMAPQuirkProxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// Commands returns the name of every command clients sent (upper case,
// "UID FETCH" as "UID"), in order, over all connections.
func (p *IMAPQuirkProxy) Commands() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.commands)
}

// Refusals is how many commands the proxy answered NO or BAD itself.
func (p *IMAPQuirkProxy) Refusals() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refusals
}

// Drops is how many connections DropEvery ended.
func (p *IMAPQuirkProxy) Drops() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.drops
}

// Close stops the proxy and ends every connection through it.
func (p *IMAPQuirkProxy) Close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.ln.Close()
	p.wg.Wait()
}

func (p *IMAPQuirkProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *IMAPQuirkProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
		c.Close()
	}
}

// quirkLink is one client connection and its connection to the server.
type quirkLink struct {
	p              *IMAPQuirkProxy
	client, server net.Conn
	wmu            sync.Mutex // writes to the client: the server's and the proxy's answers
	examined       string     // the mailbox this connection has open with EXAMINE, "" if none
}

func (p *IMAPQuirkProxy) handle(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, server) {
		client.Close()
		server.Close()
		return
	}
	defer p.untrack(client, server)
	l := &quirkLink{p: p, client: client, server: server}
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.responses()
		client.Close()
	}()
	l.commands()
	server.Close()
	<-done
}

// literalAt matches the literal a line ends with: "{N}", or "{N+}" for a
// non-synchronizing one (RFC 7888), before CRLF.
var literalAt = regexp.MustCompile(`\{(\d+)(\+?)\}\r?\n$`)

// literal returns the size of the literal line announces, whether it is
// synchronizing, and whether there is one.
func literal(line []byte) (n int64, sync bool, ok bool) {
	m := literalAt.FindSubmatch(line)
	if m == nil {
		return 0, false, false
	}
	n, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil {
		return 0, false, false
	}
	return n, len(m[2]) == 0, true
}

// responses relays the server's responses to the client, a whole response
// (its lines and literals) at a time, with the hidden capabilities removed.
func (l *quirkLink) responses() {
	br := bufio.NewReader(l.server)
	for {
		var unit bytes.Buffer
		for {
			line, err := br.ReadBytes('\n')
			if err != nil {
				return
			}
			unit.Write(l.p.hideCaps(line))
			n, _, ok := literal(line)
			if !ok {
				break
			}
			if _, err := io.CopyN(&unit, br, n); err != nil {
				return
			}
		}
		l.wmu.Lock()
		_, err := l.client.Write(unit.Bytes())
		l.wmu.Unlock()
		if err != nil {
			return
		}
	}
}

// capList matches a capability list in a response line.
var capList = regexp.MustCompile(`(?i)(^\* CAPABILITY |\[CAPABILITY )([^\]\r\n]*)`)

func (p *IMAPQuirkProxy) hideCaps(line []byte) []byte {
	if len(p.q.HideCaps) == 0 {
		return line
	}
	return capList.ReplaceAllFunc(line, func(m []byte) []byte {
		sub := capList.FindSubmatch(m)
		var kept []string
		for _, c := range strings.Fields(string(sub[2])) {
			if !slices.ContainsFunc(p.q.HideCaps, func(h string) bool { return strings.EqualFold(h, c) }) {
				kept = append(kept, c)
			}
		}
		return append(slices.Clone(sub[1]), strings.Join(kept, " ")...)
	})
}

// commands relays the client's commands to the server, answering the ones
// the quirks refuse itself.
func (l *quirkLink) commands() {
	br := bufio.NewReader(l.client)
	count := 0
	for {
		line, err := br.ReadBytes('\n')
		if err != nil {
			return
		}
		text := strings.TrimRight(string(line), "\r\n")
		if strings.EqualFold(text, "DONE") { // the end of an IDLE, not a command
			if _, err := l.server.Write(line); err != nil {
				return
			}
			continue
		}
		tag, name, args := splitCommand(text)
		count++
		l.p.mu.Lock()
		l.p.commands = append(l.p.commands, name)
		drop := l.p.q.DropEvery > 0 && count%l.p.q.DropEvery == 0
		if drop {
			l.p.drops++
		}
		l.p.mu.Unlock()
		if drop {
			return
		}
		if status, why := l.refusal(name, args); status != "" {
			if !l.swallow(br, line) {
				return
			}
			l.p.mu.Lock()
			l.p.refusals++
			l.p.mu.Unlock()
			l.wmu.Lock()
			_, err := fmt.Fprintf(l.client, "%s %s %s\r\n", tag, status, why)
			l.wmu.Unlock()
			if err != nil {
				return
			}
			continue
		}
		switch name {
		case "EXAMINE":
			l.examined = mailboxArg(args)
		case "SELECT", "CLOSE", "UNSELECT":
			l.examined = ""
		}
		if !l.forward(br, line) {
			return
		}
	}
}

// refusal says how the quirks answer a command: "" to pass it on.
func (l *quirkLink) refusal(name, args string) (status, why string) {
	q := l.p.q
	switch {
	case slices.ContainsFunc(q.Refuse, func(r string) bool { return strings.EqualFold(r, name) }):
		return "BAD", "Unknown command."
	case name == "APPEND" && q.RefuseAppend != "":
		return "NO", q.RefuseAppend
	case name == "APPEND" && q.ReadOnlyAppend != "" && l.examined != "" && sameMailbox(mailboxArg(args), l.examined):
		return "NO", q.ReadOnlyAppend
	}
	return "", ""
}

// forward sends a command line and the literals and lines that complete
// it to the server. A synchronizing literal is sent as the client sends
// it, after the server's continuation request has reached the client.
func (l *quirkLink) forward(br *bufio.Reader, line []byte) bool {
	for {
		if _, err := l.server.Write(line); err != nil {
			return false
		}
		n, _, ok := literal(line)
		if !ok {
			return true
		}
		if _, err := io.CopyN(l.server, br, n); err != nil {
			return false
		}
		var err error
		if line, err = br.ReadBytes('\n'); err != nil {
			return false
		}
	}
}

// swallow reads the rest of a command the proxy refuses. A client waits
// for a continuation request before it sends a synchronizing literal; it
// gets the refusal instead and sends nothing more.
func (l *quirkLink) swallow(br *bufio.Reader, line []byte) bool {
	for {
		n, sync, ok := literal(line)
		if !ok || sync {
			return true
		}
		if _, err := io.CopyN(io.Discard, br, n); err != nil {
			return false
		}
		var err error
		if line, err = br.ReadBytes('\n'); err != nil {
			return false
		}
	}
}

// splitCommand splits "tag NAME args" (the name upper-cased).
func splitCommand(text string) (tag, name, args string) {
	tag, rest, _ := strings.Cut(text, " ")
	name, args, _ = strings.Cut(rest, " ")
	return tag, strings.ToUpper(name), args
}

// mailboxArg is the first argument of a command, a mailbox name, atom or
// quoted string; "" when it is a literal.
func mailboxArg(args string) string {
	if strings.HasPrefix(args, `"`) {
		var b strings.Builder
		for i := 1; i < len(args); i++ {
			switch c := args[i]; c {
			case '\\':
				if i+1 < len(args) {
					i++
					b.WriteByte(args[i])
				}
			case '"':
				return b.String()
			default:
				b.WriteByte(c)
			}
		}
		return b.String()
	}
	if strings.HasPrefix(args, "{") {
		return ""
	}
	name, _, _ := strings.Cut(args, " ")
	return name
}

func sameMailbox(a, b string) bool {
	return a == b || (strings.EqualFold(a, "INBOX") && strings.EqualFold(b, "INBOX"))
}
