package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// outReplyHelp is the outbox kind of the mail that answers a reply leadup
// could not read. Its covers are those of the reminder replied to, so a
// reply to it ("done") acts on that reminder.
const outReplyHelp = "reply-help"

// replyHelpKey is the outbox key of the answer to the reply messageID: the
// outbox keeps a key once, so a reply is answered once, however often
// leadup restarts before or after sending it.
func replyHelpKey(messageID string) string { return "reply-help:" + messageID }

// planReplyHelp plans the mail that tells the user their reply m (to the
// outbox row to) was not read, and how to write it. The courier sends it
// with the cycle's other planned mail.
func (a *App) planReplyHelp(ctx context.Context, m store.Message, to store.Outbox, ue *nudge.UnreadableError) error {
	now := a.clock.Now()
	var covered nudge.Sent
	_ = json.Unmarshal([]byte(to.Covers), &covered)
	var names []string
	first := ""
	for _, e := range covered.Emails {
		if s, ok := a.cfg.Stakeholder(e); ok {
			names = append(names, s.Name)
			if first == "" {
				first, _, _ = strings.Cut(s.Name, " ")
			}
		}
	}
	subject := m.Subject
	if !isReplySubject(subject) {
		subject = "Re: " + subject
	}
	msg := mailer.Message{From: a.cfg.Me.Email, FromName: "leadup", To: a.cfg.Me.Email, Subject: subject,
		Text:      replyHelpText(ue, names, nudge.ReplyHelp(now, a.cfg.Location, first)),
		MessageID: a.newMessageID(outReplyHelp), Date: now, Kind: outReplyHelp,
		InReplyTo: "<" + m.MessageID + ">", References: references(m)}
	_, created, err := a.plan(ctx, outboxItem{key: replyHelpKey(m.MessageID), kind: outReplyHelp, msg: msg, covers: json.RawMessage(coversOrNull(to.Covers))})
	if err != nil {
		return err
	}
	if created {
		a.log.Info("reply not understood; answering it once", "message_id", m.MessageID, "why", ue.Why)
		if a.fresh != nil {
			a.fresh[replyHelpKey(m.MessageID)] = true
		}
	}
	return nil
}

// replyHelpText is the body of the answer: what was not read and why,
// who the reminder was about, and the commands.
func replyHelpText(ue *nudge.UnreadableError, names []string, help string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "I couldn't read \u201c%s\u201d: %s.\n\n", ue.Line, strings.TrimSuffix(ue.Why, "."))
	if len(names) > 0 {
		fmt.Fprintf(&b, "Your reply was to the reminder about %s.\n", joinNames(names))
	}
	fmt.Fprintf(&b, "Reply to this mail with one of: %s.\nThe first line counts; nothing was changed.\n\n-- \nleadup\n", help)
	return b.String()
}

func joinNames(ns []string) string {
	if len(ns) <= 1 {
		return strings.Join(ns, "")
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

// references threads the answer under the reply: the reply's references,
// then the reply itself.
func references(m store.Message) string {
	var refs []string
	for _, r := range m.References {
		if r = strings.Trim(strings.TrimSpace(r), "<>"); r != "" {
			refs = append(refs, "<"+r+">")
		}
	}
	return strings.Join(append(refs, "<"+strings.Trim(m.MessageID, "<>")+">"), " ")
}

func coversOrNull(s string) string {
	if strings.TrimSpace(s) == "" || !json.Valid([]byte(s)) {
		return "null"
	}
	return s
}

// isReplySubject says whether a subject already starts with "Re:".
func isReplySubject(s string) bool {
	return len(s) >= 3 && strings.EqualFold(s[:3], "re:")
}

// replyTarget says whether an outbox kind is one a reply can act on: a
// reminder, or the answer to an unread reply to one.
func replyTarget(kind string) bool { return kind == store.OutReminder || kind == outReplyHelp }
