package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/store"
)

// CycleReport says what one cycle read, decided and sent.
type CycleReport struct {
	Now      time.Time
	Sync     mailbox.Stats
	Updates  int    // updates newly derived from Sent
	Replies  int    // replies to reminders applied
	Reminder string // the key of the reminder sent, "" if none
	Digest   string // the key of the digest sent, "" if none
	Draft    string // the key of the draft saved, "" if none
	// Folders are the folders the sync could not read; the others were
	// read and the cycle went on.
	Folders []FolderProblem
}

// RunOnce is one cycle: sync the mailbox, derive updates, apply replies,
// resume unconfirmed mail, then send the reminder and the digest if due.
//
// A folder that cannot be read does not stop the cycle: the rest is read,
// what is due is sent, and the error returned (a *FolderError among
// others) names the folder and the fix. Only a failure of the whole
// connection (login, TLS, a server that stays unreachable) ends the cycle
// before anything is sent.
func (a *App) RunOnce(ctx context.Context) (CycleReport, error) {
	now := a.clock.Now()
	rep := CycleReport{Now: now}
	release, err := a.exclusive()
	if err != nil {
		return rep, err
	}
	defer release()
	if _, err := a.st.SetTimeOnce(ctx, store.MetaFirstCycle, now); err != nil {
		return rep, err
	}
	// A server that keeps breaking is retried until this deadline, then
	// the cycle ends and the next poll tries again.
	until := time.Now().Add(a.retryFor())
	c, found, err := a.connectRetry(ctx, until)
	if err != nil {
		return rep, err
	}
	defer c.Close()
	var errs []error
	rep.Sync, rep.Updates, err = a.sync(ctx, c, found, until)
	var fe *FolderError
	if errors.As(err, &fe) {
		rep.Folders = fe.Problems
		errs = append(errs, err)
	} else if err != nil {
		return rep, fmt.Errorf("sync: %w", err)
	}
	if rep.Replies, err = a.applyReplies(ctx); err != nil {
		return rep, errors.Join(append(errs, fmt.Errorf("replies: %w", err))...)
	}
	send, err := a.sender()
	if err != nil {
		return rep, errors.Join(append(errs, fmt.Errorf("smtp: %w", err))...)
	}
	cr := &courier{send: send, imap: c, found: found}
	if err := a.resume(ctx, cr); err != nil {
		errs = append(errs, err)
	}
	row, due, err := a.planReminder(ctx, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("reminder: %w", err))
	} else if due {
		if err := a.deliver(ctx, row, cr, false); err != nil {
			errs = append(errs, err)
		}
	}
	rows, err := a.planDigest(ctx, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("digest: %w", err))
	}
	// The digest first, then its draft: the draft goes only with it.
	for _, row := range rows {
		if err := a.deliver(ctx, row, cr, false); err != nil {
			errs = append(errs, err)
		}
	}
	rep.Reminder, rep.Digest, rep.Draft = cr.sent[store.OutReminder], cr.sent[store.OutDigest], cr.sent[store.OutDraft]
	a.log.Info("cycle", "fetched", rep.Sync.Fetched, "stored", rep.Sync.Stored, "skipped", rep.Sync.Skipped,
		"updates", rep.Updates, "replies", rep.Replies, "reminder", rep.Reminder, "digest", rep.Digest, "draft", rep.Draft,
		"folder_problems", len(rep.Folders), "errors", len(errs))
	return rep, errors.Join(errs...)
}
