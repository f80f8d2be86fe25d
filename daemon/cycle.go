package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/nudge"
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
	// ReminderFor names the stakeholders the reminder sent was about.
	ReminderFor []string
	// Folders are the folders the sync could not read; the others were
	// read and the cycle went on.
	Folders []FolderProblem
	// Problems counts what went wrong (the errors joined in the cycle's
	// error); 0 for a clean cycle.
	Problems int
}

// RunOnce is one cycle: sync the mailbox, derive updates, apply replies,
// resume unconfirmed mail, then send the reminder and the digest if due.
//
// A folder that cannot be read does not stop the cycle: the rest is read,
// what is due is sent, and the error returned (a *FolderError among
// others) names the folder and the fix. Only a failure of the whole
// connection (login, TLS, a server that stays unreachable) ends the cycle
// before anything is sent.
//
// Its outcome is recorded (MetaLastCycle, and MetaLastSync once the mailbox
// was read) for status.
func (a *App) RunOnce(ctx context.Context) (CycleReport, error) {
	return a.cycle(ctx, nil)
}

// cycle is RunOnce; with dry set it delivers nothing: the mail due is
// handed to dry instead (a dry run, on a scratch copy of the state).
func (a *App) cycle(ctx context.Context, dry *dryCourier) (rep CycleReport, err error) {
	now := a.clock.Now()
	a.fresh = map[string]bool{}
	rep = CycleReport{Now: now}
	release, err := a.exclusive()
	if err != nil {
		return rep, err
	}
	defer release()
	defer func() {
		if rerr := a.recordCycle(context.WithoutCancel(ctx), now, err); rerr != nil {
			err = errors.Join(err, rerr)
		}
		rep.Problems = countErrors(err)
	}()
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
	if err := a.st.SetTime(ctx, store.MetaLastSync, now); err != nil {
		return rep, err
	}
	if rep.Replies, err = a.applyReplies(ctx); err != nil {
		return rep, errors.Join(append(errs, fmt.Errorf("replies: %w", err))...)
	}
	var cr *courier
	if dry == nil {
		send, err := a.sender()
		if err != nil {
			return rep, errors.Join(append(errs, fmt.Errorf("smtp: %w", err))...)
		}
		cr = &courier{send: send, imap: c, found: found}
		if err := a.resume(ctx, cr); err != nil {
			errs = append(errs, err)
		}
	} else if err := dry.resume(ctx, a); err != nil {
		errs = append(errs, err)
	}
	deliver := func(row store.Outbox) error {
		if dry != nil {
			return dry.take(ctx, a, row, false)
		}
		return a.deliver(ctx, row, cr, false)
	}
	row, due, err := a.planReminder(ctx, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("reminder: %w", err))
	} else if due {
		if err := deliver(row); err != nil {
			errs = append(errs, err)
		}
	}
	rows, err := a.planDigest(ctx, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("digest: %w", err))
	}
	// The digest first, then its draft: the draft goes only with it.
	for _, row := range rows {
		if err := deliver(row); err != nil {
			errs = append(errs, err)
		}
	}
	sent := dry.sentKeys()
	if cr != nil {
		sent = cr.sent
	}
	rep.Reminder, rep.Digest, rep.Draft = sent[store.OutReminder], sent[store.OutDigest], sent[store.OutDraft]
	if rep.Reminder != "" {
		rep.ReminderFor = a.reminderNames(ctx, rep.Reminder)
	}
	a.log.Info("cycle", "fetched", rep.Sync.Fetched, "stored", rep.Sync.Stored, "skipped", rep.Sync.Skipped,
		"updates", rep.Updates, "replies", rep.Replies, "reminder", rep.Reminder, "digest", rep.Digest, "draft", rep.Draft,
		"folder_problems", len(rep.Folders), "errors", len(errs), "dry_run", dry != nil)
	return rep, errors.Join(errs...)
}

// CycleResult is the last cycle's outcome, as status shows it.
type CycleResult struct {
	At    time.Time `json:"at"`
	OK    bool      `json:"ok"`
	Error *string   `json:"error"`
}

// recordCycle records the outcome of the cycle that started at at.
func (a *App) recordCycle(ctx context.Context, at time.Time, err error) error {
	res := CycleResult{At: at.UTC(), OK: err == nil}
	if err != nil {
		s := err.Error()
		res.Error = &s
	}
	b, jerr := json.Marshal(res)
	if jerr != nil {
		return jerr
	}
	return a.st.SetText(ctx, store.MetaLastCycle, string(b))
}

// lastCycle reads what recordCycle recorded; nil before the first cycle.
func (a *App) lastCycle(ctx context.Context) (*CycleResult, error) {
	v, ok, err := a.st.Text(ctx, store.MetaLastCycle)
	if err != nil || !ok {
		return nil, err
	}
	var res CycleResult
	if err := json.Unmarshal([]byte(v), &res); err != nil {
		return nil, fmt.Errorf("read the last cycle: %w", err)
	}
	return &res, nil
}

// countErrors counts the errors joined in err.
func countErrors(err error) int {
	if err == nil {
		return 0
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		n := 0
		for _, e := range j.Unwrap() {
			n += countErrors(e)
		}
		return max(n, 1)
	}
	return 1
}

// reminderNames names the stakeholders the outbox row key reminded about.
func (a *App) reminderNames(ctx context.Context, key string) []string {
	row, err := a.st.OutboxByKey(ctx, key)
	if err != nil {
		return nil
	}
	var covered nudge.Sent
	_ = json.Unmarshal([]byte(row.Covers), &covered)
	var names []string
	for _, e := range covered.Emails {
		if s, ok := a.cfg.Stakeholder(e); ok {
			names = append(names, s.Name)
		} else {
			names = append(names, e)
		}
	}
	return names
}
