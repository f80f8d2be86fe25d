package daemon

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// applyReplies acts on the user's replies to reminders ("done", "snooze 3
// days", "skip", "away until 8 January", "done Dana"), found by
// In-Reply-To, each once. A reply leadup cannot read is answered once by
// mail (planReplyHelp), and a reply to that answer acts on the reminder.
// A done records an update without a subject: the last update reads
// "marked done", never "Re: leadup: …". A reply is looked for in the Inbox
// and in Sent: some providers file mail you send yourself only in Sent.
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
		if !ok || !replyTarget(row.Kind) {
			continue
		}
		cmd, err := nudge.ParseReplyFor(m.Visible, m.Date, a.cfg.Calendar, stakeholders)
		if err != nil {
			// Answered once by mail (the outbox keeps its key once), then
			// recorded, so it is not answered every cycle. An empty reply
			// (only quoted text) is let be.
			var ue *nudge.UnreadableError
			what := "none"
			if errors.As(err, &ue) {
				a.log.Warn("reply to a reminder not understood", "message_id", m.MessageID, "err", err)
				if err := a.planReplyHelp(ctx, m, row, ue); err != nil {
					return applied, err
				}
				what = "unreadable"
			}
			if _, err := a.st.MarkReplyHandled(ctx, m.MessageID, what, now); err != nil {
				return applied, err
			}
			continue
		}
		var covered nudge.Sent
		_ = json.Unmarshal([]byte(row.Covers), &covered)
		ups, pauses := cmd.Apply(m.Date, a.cfg.Calendar, covered.Emails, stakeholders)
		for _, u := range ups {
			if _, err := a.st.AddUpdate(ctx, store.Update{Email: u.Email, At: u.At, Source: store.SourceReply, MessageID: m.MessageID, Subject: u.Subject, CreatedAt: now}); err != nil {
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
