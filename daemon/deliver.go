package daemon

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/leadup/leadup/daemon/backoff"
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

// courier delivers the planned rows of one cycle. It remembers a setup
// failure (a refused login, a TLS problem): the rest of the cycle's mail
// waits without another login, so one wrong password costs one refused
// login a cycle, not one per mail.
type courier struct {
	send  *mailer.Sender
	imap  *mailbox.Client
	found mailbox.Found
	setup *mailer.Error // the cycle's first setup failure
	// sent is the key of the mail of each kind delivered this cycle,
	// resumed or new, for the cycle's report.
	sent map[string]string
}

func (cr *courier) delivered(row store.Outbox) {
	if cr.sent == nil {
		cr.sent = map[string]string{}
	}
	cr.sent[row.Kind] = row.Key
}

// deliver sends (or, for drafts, appends) a planned row and records the
// outcome. A temporary or unknown failure, or a setup failure (the mail is
// fine, the settings are not), leaves it planned for the next cycle; a
// permanent refusal of the message marks it failed, shown by status.
// resumed says the row was planned by an earlier cycle, which may have
// sent it before it was stopped: it is looked for in the mailbox first.
func (a *App) deliver(ctx context.Context, row store.Outbox, cr *courier, resumed bool) error {
	if row.State != store.StatePlanned {
		return nil
	}
	// The outcome is recorded even when a stop (SIGTERM) cancelled ctx
	// meanwhile: a mail the server accepted must be marked sent.
	rec := context.WithoutCancel(ctx)
	var m mailer.Message
	if err := json.Unmarshal(row.Body, &m); err != nil {
		err = fmt.Errorf("outbox %s: unreadable body: %w", row.Key, err)
		if rerr := a.st.Record(rec, row.Key, 0, err, store.StateFailed, a.clock.Now()); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	if row.Kind == store.OutDraft {
		return a.deliverDraft(ctx, row, cr, m)
	}
	if cr.send == nil {
		return fmt.Errorf("outbox %s: no SMTP sender", row.Key)
	}
	if cr.setup != nil {
		// Already refused this cycle: the same settings fail the same way.
		return a.keepForSetup(rec, row, cr.setup, 0)
	}
	if resumed {
		if where, err := a.arrived(ctx, cr, row, m); err != nil {
			a.log.Warn("could not look for an unconfirmed mail before resending it", "key", row.Key, "err", err)
		} else if where != "" {
			a.log.Info("unconfirmed mail already arrived; not sent again", "kind", row.Kind, "key", row.Key, "folder", where, "message_id", row.MessageID)
			return a.st.Record(rec, row.Key, 0, nil, store.StateSent, a.clock.Now())
		}
	}
	b := a.tun.SendBackoff
	n, err := cr.send.SendRetry(ctx, m, &b, a.tun.SendAttempts)
	var se *mailer.Error
	switch {
	case err == nil:
		a.log.Info("sent", "kind", row.Kind, "key", row.Key, "to", row.Recipients, "message_id", row.MessageID)
		cr.delivered(row)
		return a.st.Record(rec, row.Key, n, nil, store.StateSent, a.clock.Now())
	case errors.As(err, &se) && se.Class == mailer.Setup:
		cr.setup = se
		return a.keepForSetup(rec, row, se, n)
	case errors.As(err, &se) && se.Class == mailer.Permanent:
		a.log.Error("the server refused the mail", "kind", row.Kind, "key", row.Key, "err", err)
		if rerr := a.st.Record(rec, row.Key, n, err, store.StateFailed, a.clock.Now()); rerr != nil {
			return rerr
		}
		return fmt.Errorf("%s %s: %w", row.Kind, row.Key, err)
	default:
		a.log.Warn("send not confirmed; will retry with the same Message-ID", "kind", row.Kind, "key", row.Key, "err", err)
		if rerr := a.st.Record(rec, row.Key, n, err, store.StatePlanned, a.clock.Now()); rerr != nil {
			return rerr
		}
		return fmt.Errorf("%s %s: %w", row.Kind, row.Key, err)
	}
}

// keepForSetup leaves a row planned after a setup failure, recording the
// fix for status, and returns the error the cycle reports.
func (a *App) keepForSetup(ctx context.Context, row store.Outbox, se *mailer.Error, attempts int) error {
	reason := se.Error()
	switch fix := se.Fix(); {
	case fix != "" && strings.Contains(reason, fix):
		reason += "; leadup sends it once that works" // the error states its fix already
	case fix != "":
		reason = fix + "; leadup sends it once that works (" + se.Error() + ")"
	}
	a.log.Error("mail waits for the SMTP settings to be fixed", "kind", row.Kind, "key", row.Key, "fix", se.Fix(), "err", se)
	if err := a.st.Record(ctx, row.Key, attempts, errors.New(reason), store.StatePlanned, a.clock.Now()); err != nil {
		return err
	}
	return fmt.Errorf("%s %s not sent: %s", row.Kind, row.Key, reason)
}

// deliverDraft saves a draft once its digest went out: the two go
// together, so a digest that waits (or failed) keeps its draft back too.
// A broken connection leaves it planned for the next cycle, and so does a
// setting to fix (a missing Drafts folder, a refused login); a refusal of
// the draft itself that comes again on the draftRefusals-th attempt fails
// it, shown by status with how to retry.
func (a *App) deliverDraft(ctx context.Context, row store.Outbox, cr *courier, m mailer.Message) error {
	rec := context.WithoutCancel(ctx)
	if key, ok := digestOfDraft(row.Key); ok {
		d, err := a.st.OutboxByKey(ctx, key)
		switch {
		case err != nil:
			// No digest row (an older version planned drafts alone): save it.
		case d.State == store.StatePlanned:
			return nil // it goes with its digest, in a later cycle
		case d.State == store.StateFailed:
			return a.st.Record(rec, row.Key, 0, errors.New("not saved: its digest was not sent ("+d.LastError+")"), store.StateFailed, a.clock.Now())
		}
	}
	err := a.appendDraft(ctx, cr.imap, cr.found.Drafts, m)
	if err == nil {
		a.log.Info("draft saved", "key", row.Key, "folder", cr.found.Drafts, "message_id", row.MessageID)
		cr.delivered(row)
		return a.st.Record(rec, row.Key, 1, nil, store.StateSent, a.clock.Now())
	}
	switch refusal(err) {
	case refusedSetup:
		// The settings are at fault, not the draft: it waits for them,
		// as mail waits for the SMTP settings.
		reason := err.Error() + "; leadup saves it once that works"
		if fix := draftFix(err, cr.found.Drafts); fix != "" {
			reason = fix + "; leadup saves it once that works (" + err.Error() + ")"
		}
		a.log.Error("draft waits for the IMAP settings to be fixed", "key", row.Key, "err", err)
		if rerr := a.st.Record(rec, row.Key, 1, errors.New(reason), store.StatePlanned, a.clock.Now()); rerr != nil {
			return rerr
		}
		return fmt.Errorf("%s %s not saved: %s", row.Kind, row.Key, reason)
	case refusedDraft:
		if row.Attempts+1 >= draftRefusals {
			// The same answer every cycle is the server's last word.
			a.log.Error("the IMAP server refuses the draft; not trying again", "key", row.Key, "attempts", row.Attempts+1, "err", err)
			why := fmt.Errorf("the IMAP server refuses it: %w", err)
			if rerr := a.st.Record(rec, row.Key, 1, why, store.StateFailed, a.clock.Now()); rerr != nil {
				return rerr
			}
			return fmt.Errorf("%s %s: %w", row.Kind, row.Key, why)
		}
	}
	a.log.Warn("draft not saved; will retry", "key", row.Key, "err", err)
	if rerr := a.st.Record(rec, row.Key, 1, err, store.StatePlanned, a.clock.Now()); rerr != nil {
		return rerr
	}
	return fmt.Errorf("%s %s: %w", row.Kind, row.Key, err)
}

// draftRefusals is how many attempts at saving a draft there are when the
// IMAP server refuses the last of them (a NO or BAD to the lookup or the
// APPEND): then the draft is failed rather than tried every cycle for ever.
const draftRefusals = 3

// How an IMAP server turned down saving a draft.
const (
	refusedNot   = iota // no answer: a broken connection, a timeout, a local error
	refusedSetup        // the settings: no such folder, a refused login
	refusedDraft        // the draft itself, or the server's policy (a full quota)
)

func refusal(err error) int {
	var ie *imap.Error
	if !errors.As(err, &ie) {
		if errors.Is(err, errNoDrafts) {
			return refusedSetup
		}
		return refusedNot
	}
	switch ie.Code {
	case imap.ResponseCodeNonExistent, imap.ResponseCodeTryCreate, imap.ResponseCodeAuthenticationFailed,
		imap.ResponseCodeAuthorizationFailed, imap.ResponseCodeExpired, imap.ResponseCodePrivacyRequired:
		return refusedSetup
	}
	return refusedDraft
}

// draftFix names the setting to fix for a setup refusal, "" when unknown.
func draftFix(err error, folder string) string {
	var ie *imap.Error
	switch {
	case errors.Is(err, errNoDrafts):
		return "no Drafts folder found: set imap.drafts_folder to the folder your drafts are in"
	case !errors.As(err, &ie):
		return ""
	case ie.Code == imap.ResponseCodeNonExistent || ie.Code == imap.ResponseCodeTryCreate:
		return fmt.Sprintf("the Drafts folder %q does not exist: set imap.drafts_folder to the folder your drafts are in", folder)
	}
	return "the IMAP login was refused: check imap.username and the imap password"
}

// digestOfDraft names the digest row a draft row was planned with.
func digestOfDraft(key string) (string, bool) {
	for _, p := range []string{"draft:", "manual-draft:"} {
		if rest, ok := strings.CutPrefix(key, p); ok {
			return strings.Replace(p, "draft:", "digest:", 1) + rest, true
		}
	}
	return "", false
}

// arrived looks for a mail an earlier cycle may have sent before it was
// stopped: leadup mails the user, so the copy lands in the Inbox (or in
// Sent, where providers file what their SMTP sent). A mail planned moments
// ago and stopped mid-attempt may still be in the server's queue: it is
// looked for until DeliveryGrace after it was planned before it is sent
// again. It returns the folder it was found in, or "".
func (a *App) arrived(ctx context.Context, cr *courier, row store.Outbox, m mailer.Message) (string, error) {
	if cr.imap == nil {
		return "", nil
	}
	var folders []string
	if a.isMe(addressOf(m.To)) {
		folders = append(folders, "INBOX")
	}
	if cr.found.Sent != "" {
		folders = append(folders, cr.found.Sent)
	}
	// Only a row with no attempt on record can have been stopped in the
	// middle of one; a recorded failure is known not to be in flight.
	var wait time.Duration
	if row.Attempts == 0 {
		wait = a.tun.DeliveryGrace - a.clock.Now().Sub(row.PlannedAt)
	}
	deadline := time.Now().Add(wait)
	for {
		for _, f := range folders {
			has, err := cr.imap.HasMessageID(ctx, f, m.MessageID)
			if err != nil {
				return "", err
			}
			if has {
				return f, nil
			}
		}
		left := time.Until(deadline)
		if left <= 0 {
			return "", nil
		}
		if err := backoff.Sleep(ctx, min(left, a.tun.DeliveryPoll)); err != nil {
			return "", err
		}
	}
}

var errNoDrafts = errors.New("no Drafts folder found")

// appendDraft saves a draft unless a draft with its Message-ID is already
// there (a crash after APPEND but before the outbox was confirmed).
func (a *App) appendDraft(ctx context.Context, c *mailbox.Client, folder string, m mailer.Message) error {
	if c == nil || folder == "" {
		return errNoDrafts
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
// left unconfirmed. A reminder is kept for its day and a digest for its
// period; a draft goes after its digest.
func (a *App) resume(ctx context.Context, cr *courier) error {
	rows, err := a.st.OutboxList(ctx, "", store.StatePlanned)
	if err != nil {
		return err
	}
	// Drafts last: each waits for its digest, which may be sent just now.
	slices.SortStableFunc(rows, func(x, y store.Outbox) int {
		return cmp.Compare(boolInt(x.Kind == store.OutDraft), boolInt(y.Kind == store.OutDraft))
	})
	var errs []error
	now := a.clock.Now()
	today := calendar.DateOf(now, a.cfg.Location)
	newest, hasSlot := a.lastSlot(now)
	for _, row := range rows {
		// A reminder is about one day: one left unsent from an earlier day
		// is stale (its asks may be answered, its "today" past). Today's
		// planning writes a fresh one.
		if row.Kind == store.OutReminder && calendar.DateOf(row.PlannedAt, a.cfg.Location).Before(today) {
			a.log.Warn("an unsent reminder from an earlier day is dropped", "key", row.Key)
			if err := a.st.Record(ctx, row.Key, 0, errors.New("superseded: not sent on its day ("+row.LastError+")"), store.StateFailed, now); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		// A digest (and its draft) is about its period: once a newer slot
		// has come, that slot's digest covers everything since the last
		// digest sent, this one's period included.
		if row.Kind == store.OutDigest || row.Kind == store.OutDraft {
			var c digestCovers
			if hasSlot && json.Unmarshal([]byte(row.Covers), &c) == nil && c.Slot.Before(newest) {
				a.log.Warn("an unsent digest of an earlier period is dropped; the next digest covers its period", "key", row.Key)
				why := "superseded: the digest of " + newest.In(a.cfg.Location).Format("Mon 2 Jan 15:04") + " covers its period"
				if row.LastError != "" {
					why += " (" + row.LastError + ")"
				}
				if err := a.st.Record(ctx, row.Key, 0, errors.New(why), store.StateFailed, now); err != nil {
					errs = append(errs, err)
				}
				continue
			}
		}
		// Planned by this very cycle (the answer to an unreadable reply)
		// and never tried: not left over from a crash, so there is no
		// earlier attempt to look for in the mailbox first.
		fresh := row.Attempts == 0 && a.fresh[row.Key]
		if !fresh {
			a.log.Info("resuming unconfirmed mail", "kind", row.Kind, "key", row.Key, "attempts", row.Attempts)
		}
		if err := a.deliver(ctx, row, cr, !fresh); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
