// Package demo runs leadup against in-process IMAP and SMTP servers on
// loopback with a realistic seeded mailbox: `leadup demo`, and the daemon's
// integration tests. The IMAP server is go-imap's imapmemserver (with the
// special-use attributes it lacks added to LIST); the SMTP server is go-smtp,
// keeping what it receives and delivering mail for the user to their Inbox,
// as a real provider would.
package demo

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/mail"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Password is the demo account's password (for both servers).
const Password = "demo-password"

// Delivered is one mail the SMTP server accepted.
type Delivered struct {
	From string
	To   []string
	Data []byte
}

// Servers are the running demo IMAP and SMTP servers.
type Servers struct {
	IMAPPort, SMTPPort int

	user    *imapmemserver.User
	imapSrv *imapserver.Server
	smtpSrv *smtp.Server

	mu        sync.Mutex
	special   map[string]imap.MailboxAttr
	delivered []Delivered
	failNext  []*smtp.SMTPError // answers to the next DATA commands, for tests
	writes    int               // STORE, EXPUNGE, COPY, MOVE, DELETE, RENAME seen
}

// Start starts both servers on 127.0.0.1 with free ports.
func Start() (*Servers, error) {
	s := &Servers{user: imapmemserver.NewUser(UserEmail, Password), special: map[string]imap.MailboxAttr{}}
	mem := imapmemserver.New()
	mem.AddUser(s.user)
	s.imapSrv = imapserver.New(&imapserver.Options{
		NewSession: func(conn *imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &session{Session: mem.NewSession(), s: s}, nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true, // loopback only
	})
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo imap: %w", err)
	}
	go s.imapSrv.Serve(iln)
	s.IMAPPort = iln.Addr().(*net.TCPAddr).Port

	s.smtpSrv = smtp.NewServer(smtpBackend{s})
	s.smtpSrv.Domain = "localhost"
	s.smtpSrv.AllowInsecureAuth = true // loopback only
	s.smtpSrv.ReadTimeout, s.smtpSrv.WriteTimeout = time.Minute, time.Minute
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.imapSrv.Close()
		return nil, fmt.Errorf("demo smtp: %w", err)
	}
	go s.smtpSrv.Serve(sln)
	s.SMTPPort = sln.Addr().(*net.TCPAddr).Port
	for _, f := range []string{"INBOX"} {
		if err := s.Create(f, ""); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// StartSeeded starts both servers with the demo mailbox dated relative to
// now: what `leadup demo` and the tests that play against it need.
func StartSeeded(now time.Time) (*Servers, error) {
	s, err := Start()
	if err != nil {
		return nil, err
	}
	if err := s.Seed(Mailbox(now)); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close stops both servers.
func (s *Servers) Close() {
	s.imapSrv.Close()
	s.smtpSrv.Close()
}

// Create makes a folder, with a special-use attribute (`\Sent`, `\Drafts`)
// or "". An existing folder is left as it is.
func (s *Servers) Create(name string, use imap.MailboxAttr) error {
	s.mu.Lock()
	_, exists := s.special[name]
	s.special[name] = use
	s.mu.Unlock()
	if exists {
		return nil
	}
	// imapmemserver's NewUser has no INBOX either: it is created like any other.
	return s.user.Create(name, nil)
}

// Delete removes a folder (tests: a UIDVALIDITY change is a delete and
// re-create).
func (s *Servers) Delete(name string) error {
	s.mu.Lock()
	delete(s.special, name)
	s.mu.Unlock()
	return s.user.Delete(name)
}

// Append adds a message to a folder, creating it if needed.
func (s *Servers) Append(folder string, raw []byte, date time.Time, flags ...imap.Flag) error {
	use := imap.MailboxAttr("")
	switch folder {
	case "Sent":
		use = imap.MailboxAttrSent
	case "Drafts":
		use = imap.MailboxAttrDrafts
	}
	if err := s.Create(folder, use); err != nil {
		return err
	}
	_, err := s.user.Append(folder, literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: date, Flags: flags})
	if err != nil {
		return fmt.Errorf("demo: append to %s: %w", folder, err)
	}
	return nil
}

// Seed puts the seeded messages in their folders, and makes Sent and Drafts.
func (s *Servers) Seed(msgs []Seeded) error {
	if err := s.Create("Sent", imap.MailboxAttrSent); err != nil {
		return err
	}
	if err := s.Create("Drafts", imap.MailboxAttrDrafts); err != nil {
		return err
	}
	for _, m := range msgs {
		var flags []imap.Flag
		for _, f := range m.Flags {
			flags = append(flags, imap.Flag(f))
		}
		if err := s.Append(m.Folder, m.Raw, m.Date, flags...); err != nil {
			return err
		}
	}
	return nil
}

// Delivered returns what the SMTP server accepted so far.
func (s *Servers) Delivered() []Delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivered(nil), s.delivered...)
}

// FailNext makes the next DATA commands fail with these SMTP errors, in
// order (tests: a 4xx then success must deliver once).
func (s *Servers) FailNext(errs ...*smtp.SMTPError) {
	s.mu.Lock()
	s.failNext = append(s.failNext, errs...)
	s.mu.Unlock()
}

// PendingFailures is how many FailNext answers are still unused (tests:
// check the injected failure was really met).
func (s *Servers) PendingFailures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.failNext)
}

// Writes counts the mailbox-changing commands clients sent (STORE,
// EXPUNGE, COPY, MOVE, DELETE, RENAME); APPEND is not counted.
func (s *Servers) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// FolderMessage is a message as stored on the demo server.
type FolderMessage struct {
	UID   imap.UID
	Flags []imap.Flag
	Raw   []byte
}

// Messages returns every message in a folder with its flags, read with
// EXAMINE and BODY.PEEK[] so that looking changes nothing.
func (s *Servers) Messages(folder string) ([]FolderMessage, error) {
	c, err := imapclient.DialInsecure(fmt.Sprintf("127.0.0.1:%d", s.IMAPPort), nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Login(UserEmail, Password).Wait(); err != nil {
		return nil, err
	}
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, err
	}
	all, err := c.Fetch(allSeq(), &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil {
		return nil, err
	}
	out := make([]FolderMessage, 0, len(all))
	for _, m := range all {
		fm := FolderMessage{UID: m.UID, Flags: m.Flags}
		for _, b := range m.BodySection {
			fm.Raw = b.Bytes
		}
		out = append(out, fm)
	}
	return out, nil
}

func allSeq() imap.SeqSet {
	var set imap.SeqSet
	set.AddRange(1, 0)
	return set
}

type literal struct {
	*bytes.Reader
	n int64
}

func (l literal) Size() int64 { return l.n }

// session adds special-use attributes to LIST and counts writes.
type session struct {
	imapserver.Session
	s *Servers
}

func (cs *session) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	cs.s.mu.Lock()
	folders := make(map[string]imap.MailboxAttr, len(cs.s.special))
	for n, a := range cs.s.special {
		folders[n] = a
	}
	cs.s.mu.Unlock()
	return ListSpecialUse(w, ref, patterns, folders)
}

// ListSpecialUse answers a LIST for folders (name to special-use attribute,
// "" for none), with the attributes imapmemserver leaves out in beta.8.
// Test servers that wrap imapmemserver share it.
func ListSpecialUse(w *imapserver.ListWriter, ref string, patterns []string, folders map[string]imap.MailboxAttr) error {
	names := make([]string, 0, len(folders))
	for n := range folders {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		match := false
		for _, p := range patterns {
			match = match || imapserver.MatchList(n, '/', ref, p)
		}
		if !match {
			continue
		}
		d := &imap.ListData{Mailbox: n, Delim: '/'}
		if a := folders[n]; a != "" {
			d.Attrs = append(d.Attrs, a)
		}
		if err := w.WriteList(d); err != nil {
			return err
		}
	}
	return nil
}

func (cs *session) countWrite() {
	cs.s.mu.Lock()
	cs.s.writes++
	cs.s.mu.Unlock()
}

func (cs *session) Store(w *imapserver.FetchWriter, numSet imap.NumSet, flags *imap.StoreFlags, options *imap.StoreOptions) error {
	cs.countWrite()
	return cs.Session.Store(w, numSet, flags, options)
}

func (cs *session) Expunge(w *imapserver.ExpungeWriter, uids *imap.UIDSet) error {
	cs.countWrite()
	return cs.Session.Expunge(w, uids)
}

func (cs *session) Copy(numSet imap.NumSet, dest string) (*imap.CopyData, error) {
	cs.countWrite()
	return cs.Session.Copy(numSet, dest)
}

func (cs *session) Delete(name string) error {
	cs.countWrite()
	return cs.Session.Delete(name)
}

func (cs *session) Rename(oldName, newName string, options *imap.RenameOptions) error {
	cs.countWrite()
	return cs.Session.Rename(oldName, newName, options)
}

// smtpBackend accepts mail from the demo user (AUTH PLAIN) and delivers
// mail addressed to the user into their Inbox.
type smtpBackend struct{ s *Servers }

var _ smtp.Backend = smtpBackend{}

func (b smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{s: b.s}, nil
}

type smtpSession struct {
	s      *Servers
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func (ss *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != UserEmail || password != Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, opts *smtp.MailOptions) error {
	if !ss.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, opts *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	if len(ss.s.failNext) > 0 {
		e := ss.s.failNext[0]
		ss.s.failNext = ss.s.failNext[1:]
		ss.s.mu.Unlock()
		return e
	}
	ss.s.delivered = append(ss.s.delivered, Delivered{From: ss.from, To: ss.to, Data: data})
	ss.s.mu.Unlock()
	for _, rcpt := range ss.to {
		if strings.EqualFold(rcpt, UserEmail) {
			date := time.Now()
			if m, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
				if d, err := m.Header.Date(); err == nil {
					date = d
				}
			}
			if err := ss.s.Append("INBOX", data, date); err != nil {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: err.Error()}
			}
		}
	}
	return nil
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }
