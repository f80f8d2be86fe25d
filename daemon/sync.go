package daemon

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

// connect dials IMAP and finds the Sent and Drafts folders and every
// project label.
func (a *App) connect(ctx context.Context) (*mailbox.Client, mailbox.Found, error) {
	c, err := mailbox.Dial(ctx, a.mailboxOptions())
	if err != nil {
		return nil, mailbox.Found{}, fmt.Errorf("imap %s: %w", a.cfg.IMAP.Host, err)
	}
	labels := make([]string, len(a.cfg.Projects))
	for i, p := range a.cfg.Projects {
		labels[i] = p.Label
	}
	found, err := c.Discover(ctx, a.cfg.IMAP.SentFolder, a.cfg.IMAP.DraftsFolder, labels)
	if err != nil {
		c.Close()
		return nil, found, err
	}
	if found.Sent == "" {
		c.Close()
		return nil, found, fmt.Errorf("no Sent folder found among %s: set imap.sent_folder to the folder your sent mail is in", strings.Join(found.All, ", "))
	}
	return c, found, nil
}

// connectRetry is connect for a cycle: a connection that breaks before
// the sync starts (TLS handshake, greeting, login, LIST) is retried with
// backoff until the deadline; a refusal (wrong password, missing folder)
// is returned at once, since retrying cannot fix it.
func (a *App) connectRetry(ctx context.Context, until time.Time) (*mailbox.Client, mailbox.Found, error) {
	bo := a.tun.IMAPBackoff
	for {
		c, found, err := a.connect(ctx)
		if err == nil || ctx.Err() != nil || !mailbox.Retryable(err) {
			return c, found, err
		}
		d := bo.Next()
		if time.Now().Add(d).After(until) {
			return nil, found, fmt.Errorf("%w (still failing at the cycle's deadline; the next cycle tries again)", err)
		}
		a.log.Warn("imap connection failed; retrying", "in", d, "attempt", bo.Attempts(), "err", err)
		if err := backoff.Sleep(ctx, d); err != nil {
			return nil, found, err
		}
	}
}

// retryFor is how long a cycle keeps retrying a failing IMAP server: five
// command timeouts.
func (a *App) retryFor() time.Duration {
	return 5 * a.mailboxOptions().CommandTimeoutOrDefault()
}

// folders lists what a sync reads: the Inbox, Sent and each project label.
func (a *App) folders(found mailbox.Found) []mailbox.Folder {
	fs := []mailbox.Folder{{Name: "INBOX", Kind: store.KindInbox}, {Name: found.Sent, Kind: store.KindSent}}
	for _, p := range a.cfg.Projects {
		fs = append(fs, mailbox.Folder{Name: p.Label, Kind: store.KindProject, Project: p.Name})
	}
	return fs
}

// keepInbox keeps the Inbox mail leadup acts on: from a stakeholder, or the
// user's reply to a reminder. Everything else is not even stored.
func (a *App) keepInbox(m *message.Message) bool {
	if strings.HasPrefix(m.InReplyTo, idPrefix) && a.isMe(m.From.Addr) {
		return true
	}
	_, ok := a.cfg.Stakeholder(m.From.Addr)
	return ok
}

// sync reads what is new into the store, then derives updates from Sent.
// until is the cycle's deadline for retrying a broken connection.
func (a *App) sync(ctx context.Context, c *mailbox.Client, found mailbox.Found, until time.Time) (mailbox.Stats, int, error) {
	now := a.clock.Now()
	stats, err := c.Sync(ctx, a.st, mailbox.SyncOptions{
		RetryUntil:     until,
		Folders:        a.folders(found),
		KeepInbox:      a.keepInbox,
		Now:            now,
		ParseOptions:   message.Options{Loc: a.cfg.Location, Now: now},
		FirstSyncSince: now.AddDate(-1, 0, 0),
	})
	if err != nil {
		return stats, 0, err
	}
	n, err := a.deriveUpdates(ctx)
	return stats, n, err
}

// deriveUpdates records an update per stakeholder for each sent mail to them.
func (a *App) deriveUpdates(ctx context.Context) (int, error) {
	total := 0
	for _, s := range a.cfg.Stakeholders {
		n, err := a.st.UpdatesFromSent(ctx, a.cfg.Me.Addresses(), s.Email, a.clock.Now())
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// ConnectResult is what CheckConnect reached.
type ConnectResult struct {
	IMAP, SMTP bool
	Found      mailbox.Found
}

// CheckConnect logs in to IMAP (finding the folders) and SMTP, changing
// nothing: `leadup check --connect`.
func (a *App) CheckConnect(ctx context.Context) (ConnectResult, error) {
	var res ConnectResult
	var errs []error
	c, found, err := a.connect(ctx)
	if err != nil {
		errs = append(errs, err)
	} else {
		res.IMAP, res.Found = true, found
		c.Close()
	}
	if s, err := a.sender(); err != nil {
		errs = append(errs, fmt.Errorf("smtp: %w", err))
	} else if err := s.Check(ctx); err != nil {
		errs = append(errs, fmt.Errorf("smtp %s: %w", a.cfg.SMTP.Host, err))
	} else {
		res.SMTP = true
	}
	return res, errors.Join(errs...)
}
