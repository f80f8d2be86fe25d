package daemon

import (
	"context"
	"time"

	"github.com/leadup/leadup/daemon/nudge"
)

// ReminderPreview is the reminder `leadup remind` shows.
type ReminderPreview struct {
	// Due says it would go out now (the next cycle sends it); otherwise
	// At is the next reminder check and the preview is what would go out
	// then if no mail came in the meantime.
	Due bool
	At  time.Time
	// None says no reminder is due within about a year: Subject and
	// Text are empty.
	None                bool
	Subject, Text, HTML string
	// For names the stakeholders it is about, in its order.
	For []string
}

// PreviewReminder renders the reminder that would go out now, from the
// store (refresh it first to include new mail), sending and recording
// nothing. When none is due now it renders the next one: the first
// reminder check at which one would go out, assuming no new mail.
func (a *App) PreviewReminder(ctx context.Context) (ReminderPreview, error) {
	now := a.clock.Now()
	in, err := a.nudgeInput(ctx, now)
	if err != nil {
		return ReminderPreview{}, err
	}
	sent, err := a.sentReminders(ctx)
	if err != nil {
		return ReminderPreview{}, err
	}
	pol := a.policy()
	rep := nudge.Evaluate(in)
	rem, ok := nudge.Plan(in, rep, pol, sent)
	p := ReminderPreview{Due: ok, At: now}
	if !ok {
		next := nudge.NextCheck(in, rep, pol, sent)
		if next.IsZero() {
			return ReminderPreview{None: true}, nil
		}
		at := in
		at.Now = next
		if rem, ok = nudge.Plan(at, nudge.Evaluate(at), pol, sent); !ok {
			return ReminderPreview{None: true, At: next}, nil
		}
		p.At = next
	}
	p.Subject, p.Text, p.HTML, err = nudge.Render(rem, p.At, a.cfg.TemplatesDir)
	if err != nil {
		return ReminderPreview{}, err
	}
	for _, e := range rem.Entries {
		p.For = append(p.For, e.Stakeholder.Name)
	}
	return p, nil
}
