package daemon

import (
	"context"
	"encoding/json"
	"time"

	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

func (a *App) policy() nudge.Policy {
	return nudge.Policy{Hour: a.cfg.Reminders.Hour, Min: a.cfg.Reminders.Minute, RepeatAfter: a.cfg.Reminders.RepeatAfter}
}

// sentReminders reads the reminders already sent or planned from the outbox.
func (a *App) sentReminders(ctx context.Context) ([]nudge.Sent, error) {
	rows, err := a.st.OutboxList(ctx, store.OutReminder, "")
	if err != nil {
		return nil, err
	}
	var out []nudge.Sent
	for _, r := range rows {
		if r.State == store.StateFailed {
			continue
		}
		var s nudge.Sent
		if err := json.Unmarshal([]byte(r.Covers), &s); err != nil {
			s = nudge.Sent{At: r.PlannedAt}
		}
		out = append(out, s)
	}
	return out, nil
}

// planReminder decides whether a reminder is due now and, if so, records it
// in the outbox. It returns the planned row (zero when none is due).
func (a *App) planReminder(ctx context.Context, now time.Time) (store.Outbox, bool, error) {
	in, err := a.nudgeInput(ctx, now)
	if err != nil {
		return store.Outbox{}, false, err
	}
	rep := nudge.Evaluate(in)
	sent, err := a.sentReminders(ctx)
	if err != nil {
		return store.Outbox{}, false, err
	}
	rem, ok := nudge.Plan(in, rep, a.policy(), sent)
	if !ok {
		return store.Outbox{}, false, nil
	}
	if _, err := a.st.OutboxByKey(ctx, rem.Key); err == nil {
		return store.Outbox{}, false, nil // planned already: resume delivers it if still unsent
	}
	// Who is due is decided without the project news; the reminder shows
	// it, so it is read now, once, and the same plan made with it.
	if err := a.addNews(ctx, &in); err != nil {
		return store.Outbox{}, false, err
	}
	if rem, ok = nudge.Plan(in, nudge.Evaluate(in), a.policy(), sent); !ok {
		return store.Outbox{}, false, nil
	}
	subject, text, html, err := nudge.Render(rem, now, a.cfg.TemplatesDir)
	if err != nil {
		return store.Outbox{}, false, err
	}
	m := mailer.Message{From: a.cfg.Me.Email, FromName: "leadup", To: a.cfg.Me.Email, Subject: subject, Text: text, HTML: html,
		MessageID: a.newMessageID("reminder"), Date: now, Kind: store.OutReminder}
	row, _, err := a.plan(ctx, outboxItem{key: rem.Key, kind: store.OutReminder, msg: m, covers: rem.Record(now)})
	return row, row.State == store.StatePlanned, err
}
