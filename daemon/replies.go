package daemon

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// applyReplies acts on the user's replies to reminders ("done", "snooze 3
// days", "skip", "away until 2027-01-04"), found by In-Reply-To, each once.
// A reply is looked for in the Inbox and in Sent: some providers file mail
// you send yourself only in Sent.
func (a *App) applyReplies(ctx context.Context) (int, error) {
	now := a.clock.Now()
	var msgs []store.Message
	for _, kind := range []string{store.KindInbox, store.KindSent} {
		m, err := a.st.Messages(ctx, store.Filter{Kind: kind, Since: now.Add(-askHorizon), RepliesTo: idPrefix})
		if err != nil {
			return 0, err
		}
		msgs = append(msgs, m...)
	}
	stakeholders := a.nudgeStakeholders()
	applied := 0
	for _, m := range msgs {
		if !a.isMe(m.FromAddr) || m.MessageID == "" || m.Date.After(now) {
			continue
		}
		if done, err := a.st.ReplyHandled(ctx, m.MessageID); err != nil {
			return applied, err
		} else if done {
			continue
		}
		row, ok, err := a.st.OutboxByMessageID(ctx, m.InReplyTo)
		if err != nil {
			return applied, err
		}
		if !ok || row.Kind != store.OutReminder {
			continue
		}
		cmd, err := nudge.ParseReply(m.Visible, m.Date, a.cfg.Calendar)
		if err != nil {
			// Said once, then recorded, so it is not said every cycle.
			if !errors.Is(err, nudge.ErrNoCommand) {
				a.log.Warn("reply to a reminder not understood", "message_id", m.MessageID, "err", err)
			}
			if _, err := a.st.MarkReplyHandled(ctx, m.MessageID, "none", now); err != nil {
				return applied, err
			}
			continue
		}
		var covered nudge.Sent
		_ = json.Unmarshal([]byte(row.Covers), &covered)
		ups, pauses := cmd.Apply(m.Date, a.cfg.Calendar, covered.Emails, stakeholders)
		for _, u := range ups {
			if _, err := a.st.AddUpdate(ctx, store.Update{Email: u.Email, At: u.At, Source: store.SourceReply, MessageID: m.MessageID, Subject: m.Subject, CreatedAt: now}); err != nil {
				return applied, err
			}
		}
		for _, p := range pauses {
			if err := a.st.AddPause(ctx, store.Pause{Email: p.Email, Until: p.Until, Reason: p.Reason, MessageID: m.MessageID, CreatedAt: m.Date}); err != nil {
				return applied, err
			}
		}
		first, err := a.st.MarkReplyHandled(ctx, m.MessageID, cmd.Kind, now)
		if err != nil {
			return applied, err
		}
		if first {
			applied++
			a.log.Info("reply applied", "command", cmd.Kind, "message_id", m.MessageID)
		}
	}
	return applied, nil
}
