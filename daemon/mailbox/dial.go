package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-sasl"

	"github.com/leadup/leadup/daemon/internal/tlsconf"
	"github.com/leadup/leadup/daemon/internal/tlsmix"
)

// Client is one logged-in IMAP connection. Its methods are not safe for
// concurrent use: a Client runs one command at a time, and Idle holds it
// until its context ends (use a second Client to sync meanwhile).
type Client struct {
	opt   Options
	imap  *imapclient.Client
	conn  net.Conn // under imap: closing it never waits for go-imap's reader
	debug *transcript
	rt    atomic.Int64                    // commands issued, for Stats.RoundTrips
	wake  atomic.Pointer[chan<- struct{}] // set by Idle; read by the unilateral handler
	// greetWait is how long a plain connection waits for the greeting
	// before it checks for a TLS port (tlsmix.DefaultWait when zero).
	greetWait time.Duration
}

// Dial connects, negotiates TLS, and logs in. The connection has TCP
// keep-alive on, so a dead NAT mapping is noticed even while idle.
func Dial(ctx context.Context, opt Options) (*Client, error) {
	c := &Client{opt: opt.withDefaults()}
	if c.opt.Debug != nil {
		c.debug = &transcript{w: c.opt.Debug}
	}
	if err := c.dial(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Close logs out (best effort, bounded by CommandTimeout) and closes the
// connection.
func (c *Client) Close() error {
	if c.imap == nil {
		return nil
	}
	ic := c.imap
	c.imap = nil
	_ = c.guardOn(context.Background(), ic, func() error { return ic.Logout().Wait() })
	err := ic.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// Caps reports the server's capabilities (for `leadup check --connect`).
func (c *Client) Caps() imap.CapSet {
	if c.imap == nil {
		return nil
	}
	return c.imap.Caps()
}

func joinHostPort(host string, port int) string {
	return net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(port))
}

// dial replaces c.imap with a fresh, logged-in connection.
func (c *Client) dial(ctx context.Context) error {
	if c.imap != nil {
		c.imap.Close()
		c.imap = nil
	}
	o := c.opt
	if o.Host == "" {
		return errors.New("imap host is empty")
	}
	switch o.TLS {
	case TLSImplicit, TLSStartTLS:
	case TLSNone:
		if !tlsconf.IsLoopback(o.Host) {
			return fmt.Errorf("%w (%s): use tls: implicit or starttls", ErrInsecure, o.Host)
		}
	default:
		return fmt.Errorf("unknown imap tls mode %q (want implicit, starttls or none)", o.TLS)
	}
	tlsCfg, err := tlsconf.Client(o.Host, o.CAFile)
	if err != nil {
		return fmt.Errorf("imap: %w", err) // names the ca_file
	}
	io := &imapclient.Options{
		TLSConfig:   tlsCfg,
		WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: c.onMailbox,
		},
	}
	if c.debug != nil {
		io.DebugWriter = c.debug
	}

	d := &net.Dialer{Timeout: o.CommandTimeout, KeepAlive: o.KeepAlive}
	dctx, cancel := context.WithTimeout(ctx, o.CommandTimeout)
	defer cancel()
	conn, err := d.DialContext(dctx, "tcp", o.addr())
	if err != nil {
		return fmt.Errorf("connect to imap %s: %w", o.addr(), err)
	}

	// The first bytes tell a port and TLS mix-up within seconds (993 with
	// starttls, 143 with implicit), instead of a greeting timeout or a
	// bare TLS error.
	g := &tlsmix.Guard{Proto: "imap", Port: tlsmix.PortOf(o.addr()), Mode: o.TLS, Config: withALPN(tlsCfg), Wait: c.greetWait,
		Redial: func(pctx context.Context) (net.Conn, error) { return d.DialContext(pctx, "tcp", o.addr()) }}
	var ic *imapclient.Client
	switch o.TLS {
	case TLSImplicit:
		tc, err := g.Handshake(dctx, conn)
		if err != nil {
			conn.Close()
			return fmt.Errorf("tls handshake with imap %s: %w", o.addr(), err)
		}
		ic = imapclient.New(tc, io)
	case TLSStartTLS:
		pc, err := g.Plain(dctx, conn)
		if err != nil {
			conn.Close()
			return fmt.Errorf("starttls with imap %s: %w", o.addr(), greetingErr(dctx, err))
		}
		// NewStartTLS reads the greeting and upgrades; bound it ourselves.
		stop := context.AfterFunc(dctx, func() { conn.Close() })
		ic, err = imapclient.NewStartTLS(pc, io)
		stopped := stop()
		if err != nil {
			conn.Close()
			if !stopped {
				err = fmt.Errorf("%w: %w", ErrTimeout, err)
			}
			return fmt.Errorf("starttls with imap %s: %w", o.addr(), err)
		}
	default:
		pc, err := g.Plain(dctx, conn)
		if err != nil {
			conn.Close()
			return fmt.Errorf("imap greeting from %s: %w", o.addr(), greetingErr(dctx, err))
		}
		ic = imapclient.New(pc, io)
	}
	if err := c.guardOn(ctx, ic, ic.WaitGreeting); err != nil {
		ic.Close()
		return fmt.Errorf("imap greeting from %s: %w", o.addr(), err)
	}
	if err := c.login(ctx, ic); err != nil {
		ic.Close()
		return err
	}
	c.imap, c.conn = ic, conn
	return nil
}

// greetingErr marks a wait for the greeting that the command timeout
// ended as ErrTimeout, as a silent greeting is everywhere else.
func greetingErr(ctx context.Context, err error) error {
	if ctx.Err() == context.DeadlineExceeded && !errors.Is(err, ErrTimeout) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}

func withALPN(cfg *tls.Config) *tls.Config {
	cfg = cfg.Clone()
	cfg.NextProtos = []string{"imap"}
	return cfg
}

func (c *Client) login(ctx context.Context, ic *imapclient.Client) error {
	o := c.opt
	if ic.State() == imap.ConnStateAuthenticated {
		return nil // PREAUTH
	}
	if o.Secret == nil {
		return errors.New("no imap password or token configured")
	}
	secret, err := o.Secret(ctx)
	if err != nil {
		return fmt.Errorf("get imap secret: %w", err)
	}
	if c.debug != nil {
		c.debug.mute(true)
		defer c.debug.mute(false)
	}
	switch strings.ToLower(o.Auth) {
	case "", AuthPassword:
		err = c.guardOn(ctx, ic, func() error { return ic.Login(o.Username, secret).Wait() })
	case AuthXOAuth2:
		err = c.guardOn(ctx, ic, func() error { return ic.Authenticate(&xoauth2{user: o.Username, token: secret}) })
	case AuthOAuthBearer:
		host, port := o.Host, o.Port
		err = c.guardOn(ctx, ic, func() error {
			return ic.Authenticate(sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
				Username: o.Username, Token: secret, Host: host, Port: port,
			}))
		})
	default:
		return fmt.Errorf("unknown imap auth %q (want password, xoauth2 or oauthbearer)", o.Auth)
	}
	if err != nil {
		return fmt.Errorf("imap login as %s: %w", o.Username, err)
	}
	return nil
}

// onMailbox runs on go-imap's reader goroutine: it only signals.
func (c *Client) onMailbox(d *imapclient.UnilateralDataMailbox) {
	if d.NumMessages == nil {
		return
	}
	if p := c.wake.Load(); p != nil {
		select {
		case *p <- struct{}{}:
		default:
		}
	}
}

// transcript is the debug writer; it drops everything while muted, which
// is while credentials are on the wire.
type transcript struct {
	mu    sync.Mutex
	w     io.Writer
	muted bool
}

func (t *transcript) mute(on bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if on && !t.muted {
		io.WriteString(t.w, "[login exchange not shown]\r\n")
	}
	t.muted = on
}

func (t *transcript) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.muted {
		t.w.Write(p) // a broken debug sink must not break the session
	}
	return len(p), nil
}

// xoauth2 is Google's and Microsoft's XOAUTH2 SASL mechanism, which
// go-sasl lacks.
type xoauth2 struct{ user, token string }

var _ sasl.Client = (*xoauth2)(nil)

func (x *xoauth2) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

// Next answers the server's error challenge (a JSON blob) with an empty
// response, as the mechanism requires, so the server can fail the command.
func (x *xoauth2) Next(challenge []byte) ([]byte, error) { return []byte{}, nil }
