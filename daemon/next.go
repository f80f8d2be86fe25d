package daemon

import (
	"context"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// NextTimes returns when the next reminder check and the next digest come
// at or after now, assuming no new mail: now itself when one is due (the
// next cycle sends it). A zero time means none: no reminder due within
// about a year, or no digest schedule.
func (a *App) NextTimes(ctx context.Context, now time.Time) (reminder, digest time.Time, err error) {
	in, err := a.nudgeInput(ctx, now)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return a.nextTimes(ctx, now, in, nudge.Evaluate(in))
}

// nextTimes is NextTimes over a nudge input and report already made.
func (a *App) nextTimes(ctx context.Context, now time.Time, in nudge.Input, rep nudge.Report) (reminder, digest time.Time, err error) {
	sent, err := a.sentReminders(ctx)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	reminder = nudge.NextCheck(in, rep, a.policy(), sent)
	due, err := a.digestDue(ctx, now)
	if err != nil {
		return reminder, time.Time{}, err
	}
	if due {
		return reminder, now, nil
	}
	return reminder, a.NextDigest(now), nil
}

// digestDue says whether a cycle at now would plan a scheduled digest: the
// conditions of planDigest, without its work.
func (a *App) digestDue(ctx context.Context, now time.Time) (bool, error) {
	slot, ok := a.lastSlot(now)
	if !ok || !a.cfg.Calendar.IsWorkday(calendar.DateOf(now, a.cfg.Location)) {
		return false, nil
	}
	first, ok, err := a.st.Time(ctx, store.MetaFirstCycle)
	if err != nil {
		return false, err
	}
	if !ok {
		first = now // the first cycle would record now
	}
	if slot.Before(first) && first.Sub(slot) >= firstInstallGrace {
		return false, nil
	}
	_, err = a.st.OutboxByKey(ctx, digestKey(slot))
	return err != nil, nil
}

// LastSync is when the mailbox was last read: by a cycle, or by any sync
// that saved a folder's cursor (a digest preview reads new mail too).
func (a *App) LastSync(ctx context.Context) (time.Time, error) {
	t, _, err := a.st.Time(ctx, store.MetaLastSync)
	if err != nil {
		return time.Time{}, err
	}
	c, err := a.st.LastSynced(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if c.After(t) {
		t = c
	}
	return t, nil
}

// statusNext fills in status's next times, last sync and last cycle.
func (a *App) statusNext(ctx context.Context, now time.Time, in nudge.Input, rep nudge.Report, st *Status) error {
	loc := a.cfg.Location
	local := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		t = t.In(loc)
		return &t
	}
	r, d, err := a.nextTimes(ctx, now, in, rep)
	if err != nil {
		return err
	}
	st.NextReminder, st.NextDigest = local(r), local(d)
	last, err := a.LastSync(ctx)
	if err != nil {
		return err
	}
	st.LastSync = local(last)
	if st.LastCycle, err = a.lastCycle(ctx); err != nil {
		return err
	}
	if st.LastCycle != nil {
		st.LastCycle.At = st.LastCycle.At.In(loc)
	}
	return nil
}
