package daemon

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/digest"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// How far back the reminder looks at Inbox and project mail.
const (
	askHorizon  = 60 * 24 * time.Hour
	newsHorizon = 60 * 24 * time.Hour
)

// nudgeInput gathers what nudge.Evaluate needs from the store.
func (a *App) nudgeInput(ctx context.Context, now time.Time) (nudge.Input, error) {
	in := nudge.Input{Now: now, Cal: a.cfg.Calendar, Me: a.cfg.Me.Addresses(), Stakeholders: a.nudgeStakeholders()}
	ups, err := a.st.Updates(ctx)
	if err != nil {
		return in, err
	}
	for _, u := range ups {
		if u.At.After(now) {
			continue // a simulated "now" before this update: it has not happened yet
		}
		in.Updates = append(in.Updates, nudge.Update{Email: u.Email, At: u.At, Subject: u.Subject, Source: u.Source})
	}
	inbox, err := a.st.Messages(ctx, store.Filter{Kind: store.KindInbox, Since: now.Add(-askHorizon), Until: now.Add(time.Second), NoText: true})
	if err != nil {
		return in, err
	}
	for _, m := range inbox {
		if _, ok := a.cfg.Stakeholder(m.FromAddr); !ok {
			continue
		}
		in.Inbound = append(in.Inbound, nudge.Inbound{From: fullAddress(m.FromName, m.FromAddr), At: m.Date, MessageID: m.MessageID, Subject: m.Subject,
			Snippet: m.Snippet, Ask: m.Ask, AutoReply: m.AutoReply, ReturnDate: m.ReturnDate})
	}
	pauses, err := a.st.Pauses(ctx, now.Add(-askHorizon))
	if err != nil {
		return in, err
	}
	for _, p := range pauses {
		if p.CreatedAt.After(now) {
			continue
		}
		in.Pauses = append(in.Pauses, nudge.Pause{Email: p.Email, From: p.CreatedAt, Until: p.Until, Reason: p.Reason})
	}
	news, err := a.st.Messages(ctx, store.Filter{Kind: store.KindProject, Since: now.Add(-newsHorizon), Until: now.Add(time.Second), NoText: true})
	if err != nil {
		return in, err
	}
	for _, m := range news {
		if m.Automated || m.AutoReply {
			continue
		}
		level, words := health(m)
		in.News = append(in.News, nudge.News{Project: m.Project, At: m.Date, From: fullAddress(m.FromName, m.FromAddr), Subject: m.Subject,
			Snippet: m.Snippet, Bad: level == message.Red || level == message.Amber, Words: words})
	}
	return in, nil
}

// nudgeStakeholders are the configured stakeholders in nudge's terms.
func (a *App) nudgeStakeholders() []nudge.Stakeholder {
	out := make([]nudge.Stakeholder, len(a.cfg.Stakeholders))
	for i, s := range a.cfg.Stakeholders {
		out[i] = nudge.Stakeholder{Name: s.Name, Email: s.Email, Role: s.Role, Cadence: s.Cadence, Max: s.Max, Style: s.Style}
	}
	return out
}

// digestInput gathers what digest.Build needs for the period since..now.
func (a *App) digestInput(ctx context.Context, now, since time.Time) (digest.Input, error) {
	in := digest.Input{Now: now, Since: since, Loc: a.cfg.Location, Me: a.cfg.Me.Addresses(), MeName: a.cfg.Me.Name,
		Style: digest.Detailed, Cal: a.cfg.Calendar}
	for _, p := range a.cfg.Projects {
		in.Projects = append(in.Projects, digest.Project{Name: p.Name, Label: p.Label})
	}
	boss := a.cfg.Digest.DraftFor
	if boss == nil {
		boss, _ = a.cfg.Boss()
	}
	if boss != nil {
		in.Style, in.Cadence, in.BossName, in.Priorities = boss.Style, boss.Cadence, boss.Name, boss.Priorities
		in.InDrafts = a.cfg.Digest.DraftFor != nil
		ups, err := a.st.Updates(ctx)
		if err != nil {
			return in, err
		}
		var last time.Time
		for _, u := range ups {
			if u.Email == boss.Email && !u.At.After(now) {
				in.Updates = append(in.Updates, u.At)
				if u.At.After(last) {
					last = u.At
				}
			}
		}
		// The boss's asks since the user last wrote to them: the draft
		// answers them first.
		inbox, err := a.st.Messages(ctx, store.Filter{Kind: store.KindInbox, Since: now.Add(-askHorizon), Until: now.Add(time.Second), NoText: true})
		if err != nil {
			return in, err
		}
		for _, m := range inbox {
			if m.Ask && !m.AutoReply && strings.EqualFold(m.FromAddr, boss.Email) && m.Date.After(last) {
				in.BossAsks = append(in.BossAsks, digest.BossAsk{Date: m.Date, Text: strings.TrimSpace(m.Subject + ": " + m.Snippet)})
			}
		}
	}
	from := since
	if q := now.Add(-digest.QuietAfter); q.Before(from) {
		from = q
	}
	msgs, err := a.st.Messages(ctx, store.Filter{Kind: store.KindProject, Since: from, Until: now.Add(time.Second)})
	if err != nil {
		return in, err
	}
	for _, m := range msgs {
		in.Msgs = append(in.Msgs, digest.Msg{Project: m.Project, MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References,
			Date: m.Date, FromName: m.FromName, FromAddr: m.FromAddr, Subject: m.Subject, Visible: m.Visible, Snippet: m.Snippet,
			Automated: m.Automated || m.AutoReply})
	}
	return in, nil
}

// fullAddress formats "Name <addr>", so reminders can say who by name while
// nudge still compares addresses.
func fullAddress(name, addr string) string {
	if name == "" {
		return addr
	}
	return (&mail.Address{Name: name, Address: addr}).String()
}

// health is a stored message's health, read at sync time; rows stored by an
// older leadup have none and are read now.
func health(m store.Message) (message.Level, []string) {
	if m.Health != "" {
		return message.Level(m.Health), m.BadWords
	}
	level, hits := message.MessageHealth(m.Subject, m.Visible, m.AutoReply)
	return level, message.BadPhrases(hits)
}
