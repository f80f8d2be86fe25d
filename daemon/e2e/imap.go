package e2e

import (
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// kept are the mailboxes Reset empties instead of deleting: the ones leadup
// reads and writes, which Dovecot also creates by itself. keptMox adds the
// special-use mailboxes mox makes with an account and never makes again.
var (
	kept    = []string{"INBOX", "Sent", "Drafts"}
	keptMox = []string{"INBOX", "Sent", "Drafts", "Archive", "Junk", "Trash"}
)

// IMAP returns a client logged in as s.User over implicit TLS, trusting only
// the throw-away CA. It is logged out when the test ends.
func (s *Servers) IMAP(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := s.dial()
	if err != nil {
		t.Fatalf("e2e: imap login as %s at %s: %v", s.User, s.IMAPSAddr(), err)
	}
	t.Cleanup(func() {
		stop := time.AfterFunc(5*time.Second, func() { _ = c.Close() })
		defer stop.Stop()
		_ = c.Logout().Wait()
		_ = c.Close()
	})
	return c
}

// dial connects over implicit TLS and logs in as s.User.
func (s *Servers) dial() (*imapclient.Client, error) {
	c, err := imapclient.DialTLS(s.IMAPSAddr(), &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		return nil, err
	}
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// Session runs fn on a fresh connection logged in as s.User and logs out
// afterwards, failing the test if fn or the logout returns an error. A
// watchdog closes the connection after OpTimeout (go-imap has no response
// timeout). Unlike IMAP, the connection is gone when Session returns: Dovecot
// allows ten connections per user and IP, so tests that read or seed the
// mailbox many times use Session. fn must not call t.Fatal (the connection
// would stay open); it returns an error instead.
func (s *Servers) Session(t testing.TB, what string, fn func(c *imapclient.Client) error) {
	t.Helper()
	if err := s.session(what, fn); err != nil {
		t.Fatal(err)
	}
}

// ReadSession is Session for fn that only reads: a connection the server
// drops is dialled again, up to three times. mox v0.0.15 now and then
// ends a session with "uid already present" when mail is delivered while
// a UID SEARCH runs.
func (s *Servers) ReadSession(t testing.TB, what string, fn func(c *imapclient.Client) error) {
	t.Helper()
	var err error
	for range 3 {
		if err = s.session(what, fn); err == nil || !dropped(err) {
			break
		}
		t.Logf("%v; reading again", err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// dropped says the server closed the connection under a command.
func dropped(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "unexpected EOF") || strings.Contains(err.Error(), "connection reset")
}

func (s *Servers) session(what string, fn func(c *imapclient.Client) error) error {
	c, err := s.dial()
	if err != nil {
		return fmt.Errorf("e2e: %s: imap login as %s: %w", what, s.User, err)
	}
	var timedOut atomic.Bool
	watchdog := time.AfterFunc(s.OpTimeout, func() {
		timedOut.Store(true)
		_ = c.Close()
	})
	err = fn(c)
	if err == nil {
		err = c.Logout().Wait()
	}
	watchdog.Stop()
	_ = c.Close()
	if err != nil {
		if timedOut.Load() {
			return fmt.Errorf("e2e: %s as %s: no answer within %v: %w", what, s.User, s.OpTimeout, err)
		}
		return fmt.Errorf("e2e: %s as %s: %w", what, s.User, err)
	}
	return nil
}

// Reset deletes every mailbox of user except INBOX, Sent and Drafts and empties
// those three, so a test starts from a known, empty account. Dovecot recreates
// its auto-created Junk and Trash on the next login; on mox, which does not,
// Archive, Junk and Trash are emptied instead.
func (s *Servers) Reset(t testing.TB, user string) {
	t.Helper()
	keep := kept
	if s.IsMox() {
		keep = keptMox
	}
	s.ForUser(user).Session(t, "reset", func(c *imapclient.Client) error {
		list, err := c.List("", "*", nil).Collect()
		if err != nil {
			return err
		}
		// Children before parents: Dovecot refuses to delete a parent first.
		slices.SortFunc(list, func(a, b *imap.ListData) int {
			return strings.Count(b.Mailbox, string(b.Delim)) - strings.Count(a.Mailbox, string(a.Delim))
		})
		for _, mb := range list {
			if isKept(keep, mb.Mailbox) {
				if err := empty(c, mb.Mailbox); err != nil {
					return err
				}
				continue
			}
			if slices.Contains(mb.Attrs, imap.MailboxAttrNonExistent) {
				continue
			}
			if err := c.Delete(mb.Mailbox).Wait(); err != nil && !isCode(err, imap.ResponseCodeNonExistent) {
				return err
			}
		}
		return nil
	})
}

func isKept(kept []string, name string) bool {
	for _, k := range kept {
		if name == k || (k == "INBOX" && strings.EqualFold(name, k)) {
			return true
		}
	}
	return false
}

func isCode(err error, code imap.ResponseCode) bool {
	var ierr *imap.Error
	return errors.As(err, &ierr) && ierr.Code == code
}

// empty expunges every message of mailbox.
func empty(c *imapclient.Client, mailbox string) error {
	sel, err := c.Select(mailbox, nil).Wait()
	if err != nil {
		return err
	}
	if sel.NumMessages > 0 {
		all := imap.SeqSet{}
		all.AddRange(1, 0) // 1:*
		store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
		if err := c.Store(all, store, nil).Close(); err != nil {
			return err
		}
		if err := c.Expunge().Close(); err != nil {
			return err
		}
	}
	return c.Unselect().Wait()
}

// Append stores raw (verbatim: use CRLF line ends) in mailbox of s.User with
// the given flags and internal date (zero: now), creating the mailbox if
// needed, and returns the new message's UID.
func (s *Servers) Append(t testing.TB, mailbox string, raw []byte, flags []imap.Flag, date time.Time) imap.UID {
	t.Helper()
	var uid imap.UID
	s.Session(t, "append to "+mailbox, func(c *imapclient.Client) error {
		exists, err := c.List("", mailbox, nil).Collect()
		if err != nil {
			return err
		}
		if len(exists) == 0 {
			if err := c.Create(mailbox, nil).Wait(); err != nil {
				return err
			}
		}
		data, err := AppendRaw(c, mailbox, raw, &imap.AppendOptions{Flags: flags, Time: date})
		if err != nil {
			return err
		}
		if data.UID == 0 {
			return errors.New("server sent no APPENDUID")
		}
		uid = data.UID
		return nil
	})
	return uid
}

// AppendRaw appends raw (verbatim) to the existing mailbox over c and waits
// for the server's answer. It is Append's one round trip, for tests that add
// many messages in one Session, or that expect the server to refuse some: the
// command is always closed, so c stays usable after a refusal, and the
// server's answer is the error preferred.
func AppendRaw(c *imapclient.Client, mailbox string, raw []byte, opts *imap.AppendOptions) (*imap.AppendData, error) {
	cmd := c.Append(mailbox, int64(len(raw)), opts)
	_, werr := cmd.Write(raw)
	cerr := cmd.Close() // releases c's command lock, even after a failed write
	data, err := cmd.Wait()
	if err == nil {
		err = errors.Join(werr, cerr)
	}
	if err != nil {
		return nil, err
	}
	return data, nil
}

// Flags snapshots the flags of every message in mailbox of s.User, opened
// read-only with EXAMINE, for "flags unchanged" assertions (compare two
// snapshots with reflect.DeepEqual). Each list is sorted; \Recent is left out
// because it belongs to the session, not the message.
func (s *Servers) Flags(t testing.TB, mailbox string) map[imap.UID][]imap.Flag {
	t.Helper()
	out := map[imap.UID][]imap.Flag{}
	s.Session(t, "flags of "+mailbox, func(c *imapclient.Client) error {
		sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return err
		}
		if sel.NumMessages == 0 {
			return nil
		}
		all := imap.SeqSet{}
		all.AddRange(1, 0)
		msgs, err := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true}).Collect()
		if err != nil {
			return err
		}
		for _, m := range msgs {
			flags := []imap.Flag{}
			for _, f := range m.Flags {
				if !strings.EqualFold(string(f), `\Recent`) {
					flags = append(flags, f)
				}
			}
			slices.Sort(flags)
			out[m.UID] = flags
		}
		return nil
	})
	return out
}

// WaitForMessage polls mailbox of s.User (read-only) until a message whose
// header name contains value (IMAP SEARCH HEADER: substring, case-insensitive)
// is there, and returns the first such message in full. It fails the test
// after timeout, quoting the delivery log, which says where a delivery stuck.
func (s *Servers) WaitForMessage(t testing.TB, mailbox, name, value string, timeout time.Duration) []byte {
	t.Helper()
	var raw []byte
	var lastErr error
	deadline := time.Now().Add(timeout)
	s.Session(t, "wait for message in "+mailbox, func(c *imapclient.Client) error {
		for {
			raw, lastErr = findMessage(c, mailbox, name, value)
			if raw != nil || time.Now().After(deadline) {
				return nil
			}
			if lastErr != nil && !isCode(lastErr, imap.ResponseCodeNonExistent) {
				var ierr *imap.Error
				if !errors.As(lastErr, &ierr) {
					return lastErr // connection trouble, not "not there yet"
				}
			}
			time.Sleep(s.PollInterval)
		}
	})
	if raw == nil {
		t.Fatalf("e2e: no message with %s: %q in %s of %s at %s within %v (last error: %v)\n%s log:\n%s",
			name, value, mailbox, s.User, s.Name, timeout, lastErr, s.Name, s.PostfixLog())
	}
	return raw
}

// findMessage looks once; nil, nil when nothing matches yet.
func findMessage(c *imapclient.Client, mailbox, name, value string) ([]byte, error) {
	if _, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, err
	}
	defer func() { _ = c.Unselect().Wait() }()
	found, err := c.UIDSearch(&imap.SearchCriteria{
		Header: []imap.SearchCriteriaHeaderField{{Key: name, Value: value}},
	}, nil).Wait()
	if err != nil {
		return nil, err
	}
	uids := found.AllUIDs()
	if len(uids) == 0 {
		return nil, nil
	}
	slices.Sort(uids)
	whole := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(uids[0]), &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{whole},
	}).Collect()
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, errors.New("searched message vanished before fetch")
	}
	return msgs[0].FindBodySection(whole), nil
}
