package mailbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"

	"github.com/leadup/leadup/daemon/internal/tlsconf"
	"github.com/leadup/leadup/daemon/internal/tlsmix"
)

// capNotify is the capability of RFC 5465's NOTIFY.
const capNotify = imap.Cap("NOTIFY")

// errNoNotify is returned when the server, once logged in to, does not
// offer NOTIFY, or refuses the NOTIFY command: Watch then falls back to IDLE.
var errNoNotify = errors.New("imap server does not offer NOTIFY")

// Watch waits for new mail in any of folders (the Inbox, Sent, the project
// labels: the names as Discover found them) and sends on wake, without
// blocking, when some arrives, so the daemon can sync early instead of
// waiting for its poll. It returns nil when ctx ends, and an error when the
// connection fails; the caller then redials.
//
// Where the server offers NOTIFY (RFC 5465), one connection is told to
// report new messages in every folder of the list, and stays in the
// authenticated state (no folder selected), sending a NOOP after
// Options.IdleRestart of silence. Where it does not, or refuses the
// command, Watch falls back to IDLE on the Inbox (Idle), so mail filed
// straight into another folder is read at the next poll; a server with
// neither leaves everything to the poll, and Watch waits for ctx.
//
// Watch closes c's connection first, so watching costs one connection, and
// holds c until it returns (sync with another Client).
func (c *Client) Watch(ctx context.Context, folders []string, wake chan<- struct{}) error {
	var caps imap.CapSet
	if err := c.guard(ctx, func(ic *imapclient.Client) error { caps = ic.Caps(); return nil }); err != nil {
		return err
	}
	log := c.opt.Logger
	var why string
	switch {
	case len(folders) == 0:
		why = "no folders to watch"
	case !caps.Has(capNotify):
		why = "the server does not offer NOTIFY"
	default:
		c.Close()
		err := watchNotify(ctx, c.opt, c.debug, folders, wake)
		var ie *imap.Error
		if !errors.Is(err, errNoNotify) && !errors.As(err, &ie) {
			return err
		}
		// A refusal (of NOTIFY, or of the watcher's own login where the
		// sync's just worked) is no reason to watch nothing.
		why = err.Error()
	}
	if !caps.Has(imap.CapIdle) && !caps.Has(imap.CapIMAP4rev2) {
		log.Info("the server offers neither NOTIFY nor IDLE: new mail is read at each poll", "why", why)
		c.Close()
		<-ctx.Done()
		return nil
	}
	log.Info("watching INBOX with IDLE; new mail in the other folders is read at the next poll", "why", why)
	return c.Idle(ctx, "INBOX", wake)
}

// watchNotify is Watch with NOTIFY, on a connection of its own.
func watchNotify(ctx context.Context, o Options, debug *transcript, folders []string, wake chan<- struct{}) error {
	n, err := dialNotify(ctx, o, debug)
	if err != nil {
		return err
	}
	defer n.close()
	if !n.caps.Has(capNotify) {
		return errNoNotify // a server behind a balancer may differ from the last one
	}
	stop := context.AfterFunc(ctx, n.abort)
	defer stop()
	if err := n.notifySet(folders); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	o.Logger.Info("watching for new mail with NOTIFY", "folders", folders)
	err = n.wait(wake)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// notifyCommands are the only commands the watcher sends: none changes
// the mailbox.
var notifyCommands = map[string]bool{
	"CAPABILITY": true, "STARTTLS": true, "LOGIN": true, "AUTHENTICATE": true,
	"NOTIFY": true, "NOOP": true, "LOGOUT": true,
}

// notifyConn is the watcher's own IMAP connection (notifywire.go reads it).
type notifyConn struct {
	opt   Options
	raw   net.Conn // the TCP connection, closed last
	conn  net.Conn // raw, or TLS over it
	r     wireReader
	w     *bufio.Writer
	debug *transcript
	caps  imap.CapSet
	capsN int // how many times caps were set
	tags  int
	seen  uidNexts

	// untagged receives the untagged data responses read while a command
	// runs (the STATUS of NOTIFY SET STATUS); nil drops them.
	untagged func(wireResp)

	mu      sync.Mutex
	aborted bool // ctx ended: every deadline is in the past
}

// dialNotify connects as Dial does (the same TLS modes, port checks and
// logins) and reads the capabilities after login.
func dialNotify(ctx context.Context, o Options, debug *transcript) (*notifyConn, error) {
	if o.TLS == TLSNone && !tlsconf.IsLoopback(o.Host) {
		return nil, fmt.Errorf("%w (%s): use tls: implicit or starttls", ErrInsecure, o.Host)
	}
	tlsCfg, err := tlsconf.Client(o.Host, o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("imap: %w", err)
	}
	d := &net.Dialer{Timeout: o.CommandTimeout, KeepAlive: o.KeepAlive}
	dctx, cancel := context.WithTimeout(ctx, o.CommandTimeout)
	defer cancel()
	raw, err := d.DialContext(dctx, "tcp", o.addr())
	if err != nil {
		return nil, fmt.Errorf("connect to imap %s: %w", o.addr(), err)
	}
	n := &notifyConn{opt: o, raw: raw, debug: debug}
	if err := n.start(ctx, dctx, d, tlsCfg); err != nil {
		raw.Close()
		return nil, err
	}
	return n, nil
}

func (n *notifyConn) start(ctx, dctx context.Context, d *net.Dialer, tlsCfg *tls.Config) error {
	o := n.opt
	g := &tlsmix.Guard{Proto: "imap", Port: tlsmix.PortOf(o.addr()), Mode: o.TLS, Config: withALPN(tlsCfg),
		Redial: func(pctx context.Context) (net.Conn, error) { return d.DialContext(pctx, "tcp", o.addr()) }}
	var conn net.Conn
	var err error
	if o.TLS == TLSImplicit {
		if conn, err = g.Handshake(dctx, n.raw); err != nil {
			return fmt.Errorf("tls handshake with imap %s: %w", o.addr(), err)
		}
	} else if conn, err = g.Plain(dctx, n.raw); err != nil {
		return fmt.Errorf("imap greeting from %s: %w", o.addr(), greetingErr(dctx, err))
	}
	n.use(conn)
	n.deadline(time.Now().Add(o.CommandTimeout))
	greet, err := n.r.read()
	if err != nil {
		return fmt.Errorf("imap greeting from %s: %w", o.addr(), n.netErr(err))
	}
	if greet.Tag != "*" || (greet.Kind != "OK" && greet.Kind != "PREAUTH") {
		return fmt.Errorf("imap greeting from %s: %s %s", o.addr(), greet.Kind, greet.Text)
	}
	n.codeCaps(greet)
	if o.TLS == TLSStartTLS {
		if err := n.starttls(dctx, tlsCfg); err != nil {
			return fmt.Errorf("starttls with imap %s: %w", o.addr(), err)
		}
	}
	if greet.Kind != "PREAUTH" {
		if err := n.login(ctx); err != nil {
			return err
		}
	}
	if n.caps == nil {
		if err := n.run("CAPABILITY"); err != nil {
			return fmt.Errorf("imap capability: %w", err)
		}
	}
	return nil
}

// use makes conn the connection commands go over.
func (n *notifyConn) use(conn net.Conn) {
	n.conn = conn
	var rw io.ReadWriter = conn
	if n.debug != nil {
		rw = struct {
			io.Reader
			io.Writer
		}{io.TeeReader(conn, n.debug), io.MultiWriter(conn, n.debug)}
	}
	n.r = wireReader{br: bufio.NewReader(rw)}
	n.w = bufio.NewWriter(rw)
}

func (n *notifyConn) starttls(ctx context.Context, cfg *tls.Config) error {
	if err := n.run("STARTTLS"); err != nil {
		return err
	}
	if n.r.br.Buffered() > 0 {
		// Whatever came with the OK was sent before TLS: never trust it.
		return fmt.Errorf("%w: data after the STARTTLS answer", errWire)
	}
	tc := tls.Client(n.conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return err
	}
	n.use(tc)
	n.caps = nil // the capabilities before TLS are not to be trusted
	return nil
}

func (n *notifyConn) login(ctx context.Context) error {
	o := n.opt
	if o.Secret == nil {
		return errors.New("no imap password or token configured")
	}
	secret, err := o.Secret(ctx)
	if err != nil {
		return fmt.Errorf("get imap secret: %w", err)
	}
	if n.debug != nil {
		n.debug.mute(true)
		defer n.debug.mute(false)
	}
	before := n.capsN
	switch strings.ToLower(o.Auth) {
	case "", AuthPassword:
		err = n.run("LOGIN", astring(o.Username), astring(secret))
	case AuthXOAuth2:
		err = n.authenticate(&xoauth2{user: o.Username, token: secret})
	case AuthOAuthBearer:
		err = n.authenticate(sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
			Username: o.Username, Token: secret, Host: o.Host, Port: o.Port,
		}))
	default:
		return fmt.Errorf("unknown imap auth %q (want password, xoauth2 or oauthbearer)", o.Auth)
	}
	if err != nil {
		return fmt.Errorf("imap login as %s: %w", o.Username, err)
	}
	if n.capsN == before {
		n.caps = nil // those before the login: ask again
	}
	return nil
}

// authenticate runs AUTHENTICATE with a SASL client, the initial response
// on the command line where the server offers SASL-IR.
func (n *notifyConn) authenticate(c sasl.Client) error {
	mech, ir, err := c.Start()
	if err != nil {
		return err
	}
	args := []any{mech}
	if ir != nil && n.caps.Has(imap.CapSASLIR) {
		args, ir = append(args, encodeSASL(ir)), nil
	}
	tag, err := n.send("AUTHENTICATE", args...)
	if err != nil {
		return err
	}
	for {
		r, err := n.next()
		if err != nil {
			return err
		}
		switch {
		case r.Tag == "+":
			var resp []byte
			if r.Text == "" && ir != nil {
				resp, ir = ir, nil
			} else {
				ch, err := decodeSASL(r.Text)
				if err != nil {
					return err
				}
				if resp, err = c.Next(ch); err != nil {
					// Cancel the exchange (the server answers BAD), then
					// report what the mechanism made of the challenge.
					if werr := n.writeLine("*"); werr != nil {
						return err
					}
					n.finish(tag)
					return err
				}
			}
			// A response is plain base64: "" when empty ("=" is for an
			// initial response on the command line only).
			if err := n.writeLine(base64.StdEncoding.EncodeToString(resp)); err != nil {
				return err
			}
		case r.Tag == tag:
			return n.done(r)
		default:
			n.onUntagged(r)
		}
	}
}

// finish reads until tag's answer, whatever it is.
func (n *notifyConn) finish(tag string) {
	for {
		r, err := n.next()
		if err != nil || r.Tag == tag {
			return
		}
		n.onUntagged(r)
	}
}

// notifySet asks for the new and expunged messages of folders. It asks
// for their STATUS at once too: what a folder holds when the watch starts
// is what later notifications are compared with.
func (n *notifyConn) notifySet(folders []string) error {
	names := make([]string, 0, len(folders))
	for _, f := range folders {
		q, ok := quote(encodeMailbox(f))
		if !ok {
			return fmt.Errorf("folder %q cannot be named to NOTIFY", f)
		}
		names = append(names, q)
	}
	n.seen = uidNexts{}
	n.untagged = func(r wireResp) { n.seen.changed(r) }
	err := n.run("NOTIFY", "SET STATUS (mailboxes ("+strings.Join(names, " ")+") (MessageNew MessageExpunge))")
	var ie *imap.Error
	if errors.As(err, &ie) {
		return fmt.Errorf("%w: it answered NOTIFY with %s %s", errNoNotify, ie.Type, ie.Text)
	}
	return err
}

// wait reads notifications until the connection fails or is aborted, and
// signals wake for each folder whose next UID moved (new mail). After
// IdleRestart of silence it sends a NOOP, which must be answered within
// the command timeout.
func (n *notifyConn) wait(wake chan<- struct{}) error {
	o := n.opt
	if n.seen == nil {
		n.seen = uidNexts{}
	}
	n.untagged = func(r wireResp) {
		if n.seen.changed(r) {
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
	var noop string // the tag of the NOOP awaiting its answer
	for {
		due := time.Now().Add(o.IdleRestart)
		if noop != "" {
			due = time.Now().Add(o.CommandTimeout)
		}
		n.deadline(due)
		if _, err := n.r.br.Peek(1); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && noop == "" && !n.isAborted() {
				n.deadline(time.Now().Add(o.CommandTimeout))
				if noop, err = n.send("NOOP"); err != nil {
					return err
				}
				continue
			}
			return n.netErr(err)
		}
		// Something arrives: the rest of it must follow promptly.
		r, err := n.next()
		if err != nil {
			return err
		}
		switch {
		case r.Tag == noop:
			if err := n.done(r); err != nil {
				return err
			}
			noop = ""
		case r.Tag == "*" && r.Kind == "BYE":
			return fmt.Errorf("%w: the server ended the NOTIFY watch: %s", errClosed, r.Text)
		case r.Tag == "*" && r.Code == "NOTIFICATIONOVERFLOW":
			// The server stopped notifying: read everything, then watch afresh.
			select {
			case wake <- struct{}{}:
			default:
			}
			return fmt.Errorf("%w: the server's notifications overflowed", errClosed)
		case r.Tag == "*":
			n.onUntagged(r)
		default:
			return fmt.Errorf("%w: an answer to no command (%s %s)", errWire, r.Tag, r.Kind)
		}
	}
}

// uidNexts remembers each folder's next UID from the STATUS responses,
// so that only new mail wakes the daemon, not mail deleted or flagged.
type uidNexts map[string]string

// changed reports whether r is news: a STATUS with a next UID (or UID
// validity) other than the one remembered, or without one, or an EXISTS.
func (u uidNexts) changed(r wireResp) bool {
	switch r.Kind {
	case "EXISTS":
		return true
	case "STATUS":
	default:
		return false
	}
	if len(r.Fields) < 2 || r.Fields[1] != "(" {
		return true
	}
	name := r.Fields[0]
	if strings.EqualFold(name, "INBOX") {
		name = "INBOX"
	}
	var next, validity string
	for i := 2; i+1 < len(r.Fields); i += 2 {
		switch strings.ToUpper(r.Fields[i]) {
		case "UIDNEXT":
			next = r.Fields[i+1]
		case "UIDVALIDITY":
			validity = r.Fields[i+1]
		}
	}
	if next == "" {
		return true // cannot tell: better a cycle too many
	}
	prev, ok := u[name]
	prevNext, prevValidity, _ := strings.Cut(prev, "/")
	if validity == "" {
		validity = prevValidity
	}
	u[name] = next + "/" + validity
	return !ok || next != prevNext || validity != prevValidity
}

func (n *notifyConn) onUntagged(r wireResp) {
	switch {
	case r.Kind == "CAPABILITY":
		n.caps, n.capsN = capSet(r.Fields), n.capsN+1
	case isStatus(r.Kind):
		n.codeCaps(r)
	case n.untagged != nil:
		n.untagged(r)
	}
}

// codeCaps takes the capabilities of a [CAPABILITY ...] response code.
func (n *notifyConn) codeCaps(r wireResp) {
	if r.Code == "CAPABILITY" {
		n.caps, n.capsN = capSet(r.CodeArgs), n.capsN+1
	}
}

// capSet is a capability list, in go-imap's spelling (IMAP4rev1, upper
// case otherwise): capability names are case-insensitive.
func capSet(names []string) imap.CapSet {
	caps := imap.CapSet{}
	for _, c := range names {
		c = strings.ToUpper(c)
		if rev, ok := strings.CutPrefix(c, "IMAP4REV"); ok {
			c = "IMAP4rev" + rev
		}
		caps[imap.Cap(c)] = struct{}{}
	}
	return caps
}

// run sends a command and reads until its answer: nil for OK, an
// *imap.Error for NO or BAD.
func (n *notifyConn) run(name string, args ...any) error {
	tag, err := n.send(name, args...)
	if err != nil {
		return err
	}
	for {
		r, err := n.next()
		if err != nil {
			return err
		}
		if r.Tag == tag {
			return n.done(r)
		}
		if r.Tag == "+" {
			return fmt.Errorf("%w: a continuation request to %s", errWire, name)
		}
		n.onUntagged(r)
	}
}

// send writes a command: its arguments are strings, written as they are
// (atoms, quoted strings, lists), and literalArgs. A literal is sent at
// once where the server offers LITERAL+ (or LITERAL- and the literal is
// small), else after the server's continuation request.
func (n *notifyConn) send(name string, args ...any) (string, error) {
	if !notifyCommands[name] {
		return "", fmt.Errorf("the NOTIFY watcher does not send %s", name)
	}
	n.tags++
	tag := "N" + strconv.Itoa(n.tags)
	n.deadline(time.Now().Add(n.opt.CommandTimeout))
	line := tag + " " + name
	for _, a := range args {
		switch a := a.(type) {
		case string:
			line += " " + a
		case literalArg:
			plus := n.caps.Has(imap.CapLiteralPlus) || n.caps.Has(imap.CapLiteralMinus) && len(a) <= 4096
			if plus {
				line += fmt.Sprintf(" {%d+}", len(a))
			} else {
				line += fmt.Sprintf(" {%d}", len(a))
			}
			if err := n.writeLine(line); err != nil {
				return "", err
			}
			if !plus {
				if err := n.awaitContinuation(tag); err != nil {
					return "", err
				}
			}
			if _, err := n.w.Write(a); err != nil {
				return "", n.netErr(err)
			}
			line = ""
		default:
			panic(fmt.Sprintf("notify: argument of type %T", a))
		}
	}
	return tag, n.writeLine(line)
}

// awaitContinuation reads until the server's "+" for a literal; a tagged
// answer instead is its refusal.
func (n *notifyConn) awaitContinuation(tag string) error {
	for {
		r, err := n.next()
		if err != nil {
			return err
		}
		switch r.Tag {
		case "+":
			return nil
		case tag:
			if err := n.done(r); err != nil {
				return err
			}
			return fmt.Errorf("%w: %s answered before its literal", errWire, tag)
		}
		n.onUntagged(r)
	}
}

func (n *notifyConn) writeLine(s string) error {
	if _, err := n.w.WriteString(s + "\r\n"); err != nil {
		return n.netErr(err)
	}
	return n.netErr(n.w.Flush())
}

// next reads one response within the command timeout.
func (n *notifyConn) next() (wireResp, error) {
	n.deadline(time.Now().Add(n.opt.CommandTimeout))
	r, err := n.r.read()
	return r, n.netErr(err)
}

// done turns a command's tagged answer into its error.
func (n *notifyConn) done(r wireResp) error {
	n.codeCaps(r)
	switch r.Kind {
	case "OK":
		return nil
	case "NO", "BAD":
		return &imap.Error{Type: imap.StatusResponseType(r.Kind), Code: imap.ResponseCode(r.Code), Text: r.Text}
	}
	return fmt.Errorf("%w: %s answered %s", errWire, r.Tag, r.Kind)
}

// netErr names a deadline that passed as the command timeout.
func (n *notifyConn) netErr(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() && !n.isAborted() {
		return fmt.Errorf("%w: no answer within %v", ErrTimeout, n.opt.CommandTimeout)
	}
	return err
}

// deadline sets the connection's deadline, unless the watch was aborted.
func (n *notifyConn) deadline(t time.Time) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.aborted {
		n.raw.SetDeadline(t)
	}
}

// abort ends whatever the connection waits for (ctx ended).
func (n *notifyConn) abort() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.aborted = true
	n.raw.SetDeadline(time.Unix(1, 0))
}

func (n *notifyConn) isAborted() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.aborted
}

// close logs out without waiting for the answer, and closes.
func (n *notifyConn) close() {
	n.mu.Lock()
	n.aborted = true
	n.raw.SetDeadline(time.Now().Add(time.Second))
	n.mu.Unlock()
	n.tags++
	n.writeLine("N" + strconv.Itoa(n.tags) + " LOGOUT")
	n.raw.Close()
}
