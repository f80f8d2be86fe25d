package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/store"
)

// OutboxError is a retry or dismiss that cannot be done as asked (no such
// mail, one sent already): the message says what to do instead.
type OutboxError struct{ Msg string }

func (e *OutboxError) Error() string { return e.Msg }

func outboxErrorf(format string, args ...any) error {
	return &OutboxError{Msg: fmt.Sprintf(format, args...)}
}

// stale says why a cycle at now would drop an unsent row rather than send
// it ("" when it would send it): the rules of resume. A reminder is about
// its day; a digest (and its draft) about its period, which a newer slot's
// digest covers.
func (a *App) stale(row store.Outbox, now time.Time) string {
	loc := a.cfg.Location
	if strings.HasPrefix(row.LastError, "superseded") {
		return strings.TrimPrefix(row.LastError, "superseded: ")
	}
	switch row.Kind {
	case store.OutReminder:
		if calendar.DateOf(row.PlannedAt, loc).Before(calendar.DateOf(now, loc)) {
			return "it is the reminder of " + row.PlannedAt.In(loc).Format("Mon 2 Jan") + ": the next reminder due covers the same people"
		}
	case store.OutDigest, store.OutDraft:
		var c digestCovers
		if newest, ok := a.lastSlot(now); ok && json.Unmarshal([]byte(row.Covers), &c) == nil && c.Slot.Before(newest) {
			return "the digest of " + newest.In(loc).Format("Mon 2 Jan 15:04") + " covers its period"
		}
	}
	return ""
}

// OutboxDone is what RetryOutbox or DismissOutbox did, for the user.
type OutboxDone struct {
	Rows []store.Outbox // the rows changed, as they were before
	Note string         // one line: what happens next
}

// outboxRow finds the row numbered id, or says how to find the number.
func (a *App) outboxRow(ctx context.Context, id int64) (store.Outbox, error) {
	row, ok, err := a.st.OutboxByID(ctx, id)
	if err != nil {
		return row, err
	}
	if !ok {
		return row, outboxErrorf("no mail numbered %d in the outbox: `leadup status` lists the failed and pending mail with their numbers", id)
	}
	return row, nil
}

// RetryOutbox makes the failed mail numbered id pending again: the next
// cycle sends it, first looking for it by its Message-ID in the mailbox
// (as for any unconfirmed mail), so it is never sent twice. A digest and
// its draft go together: retrying one retries the other when it failed
// too. A mail a cycle would drop (a reminder of an earlier day, a digest
// a newer one covers) is refused with what to do instead.
func (a *App) RetryOutbox(ctx context.Context, id int64) (OutboxDone, error) {
	now := a.clock.Now()
	row, err := a.outboxRow(ctx, id)
	if err != nil {
		return OutboxDone{}, err
	}
	switch row.State {
	case store.StateSent:
		return OutboxDone{}, outboxErrorf("mail %d (%s %q) was sent on %s: there is nothing to retry", id, row.Kind, row.Subject, a.day(row.DoneAt))
	case store.StatePlanned:
		return OutboxDone{}, outboxErrorf("mail %d (%s %q) is pending already: the next cycle sends it (`leadup run --once` runs one now)", id, row.Kind, row.Subject)
	}
	if why := a.stale(row, now); why != "" {
		return OutboxDone{}, outboxErrorf("mail %d is not sent again: %s; `leadup outbox dismiss %d` stops status listing it", id, why, id)
	}
	rows := []store.Outbox{row}
	if other, ok := a.partner(ctx, row); ok && other.State == store.StateFailed {
		rows = append(rows, other)
	}
	var done OutboxDone
	for _, r := range rows {
		note := "retried by hand on " + a.day(now) + "; the next cycle sends it"
		if r.Kind == store.OutDraft {
			note = "retried by hand on " + a.day(now) + "; the next cycle saves it with its digest"
		}
		if r.LastError != "" {
			note += " (it had failed: " + r.LastError + ")"
		}
		ok, err := a.st.Retry(ctx, r.Key, note)
		if err != nil {
			return done, err
		}
		if ok {
			done.Rows = append(done.Rows, r)
			a.log.Info("mail retried by hand", "kind", r.Kind, "key", r.Key)
		}
	}
	done.Note = "the next cycle sends it, unless it finds it already delivered (`leadup run --once` runs one now)"
	return done, nil
}

// DismissOutbox marks the failed or pending mail numbered id dismissed:
// status stops listing it, and a pending one is not sent. A digest's
// pending draft is dismissed with it (it would go only with the digest).
func (a *App) DismissOutbox(ctx context.Context, id int64) (OutboxDone, error) {
	now := a.clock.Now()
	row, err := a.outboxRow(ctx, id)
	if err != nil {
		return OutboxDone{}, err
	}
	if row.State == store.StateSent {
		return OutboxDone{}, outboxErrorf("mail %d (%s %q) was sent on %s: there is nothing to dismiss", id, row.Kind, row.Subject, a.day(row.DoneAt))
	}
	if !row.DismissedAt.IsZero() {
		return OutboxDone{}, outboxErrorf("mail %d was dismissed on %s already", id, a.day(row.DismissedAt))
	}
	rows := []store.Outbox{row}
	if other, ok := a.partner(ctx, row); ok && row.Kind == store.OutDigest && other.State != store.StateSent && other.DismissedAt.IsZero() {
		rows = append(rows, other)
	}
	var done OutboxDone
	for _, r := range rows {
		ok, err := a.st.Dismiss(ctx, r.Key, "dismissed by hand on "+a.day(now)+"; not sent", now)
		if err != nil {
			return done, err
		}
		if ok {
			done.Rows = append(done.Rows, r)
			a.log.Info("mail dismissed by hand", "kind", r.Kind, "key", r.Key, "state", r.State)
		}
	}
	done.Note = "status no longer lists it"
	if row.State == store.StatePlanned {
		done.Note = "it will not be sent, and status no longer lists it"
	}
	return done, nil
}

// partner is the draft of a digest row, or the digest of a draft row.
func (a *App) partner(ctx context.Context, row store.Outbox) (store.Outbox, bool) {
	var key string
	switch row.Kind {
	case store.OutDraft:
		k, ok := digestOfDraft(row.Key)
		if !ok {
			return store.Outbox{}, false
		}
		key = k
	case store.OutDigest:
		for _, p := range []string{"digest:", "manual-digest:"} {
			if rest, ok := strings.CutPrefix(row.Key, p); ok {
				key = strings.Replace(p, "digest:", "draft:", 1) + rest
			}
		}
	}
	if key == "" {
		return store.Outbox{}, false
	}
	other, err := a.st.OutboxByKey(ctx, key)
	return other, err == nil
}

// day formats a time for messages to the user, in the configured zone.
func (a *App) day(t time.Time) string {
	if t.IsZero() {
		return "an unknown day"
	}
	return t.In(a.cfg.Location).Format("Mon 2 Jan 15:04")
}
