package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/digest"
	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// digestCovers is what a digest's outbox row records.
type digestCovers struct {
	Slot  time.Time `json:"slot"`
	Since time.Time `json:"since"`
	Until time.Time `json:"until"` // the period's end: when it was made (later than Slot when sent late)
}

// lastSlot returns the newest digest slot at or before now, searching back
// eight days (every schedule fires at least weekly or it is not a weekly
// digest; a sparser cron is looked for up to that far). A slot on a day
// off (a weekend, a holiday, an away day) moves to the next workday at the
// same time: no digest goes out on a day off, and the moved one covers the
// whole period since the last.
func (a *App) lastSlot(now time.Time) (time.Time, bool) {
	sch := a.cfg.Digest.Schedule
	if sch == nil {
		return time.Time{}, false
	}
	cal := a.digestCalendar(now)
	t := now.In(a.cfg.Location).AddDate(0, 0, -8)
	var last time.Time
	for i := 0; i < 20000; i++ {
		next := sch.Next(t)
		if next.IsZero() || next.After(now) {
			break
		}
		if eff := onWorkday(cal, a.cfg.Location, next); !eff.After(now) && eff.After(last) {
			last = eff
		}
		t = next
	}
	return last, !last.IsZero()
}

// nominalSlot is the scheduled time a (moved) slot stands for: Friday's
// slot moved off Good Friday to Tuesday stands for Friday. The digest is
// named after its week.
func (a *App) nominalSlot(eff time.Time) time.Time {
	sch := a.cfg.Digest.Schedule
	if sch == nil {
		return eff
	}
	cal := a.digestCalendar(eff)
	nominal := eff
	t := eff.In(a.cfg.Location).AddDate(0, 0, -8)
	for i := 0; i < 20000; i++ {
		next := sch.Next(t)
		if next.IsZero() || next.After(eff) {
			break
		}
		if onWorkday(cal, a.cfg.Location, next).Equal(eff) {
			nominal = next // the earliest that moved here
			break
		}
		t = next
	}
	return nominal
}

// digestCalendar is the config's calendar with the away spans the user's
// replies set ("away until 24 April"): no digest goes out in them, as no
// reminder does.
func (a *App) digestCalendar(now time.Time) calendar.Calendar {
	ps, err := a.pauses(context.Background(), now)
	if err != nil {
		a.log.Warn("could not read the away replies; the digest keeps to the config's calendar", "err", err)
		return a.cfg.Calendar
	}
	return nudge.AwayCalendar(a.cfg.Calendar, ps, now)
}

// onWorkday moves a slot on a day off to the next workday, same time.
func onWorkday(cal calendar.Calendar, loc *time.Location, slot time.Time) time.Time {
	for i := 0; i < 400 && !cal.IsWorkday(calendar.DateOf(slot, loc)); i++ {
		local := slot.In(loc)
		slot = time.Date(local.Year(), local.Month(), local.Day()+1, local.Hour(), local.Minute(), 0, 0, loc)
	}
	return slot
}

// NextDigest returns the next digest slot after now (moved off days off).
func (a *App) NextDigest(now time.Time) time.Time {
	sch := a.cfg.Digest.Schedule
	if sch == nil {
		return time.Time{}
	}
	cal := a.digestCalendar(now)
	t := now.In(a.cfg.Location).AddDate(0, 0, -8)
	for i := 0; i < 20000; i++ {
		next := sch.Next(t)
		if next.IsZero() {
			return time.Time{}
		}
		if eff := onWorkday(cal, a.cfg.Location, next); eff.After(now) {
			return eff
		}
		t = next
	}
	return time.Time{}
}

// firstInstallGrace is how long before leadup's first cycle a slot may
// have passed and still be sent: a fresh install whose first cycle runs at
// 15:05 on a Friday sends the 15:00 digest, not the next week's.
const firstInstallGrace = 12 * time.Hour

func digestKey(slot time.Time) string { return "digest:" + slot.Format(time.RFC3339) }
func draftKey(slot time.Time) string  { return "draft:" + slot.Format(time.RFC3339) }

// since returns where a digest at now starts: the end of the previous
// scheduled digest sent, else now minus digest.lookback. A digest sent by
// hand (`leadup digest --send`) or a preview never moves it: the week's
// digest still covers the whole week.
//
// When no digest was ever sent but some were planned and never went out
// (a setup that was wrong for weeks), it starts where the first of them
// did: their periods were never reported, so they are not skipped.
func (a *App) since(ctx context.Context, now time.Time) (time.Time, error) {
	rows, err := a.st.OutboxList(ctx, store.OutDigest, "")
	if err != nil {
		return time.Time{}, err
	}
	var last, firstUnsent time.Time
	for _, r := range rows {
		var c digestCovers
		if !strings.HasPrefix(r.Key, "digest:") || json.Unmarshal([]byte(r.Covers), &c) != nil {
			continue
		}
		if r.State != store.StateSent {
			if !c.Since.IsZero() && c.Since.Before(now) && (firstUnsent.IsZero() || c.Since.Before(firstUnsent)) {
				firstUnsent = c.Since
			}
			continue
		}
		end := c.Until
		if end.IsZero() {
			end = c.Slot
		}
		if end.Before(now) && end.After(last) {
			last = end
		}
	}
	if !last.IsZero() {
		return last, nil
	}
	lookback := spanBefore(now, a.cfg.Digest.Lookback, a.cfg.Calendar)
	if !firstUnsent.IsZero() && firstUnsent.Before(lookback) {
		return firstUnsent, nil
	}
	return lookback, nil
}

// spanBefore goes back s from t, counting days in the user's zone.
func spanBefore(t time.Time, s calendar.Span, cal calendar.Calendar) time.Time {
	if cal.Loc != nil {
		t = t.In(cal.Loc)
	}
	switch s.Unit {
	case calendar.Weeks:
		return t.AddDate(0, 0, -7*s.N)
	case calendar.Workdays:
		d := t
		for n := 0; n < s.N; {
			d = d.AddDate(0, 0, -1)
			if cal.IsWorkday(calendar.DateOf(d, cal.Loc)) {
				n++
			}
		}
		return d
	default:
		return t.AddDate(0, 0, -s.N)
	}
}

// RenderDigest builds and renders the digest for the period since..now;
// preview says it is only shown (the note then says the draft would be
// saved).
func (a *App) RenderDigest(ctx context.Context, now, since time.Time, preview bool) (digest.Rendered, error) {
	return a.renderDigest(ctx, now, since, time.Time{}, preview)
}

// renderDigest is RenderDigest for the digest of a scheduled slot, which
// names the slot's week even when it went out later (moved off a holiday).
func (a *App) renderDigest(ctx context.Context, now, since, slot time.Time, preview bool) (digest.Rendered, error) {
	in, err := a.digestInput(ctx, now, since)
	if err != nil {
		return digest.Rendered{}, err
	}
	in.Preview, in.Slot = preview, slot
	return digest.Render(digest.Build(in), a.cfg.TemplatesDir)
}

// PreviewDigest renders the digest that would go out now.
func (a *App) PreviewDigest(ctx context.Context) (digest.Rendered, error) {
	now := a.clock.Now()
	since, err := a.since(ctx, now)
	if err != nil {
		return digest.Rendered{}, err
	}
	return a.RenderDigest(ctx, now, since, true)
}

// digestMessages makes the mail to the user and the draft for the boss.
func (a *App) digestMessages(r digest.Rendered, now time.Time) (toUser mailer.Message, draft *mailer.Message) {
	toUser = mailer.Message{From: a.cfg.Me.Email, FromName: "leadup", To: a.cfg.Digest.To, Subject: r.Subject,
		Text: r.Text, HTML: r.HTML, MessageID: a.newMessageID("digest"), Date: now, Kind: store.OutDigest}
	if len(r.Chart) > 0 {
		toUser.Inline = []mailer.Inline{{Name: "updates.png", ContentID: r.ChartCID, ContentType: "image/png", Data: r.Chart}}
	}
	if b := a.cfg.Digest.DraftFor; b != nil {
		draft = &mailer.Message{From: a.cfg.Me.Email, FromName: a.cfg.Me.Name, To: fullAddress(b.Name, b.Email),
			Subject: r.DraftSubject, Text: r.DraftText, HTML: r.DraftHTML, MessageID: a.newMessageID("draft"), Date: now, Draft: true}
	}
	return toUser, draft
}

// planDigest records the digest (and draft) of the newest slot in the
// outbox when it is not recorded yet: at the slot, or late once after a
// missed slot. It returns the rows to deliver.
func (a *App) planDigest(ctx context.Context, now time.Time) ([]store.Outbox, error) {
	slot, ok := a.lastSlot(now)
	if !ok {
		return nil, nil
	}
	// Nothing goes out on a day off: a slot missed on Friday waits for
	// Monday rather than arriving on Saturday or in the away week.
	if !a.digestCalendar(now).IsWorkday(calendar.DateOf(now, a.cfg.Location)) {
		return nil, nil
	}
	// A slot before leadup's first cycle was not missed: leadup was not
	// running yet. The first digest waits for the next slot, unless the
	// slot passed only just before (firstInstallGrace).
	if first, ok, err := a.st.Time(ctx, store.MetaFirstCycle); err != nil {
		return nil, err
	} else if ok && slot.Before(first) && first.Sub(slot) >= firstInstallGrace {
		return nil, nil
	}
	if _, err := a.st.OutboxByKey(ctx, digestKey(slot)); err == nil {
		return nil, nil // planned already: resume delivers it if still unsent
	}
	since, err := a.since(ctx, now)
	if err != nil {
		return nil, err
	}
	r, err := a.renderDigest(ctx, now, since, a.nominalSlot(slot), false)
	if err != nil {
		return nil, err
	}
	toUser, draft := a.digestMessages(r, now)
	covers := digestCovers{Slot: slot, Since: since, Until: now}
	var rows []store.Outbox
	// The draft is planned first: a digest row on record means both were.
	if draft != nil {
		row, _, err := a.plan(ctx, outboxItem{key: draftKey(slot), kind: store.OutDraft, msg: *draft, covers: covers})
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	row, _, err := a.plan(ctx, outboxItem{key: digestKey(slot), kind: store.OutDigest, msg: toUser, covers: covers})
	if err != nil {
		return nil, err
	}
	if slot.Before(now.Add(-time.Hour)) {
		a.log.Info("digest slot was missed; sending it late, once", "slot", slot)
	}
	return append([]store.Outbox{row}, rows...), nil
}

// Refresh syncs the mailbox into the store without sending anything, for
// commands that show state (digest, status).
func (a *App) Refresh(ctx context.Context) error {
	// Interactive: a server that cannot be reached is reported at once
	// (the caller shows what is stored), not retried for minutes.
	until := time.Now().Add(a.retryFor())
	c, found, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	_, _, err = a.sync(ctx, c, found, until)
	return err
}

// SendDigestNow sends the digest for the period up to now at once (and saves
// the draft when draft_for is set), outside the schedule: `leadup digest
// --send`. It is recorded like a scheduled one, so the next scheduled digest
// starts where it ended.
func (a *App) SendDigestNow(ctx context.Context) (digest.Rendered, error) {
	now := a.clock.Now()
	release, err := a.exclusive()
	if err != nil {
		return digest.Rendered{}, err
	}
	defer release()
	until := time.Now().Add(a.retryFor())
	c, found, err := a.connect(ctx)
	if err != nil {
		return digest.Rendered{}, err
	}
	defer c.Close()
	// A folder that cannot be read does not stop the digest: the others
	// are in it, and the problem is returned with the result.
	var folders *FolderError
	if _, _, err := a.sync(ctx, c, found, until); err != nil && !errors.As(err, &folders) {
		return digest.Rendered{}, err
	}
	since, err := a.since(ctx, now)
	if err != nil {
		return digest.Rendered{}, err
	}
	r, err := a.RenderDigest(ctx, now, since, false)
	if err != nil {
		return r, err
	}
	send, err := a.sender()
	if err != nil {
		return r, err
	}
	toUser, draft := a.digestMessages(r, now)
	covers := digestCovers{Slot: now, Since: since, Until: now}
	cr := &courier{send: send, imap: c, found: found}
	// The draft is planned first (a digest row on record means both
	// were), delivered after: it goes only with its digest.
	var draftRow store.Outbox
	if draft != nil {
		if draftRow, _, err = a.plan(ctx, outboxItem{key: "manual-" + draftKey(now), kind: store.OutDraft, msg: *draft, covers: covers}); err != nil {
			return r, err
		}
	}
	row, _, err := a.plan(ctx, outboxItem{key: "manual-" + digestKey(now), kind: store.OutDigest, msg: toUser, covers: covers})
	if err != nil {
		return r, err
	}
	var errs []error
	errs = append(errs, a.deliver(ctx, row, cr, false))
	if draft != nil {
		errs = append(errs, a.deliver(ctx, draftRow, cr, false))
	}
	if err := errors.Join(errs...); err != nil || folders == nil {
		return r, err
	}
	return r, folders // sent; the digest lacks what these folders hold
}
