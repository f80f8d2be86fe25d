package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/store"
)

// outboxItem is what leadup plans to send or draft. The intent is stored
// (planned) before the side effect and confirmed (sent) after, so a crash
// in between resends the same mail, with the same Message-ID, exactly once.
type outboxItem struct {
	key, kind string
	msg       mailer.Message
	covers    any // what the mail covers, recorded for later planning
}

// plan records it; it returns the stored row, which for an existing key is
// the earlier one (resume it, never make a second).
func (a *App) plan(ctx context.Context, it outboxItem) (store.Outbox, bool, error) {
	body, err := json.Marshal(it.msg)
	if err != nil {
		return store.Outbox{}, false, fmt.Errorf("encode %s: %w", it.key, err)
	}
	covers, err := json.Marshal(it.covers)
	if err != nil {
		return store.Outbox{}, false, fmt.Errorf("encode %s: %w", it.key, err)
	}
	return a.st.Plan(ctx, store.Outbox{Key: it.key, Kind: it.kind, MessageID: it.msg.MessageID, Recipients: it.msg.To,
		Subject: it.msg.Subject, Covers: string(covers), Body: body, PlannedAt: a.clock.Now()})
}

// deliver sends (or, for drafts, appends) a planned row and records the
// outcome. A temporary or unknown failure leaves it planned for the next
// cycle; a permanent one marks it failed, shown by status.
func (a *App) deliver(ctx context.Context, row store.Outbox, send *mailer.Sender, imap *mailbox.Client, drafts string) error {
	if row.State != store.StatePlanned {
		return nil
	}
	var m mailer.Message
	if err := json.Unmarshal(row.Body, &m); err != nil {
		err = fmt.Errorf("outbox %s: unreadable body: %w", row.Key, err)
		if rerr := a.st.Record(ctx, row.Key, err, store.StateFailed, a.clock.Now()); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	var err error
	switch row.Kind {
	case store.OutDraft:
		err = a.appendDraft(ctx, imap, drafts, m)
	default:
		if send == nil {
			return fmt.Errorf("outbox %s: no SMTP sender", row.Key)
		}
		b := a.tun.SendBackoff
		err = send.SendRetry(ctx, m, &b, a.tun.SendAttempts)
	}
	// The outcome is recorded even when a stop (SIGTERM) cancelled ctx
	// meanwhile: a mail the server accepted must be marked sent.
	rec := context.WithoutCancel(ctx)
	var se *mailer.Error
	switch {
	case err == nil:
		a.log.Info("sent", "kind", row.Kind, "key", row.Key, "to", row.Recipients, "message_id", row.MessageID)
		return a.st.Record(rec, row.Key, nil, store.StateSent, a.clock.Now())
	case errors.As(err, &se) && se.Class == mailer.Permanent:
		a.log.Error("send failed permanently", "kind", row.Kind, "key", row.Key, "err", err)
		if rerr := a.st.Record(rec, row.Key, err, store.StateFailed, a.clock.Now()); rerr != nil {
			return rerr
		}
		return fmt.Errorf("%s %s: %w", row.Kind, row.Key, err)
	default:
		a.log.Warn("send not confirmed; will retry with the same Message-ID", "kind", row.Kind, "key", row.Key, "err", err)
		if rerr := a.st.Record(rec, row.Key, err, store.StatePlanned, a.clock.Now()); rerr != nil {
			return rerr
		}
		return fmt.Errorf("%s %s: %w", row.Kind, row.Key, err)
	}
}

// appendDraft saves a draft unless a draft with its Message-ID is already
// there (a crash after APPEND but before the outbox was confirmed).
func (a *App) appendDraft(ctx context.Context, c *mailbox.Client, folder string, m mailer.Message) error {
	if c == nil || folder == "" {
		return errors.New("no Drafts folder: set imap.drafts_folder")
	}
	has, err := c.HasMessageID(ctx, folder, m.MessageID)
	if err != nil {
		return err
	}
	if has {
		a.log.Info("draft already in Drafts", "message_id", m.MessageID)
		return nil
	}
	raw, err := mailer.Build(m)
	if err != nil {
		return err
	}
	return c.AppendDraft(ctx, folder, raw, m.Date)
}

// resume delivers every row still planned: mail a crash or a failed server
// left unconfirmed.
func (a *App) resume(ctx context.Context, send *mailer.Sender, imap *mailbox.Client, drafts string) error {
	rows, err := a.st.OutboxList(ctx, "", store.StatePlanned)
	if err != nil {
		return err
	}
	var errs []error
	today := calendar.DateOf(a.clock.Now(), a.cfg.Location)
	for _, row := range rows {
		// A reminder is about one day: one left unsent from an earlier day
		// is stale (its asks may be answered, its "today" past). Today's
		// planning writes a fresh one.
		if row.Kind == store.OutReminder && calendar.DateOf(row.PlannedAt, a.cfg.Location).Before(today) {
			a.log.Warn("an unsent reminder from an earlier day is dropped", "key", row.Key)
			if err := a.st.Record(ctx, row.Key, errors.New("superseded: not sent on its day"), store.StateFailed, a.clock.Now()); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		a.log.Info("resuming unconfirmed mail", "kind", row.Kind, "key", row.Key, "attempts", row.Attempts)
		if err := a.deliver(ctx, row, send, imap, drafts); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
