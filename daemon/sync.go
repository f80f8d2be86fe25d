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
	if err != nil && !a.onlyLabels(found) {
		c.Close()
		return nil, found, err
	}
	// A missing label is the sync's to report: it reads the other folders.
	if found.Sent == "" {
		c.Close()
		return nil, found, fmt.Errorf("no Sent folder found among %s: set imap.sent_folder to the folder your sent mail is in", strings.Join(found.All, ", "))
	}
	return c, found, nil
}

// onlyLabels reports whether everything but the project labels was found,
// so that all a Discover error can be about is a missing label: the folders
// were listed, Sent is known, and so is Drafts if it was named.
func (a *App) onlyLabels(found mailbox.Found) bool {
	return len(found.All) > 0 && found.Sent != "" && (a.cfg.IMAP.DraftsFolder == "" || found.Drafts != "")
}

// connectRetry is connect for a cycle: a connection that breaks before
// the sync starts (TLS handshake, greeting, login, LIST) is retried with
// backoff until the deadline; a refusal (wrong password, no Sent folder)
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
		fs = append(fs, mailbox.Folder{Name: found.ReadAs(p.Label), Kind: store.KindProject, Project: p.Name})
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
//
// A folder that cannot be read (a label that does not exist, a folder the
// server will not open or that vanished) does not stop the others: once
// every folder was tried, the problems are recorded for status and
// returned as a *FolderError, after the updates were derived from what was
// read. Any other error (the connection could not be restored, the store
// failed) stops the sync and leaves the recorded problems as they were.
func (a *App) sync(ctx context.Context, c *mailbox.Client, found mailbox.Found, until time.Time) (mailbox.Stats, int, error) {
	now := a.clock.Now()
	so := mailbox.SyncOptions{
		RetryUntil:     until,
		KeepInbox:      a.keepInbox,
		Now:            now,
		ParseOptions:   message.Options{Loc: a.cfg.Location, Now: now},
		FirstSyncSince: now.AddDate(-1, 0, 0),
	}
	var stats mailbox.Stats
	var problems []FolderProblem
	for _, f := range a.folders(found) {
		if f.Kind == store.KindProject {
			if _, ok := found.Lookup(f.Name); !ok {
				problems = append(problems, a.folderProblem(f, found, nil))
				continue
			}
		}
		// One folder per Sync, so that each error is known to be its own.
		so.Folders = []mailbox.Folder{f}
		s, err := c.Sync(ctx, a.st, so)
		addStats(&stats, s)
		if err == nil {
			continue
		}
		if ctx.Err() != nil || !mailbox.Refused(err) || !c.Connected() {
			return stats, 0, err
		}
		problems = append(problems, a.folderProblem(f, found, err))
	}
	for _, p := range problems {
		a.log.Warn("folder not read; the others were", "folder", p.Name, "project", p.Project, "err", p.Error, "fix", p.Fix)
	}
	if err := a.recordFolderProblems(ctx, problems); err != nil {
		return stats, 0, err
	}
	n, err := a.deriveUpdates(ctx)
	if err == nil && len(problems) > 0 {
		err = &FolderError{Problems: problems}
	}
	return stats, n, err
}

func addStats(sum *mailbox.Stats, s mailbox.Stats) {
	sum.Folders += s.Folders
	sum.Fetched += s.Fetched
	sum.Stored += s.Stored
	sum.Skipped += s.Skipped
	sum.Filtered += s.Filtered
	sum.Resets += s.Resets
	sum.Redials += s.Redials
	sum.RoundTrips += s.RoundTrips
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
	IMAP, SMTP bool // logged in
	Listed     bool // the IMAP folders were listed: Found holds them
	Found      mailbox.Found
	// Folders is every folder a cycle reads, as CheckConnect opened it
	// (read-only), in the order a cycle reads them; then Drafts (Kind
	// "drafts") when the digest saves a draft, as a cycle searches it.
	Folders []FolderCheck
}

// FolderCheck is one folder a cycle reads, opened by CheckConnect.
type FolderCheck struct {
	mailbox.Folder
	Messages uint32
	Problem  *FolderProblem // nil when it opened
}

// CheckConnect logs in to IMAP, finds the folders and opens (EXAMINE,
// read-only) every folder a cycle reads, then logs in to SMTP, changing
// nothing: `leadup check --connect`. What worked is in the result even
// when something failed: a missing label does not hide the login, the
// folder list or the other folders.
func (a *App) CheckConnect(ctx context.Context) (ConnectResult, error) {
	var res ConnectResult
	var errs []error
	if err := a.checkIMAP(ctx, &res); err != nil {
		errs = append(errs, err)
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

func (a *App) checkIMAP(ctx context.Context, res *ConnectResult) error {
	c, err := mailbox.Dial(ctx, a.mailboxOptions())
	if err != nil {
		return fmt.Errorf("imap %s: %w", a.cfg.IMAP.Host, err)
	}
	defer c.Close()
	res.IMAP = true
	labels := make([]string, len(a.cfg.Projects))
	for i, p := range a.cfg.Projects {
		labels[i] = p.Label
	}
	var errs []error
	found, err := c.Discover(ctx, a.cfg.IMAP.SentFolder, a.cfg.IMAP.DraftsFolder, labels)
	res.Found, res.Listed = found, len(found.All) > 0
	if err != nil && !a.onlyLabels(found) {
		errs = append(errs, err)
	}
	if !res.Listed {
		return errors.Join(errs...)
	}
	var problems []FolderProblem
	fs := a.folders(found)
	if a.cfg.Digest.DraftFor != nil && found.Drafts != "" {
		fs = append(fs, mailbox.Folder{Name: found.Drafts, Kind: KindDrafts})
	}
	for _, f := range fs {
		if f.Name == "" {
			continue // no Sent folder: Discover said so
		}
		fc := FolderCheck{Folder: f}
		if _, ok := found.Lookup(f.Name); !ok && f.Kind == store.KindProject {
			p := a.folderProblem(f, found, nil)
			fc.Problem = &p
		} else if n, err := c.Examine(ctx, f.Name); err == nil {
			fc.Messages = n
		} else if mailbox.Refused(err) && c.Connected() {
			p := a.folderProblem(f, found, err)
			fc.Problem = &p
		} else {
			errs = append(errs, fmt.Errorf("imap %s: %w", a.cfg.IMAP.Host, err))
			break
		}
		if fc.Problem != nil {
			problems = append(problems, *fc.Problem)
		}
		res.Folders = append(res.Folders, fc)
	}
	if len(problems) > 0 {
		errs = append(errs, &FolderError{Problems: problems})
	}
	return errors.Join(errs...)
}
