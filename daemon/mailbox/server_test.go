package mailbox

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/emersion/go-sasl"
	"github.com/leadup/leadup/daemon/demo"
)

const (
	testUser = "alex@example.com"
	testPass = "correct horse battery staple"
)

// memServer is go-imap's in-memory server on 127.0.0.1:0, with the LIST
// special-use attributes it lacks and counters of what clients asked for.
type memServer struct {
	addr string
	user *imapmemserver.User

	mu      sync.Mutex
	folders map[string]imap.MailboxAttr // name -> special use ("" for none)

	fetches, selects, writes atomic.Int64

	// poison, when set, is a UID of poisonFolder whose FETCH makes the
	// server drop the connection before answering, every time.
	poison       atomic.Uint32
	poisonFolder string

	// dropAfterSelect, when set, makes the next successful SELECT or
	// EXAMINE the connection's last command: the server answers it, then
	// hangs up.
	dropAfterSelect atomic.Bool

	// token is the OAuth access token XOAUTH2 and OAUTHBEARER accept.
	token string

	layout serverLayout
}

// serverLayout is how a server names and lists its folders.
type serverLayout struct {
	// Delim is the hierarchy separator LIST reports; '/' when zero.
	Delim rune
	// Personal is the personal namespace's prefix NAMESPACE reports
	// ("INBOX." on Courier and Debian's Cyrus); the server offers
	// NAMESPACE only when it is set.
	Personal string
	// NoSpecialUse lists folders without their special-use attributes,
	// as a server without SPECIAL-USE does.
	NoSpecialUse bool
}

// cyrusLayout is Debian's Cyrus (altnamespace: no, unixhierarchysep: no)
// and Courier: every folder under "INBOX." with '.' between parts, and no
// special-use attributes.
var cyrusLayout = serverLayout{Delim: '.', Personal: "INBOX.", NoSpecialUse: true}

type tlogger struct{ t testing.TB }

func (l tlogger) Printf(format string, args ...any) { l.t.Logf("imapserver: "+format, args...) }

func newMemServer(t testing.TB) *memServer { return newLayoutServer(t, serverLayout{}) }

// newLayoutServer is newMemServer with folders named and listed as
// layout says.
func newLayoutServer(t testing.TB, layout serverLayout) *memServer {
	t.Helper()
	mem := imapmemserver.New()
	ms := &memServer{user: imapmemserver.NewUser(testUser, testPass), folders: map[string]imap.MailboxAttr{}, layout: layout}
	mem.AddUser(ms.user)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}}
	if layout.Personal != "" {
		caps[imap.CapNamespace] = struct{}{}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(conn *imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &countingSession{Session: mem.NewSession(), s: ms, conn: conn}, nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		Logger:       tlogger{t},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	ms.addr = ln.Addr().String()
	ms.mkdir(t, "INBOX", "")
	return ms
}

// countingSession wraps imapmemserver's session: LIST reports special use,
// and FETCH, SELECT and every write are counted.
type countingSession struct {
	imapserver.Session
	s        *memServer
	conn     *imapserver.Conn
	selected string
}

func (cs *countingSession) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	cs.s.mu.Lock()
	folders := make(map[string]imap.MailboxAttr, len(cs.s.folders))
	for n, a := range cs.s.folders {
		folders[n] = a
	}
	cs.s.mu.Unlock()
	l := cs.s.layout
	if l.Delim == 0 && !l.NoSpecialUse {
		return demo.ListSpecialUse(w, ref, patterns, folders)
	}
	delim := cmp.Or(l.Delim, '/')
	names := slices.Sorted(maps.Keys(folders))
	for _, n := range names {
		if !slices.ContainsFunc(patterns, func(p string) bool { return imapserver.MatchList(n, delim, ref, p) }) {
			continue
		}
		d := &imap.ListData{Mailbox: n, Delim: delim}
		if a := folders[n]; a != "" && !l.NoSpecialUse {
			d.Attrs = append(d.Attrs, a)
		}
		if err := w.WriteList(d); err != nil {
			return err
		}
	}
	return nil
}

var _ imapserver.SessionNamespace = (*countingSession)(nil)

// Namespace reports the layout's personal namespace.
func (cs *countingSession) Namespace() (*imap.NamespaceData, error) {
	l := cs.s.layout
	return &imap.NamespaceData{Personal: []imap.NamespaceDescriptor{{Prefix: l.Personal, Delim: cmp.Or(l.Delim, '/')}}}, nil
}

func (cs *countingSession) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	cs.s.selects.Add(1)
	cs.selected = name
	d, err := cs.Session.Select(name, options)
	if err == nil && cs.s.dropAfterSelect.CompareAndSwap(true, false) {
		// Stop reading: the answer still goes out, then the server sees
		// EOF and closes the connection.
		if tc, ok := cs.conn.NetConn().(*net.TCPConn); ok {
			tc.CloseRead()
		}
	}
	return d, err
}

func (cs *countingSession) Fetch(w *imapserver.FetchWriter, numSet imap.NumSet, options *imap.FetchOptions) error {
	cs.s.fetches.Add(1)
	if p := cs.s.poison.Load(); p != 0 && cs.selected == cs.s.poisonFolder {
		if uids, ok := numSet.(imap.UIDSet); ok && uids.Contains(imap.UID(p)) {
			cs.conn.NetConn().Close()
			return errors.New("poisoned")
		}
	}
	return cs.Session.Fetch(w, numSet, options)
}

func (cs *countingSession) Store(w *imapserver.FetchWriter, numSet imap.NumSet, flags *imap.StoreFlags, options *imap.StoreOptions) error {
	cs.s.writes.Add(1)
	return cs.Session.Store(w, numSet, flags, options)
}

func (cs *countingSession) Expunge(w *imapserver.ExpungeWriter, uids *imap.UIDSet) error {
	cs.s.writes.Add(1)
	return cs.Session.Expunge(w, uids)
}

func (cs *countingSession) Copy(numSet imap.NumSet, dest string) (*imap.CopyData, error) {
	cs.s.writes.Add(1)
	return cs.Session.Copy(numSet, dest)
}

func (cs *countingSession) Append(mailbox string, r imap.LiteralReader, options *imap.AppendOptions) (*imap.AppendData, error) {
	cs.s.writes.Add(1)
	return cs.Session.Append(mailbox, r, options)
}

// mkdir creates a folder with an optional special-use attribute.
func (ms *memServer) mkdir(t testing.TB, name string, special imap.MailboxAttr) {
	t.Helper()
	if err := ms.user.Create(name, nil); err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	ms.mu.Lock()
	ms.folders[name] = special
	ms.mu.Unlock()
}

// rmdir deletes a folder.
func (ms *memServer) rmdir(t testing.TB, name string) {
	t.Helper()
	if err := ms.user.Delete(name); err != nil {
		t.Fatalf("delete %s: %v", name, err)
	}
	ms.mu.Lock()
	delete(ms.folders, name)
	ms.mu.Unlock()
}

// add appends raw to folder, back-dated, with flags; it is not counted as
// a client write.
func (ms *memServer) add(t testing.TB, folder string, raw string, date time.Time, flags ...imap.Flag) {
	t.Helper()
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\n", "\r\n")
	if _, err := ms.user.Append(folder, bytes.NewReader([]byte(raw)), &imap.AppendOptions{Time: date, Flags: flags}); err != nil {
		t.Fatalf("append to %s: %v", folder, err)
	}
}

func (ms *memServer) options() Options {
	h, p, _ := net.SplitHostPort(ms.addr)
	var port int
	fmt.Sscan(p, &port)
	return Options{
		Host: h, Port: port, TLS: TLSNone, Username: testUser,
		Secret:         func(context.Context) (string, error) { return testPass, nil },
		CommandTimeout: 30 * time.Second,
	}
}

// flags returns every message's flags in every folder, read with a plain
// go-imap client (FETCH FLAGS changes nothing).
func (ms *memServer) flags(t testing.TB) map[string]string {
	t.Helper()
	c, err := imapclient.DialInsecure(ms.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(testUser, testPass).Wait(); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ms.mu.Lock()
	names := make([]string, 0, len(ms.folders))
	for n := range ms.folders {
		names = append(names, n)
	}
	ms.mu.Unlock()
	for _, n := range names {
		sel, err := c.Select(n, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if sel.NumMessages == 0 {
			continue
		}
		var all imap.SeqSet
		all.AddRange(1, 0)
		msgs, err := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true}).Collect()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			fl := make([]string, 0, len(m.Flags))
			for _, f := range m.Flags {
				fl = append(fl, string(f))
			}
			sort.Strings(fl)
			out[fmt.Sprintf("%s/%d", n, m.UID)] = strings.Join(fl, " ")
		}
	}
	return out
}

// listenSilent accepts connections, greets, and then never answers.
func listenSilent(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
			conn.Write([]byte("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] silent\r\n"))
			go func() {
				buf := make([]byte, 1024)
				for {
					if _, err := conn.Read(buf); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// listenClosed returns a loopback port where nothing listens.
func listenClosed(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

var _ imapserver.SessionSASL = (*countingSession)(nil)

func (cs *countingSession) AuthenticateMechanisms() []string {
	return []string{"PLAIN", "XOAUTH2", "OAUTHBEARER"}
}

// Authenticate accepts the test user's password (PLAIN) or the server's
// token (XOAUTH2, OAUTHBEARER).
func (cs *countingSession) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(_, user, pass string) error { return cs.Session.Login(user, pass) }), nil
	case "XOAUTH2":
		return xoauth2Server(func(user, token string) error {
			if user != testUser || cs.s.token == "" || token != cs.s.token {
				return imapserver.ErrAuthFailed
			}
			return cs.Session.Login(testUser, testPass)
		}), nil
	case "OAUTHBEARER":
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if o.Username != testUser || cs.s.token == "" || o.Token != cs.s.token || cs.Session.Login(testUser, testPass) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return nil, errors.New("unsupported mechanism")
}

// xoauth2Server checks "user=U\x01auth=Bearer T\x01\x01".
type xoauth2Server func(user, token string) error

func (f xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil
	}
	var user, token string
	for _, kv := range strings.Split(string(resp), "\x01") {
		if v, ok := strings.CutPrefix(kv, "user="); ok {
			user = v
		}
		if v, ok := strings.CutPrefix(kv, "auth=Bearer "); ok {
			token = v
		}
	}
	return nil, true, f(user, token)
}
