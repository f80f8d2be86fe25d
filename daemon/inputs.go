package daemon

import (
	"cmp"
	"context"
	"net/mail"
	"slices"
	"strconv"
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

// perProject bounds how many of a project's newest messages a reminder's
// news or a digest reads: memory stays bounded however busy a label is
// (a 500,000-message label of the benchmark has 100,000 in 60 days, which
// held 250 MB), and no reader takes in more than a few hundred messages
// of one project in a week or two anyway.
const perProject = 300

// nudgeInput gathers what nudge.Evaluate and nudge.Plan need from the
// store to decide who is due: updates, asks, auto-replies and pauses. It
// leaves out the project news (in.News), which only a reminder's text
// shows and which grows with the labels: Evaluate fills Entry.News and
// Report.HeardFirst from it and nothing else, and Plan, NextCheck and
// status read neither. addNews adds it for the reminder that goes out.
func (a *App) nudgeInput(ctx context.Context, now time.Time) (nudge.Input, error) {
	in := nudge.Input{Now: now, Cal: a.cfg.Calendar, Me: a.cfg.Me.Addresses(), Stakeholders: a.nudgeStakeholders()}
	ups, err := a.updates(ctx, now)
	if err != nil {
		return in, err
	}
	for _, u := range ups { // none after now: a simulated "now" before an update has not seen it yet
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
		// Only a request waits for the user ("could you send me the
		// numbers before Friday?"): a thank-you or a statement left
		// unanswered is no ask. Rows an older leadup stored were judged by
		// a narrower reading; their snippet is read again.
		ask := !m.AutoReply && (m.Ask || message.IsStatusAsk(m.Snippet))
		if !ask && !m.AutoReply {
			continue
		}
		in.Inbound = append(in.Inbound, nudge.Inbound{From: fullAddress(m.FromName, m.FromAddr), At: m.Date, MessageID: m.MessageID, Subject: m.Subject,
			Snippet: m.Snippet, Ask: ask, AutoReply: m.AutoReply, ReturnDate: m.ReturnDate})
	}
	pauses, err := a.pauses(ctx, now)
	if err != nil {
		return in, err
	}
	in.Pauses = pauses
	return in, nil
}

// pauses are the snoozes, skips and away spans the user's replies set
// before now, as package nudge reads them.
func (a *App) pauses(ctx context.Context, now time.Time) ([]nudge.Pause, error) {
	stored, err := a.st.Pauses(ctx, now.Add(-askHorizon))
	if err != nil {
		return nil, err
	}
	var out []nudge.Pause
	for _, p := range stored {
		if !p.CreatedAt.After(now) {
			out = append(out, nudge.Pause{Email: p.Email, From: p.CreatedAt, Until: p.Until, Reason: p.Reason})
		}
	}
	return out, nil
}

// addNews adds the project news of the last newsHorizon to in: what a
// reminder shows under each person and as heard-it-first, with each
// message's health (read at sync time) and whether a later mail in its
// thread resolved it. Only headers, snippets and health are read, never
// the text (but for rows an older leadup stored without a health). It is
// read once a day, for the reminder that goes out.
func (a *App) addNews(ctx context.Context, in *nudge.Input) error {
	now := in.Now
	human, cut, err := a.newestPerProject(ctx, store.Filter{Kind: store.KindProject, Since: now.Add(-newsHorizon), Until: now.Add(time.Second), NoText: true, Human: true})
	if err != nil {
		return err
	}
	levels, words := make([]message.Level, len(human)), make([][]string, len(human))
	for i, m := range human {
		levels[i], words[i] = health(m)
	}
	closed := resolvedLater(human, levels)
	for i, m := range human {
		level := levels[i]
		bad := (level == message.Red || level == message.Amber) && !closed[i]
		in.News = append(in.News, nudge.News{Project: m.Project, At: m.Date, From: fullAddress(m.FromName, m.FromAddr), Subject: m.Subject,
			Snippet: m.Snippet, Bad: bad, Words: words[i], Cut: cut[m.ID]})
	}
	return nil
}

// resolvedLater marks the bad news (by index in msgs, oldest first, each
// with its health in levels) that a later mail in its thread resolves: as
// in the digest, a thread's newest mail that says something about health
// is its state, so a "legal approved" after "blocked by legal review"
// closes it, and the boss need not hear it first.
func resolvedLater(msgs []store.Message, levels []message.Level) map[int]bool {
	// Threads are per project, as in the digest: two labels' "Weekly
	// status" are two threads.
	byProject := map[string][]digest.Msg{}
	for i, m := range msgs {
		// Project holds the index: Threads copies messages into groups.
		byProject[m.Project] = append(byProject[m.Project], digest.Msg{Project: strconv.Itoa(i), MessageID: m.MessageID,
			InReplyTo: m.InReplyTo, References: m.References, Subject: m.Subject, Date: m.Date})
	}
	closed := map[int]bool{}
	for _, dm := range byProject {
		for _, thread := range digest.Threads(dm) {
			// The newest mail with a health is the thread's state.
			newest, at := -1, time.Time{}
			for _, t := range thread {
				i, _ := strconv.Atoi(t.Project)
				if levels[i] != message.Unknown && !msgs[i].Date.Before(at) {
					newest, at = i, msgs[i].Date
				}
			}
			if newest < 0 {
				continue
			}
			if levels[newest] != message.Green {
				continue
			}
			for _, t := range thread {
				if i, _ := strconv.Atoi(t.Project); msgs[i].Date.Before(at) {
					closed[i] = true
				}
			}
		}
	}
	return closed
}

// updates are the stored updates up to now, without the user's replies in
// leadup's own threads (a reply to a reminder that went to a stakeholder
// too is no update to them: a "done" is recorded as such).
func (a *App) updates(ctx context.Context, now time.Time) ([]store.Update, error) {
	ups, err := a.st.Updates(ctx)
	if err != nil {
		return nil, err
	}
	own, err := a.st.Messages(ctx, store.Filter{Kind: store.KindSent, RepliesTo: idPrefix, NoText: true})
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, m := range own {
		if m.MessageID != "" {
			skip[m.MessageID] = true
		}
	}
	out := ups[:0]
	for _, u := range ups {
		if u.At.After(now) || u.Source == store.SourceMail && skip[u.MessageID] {
			continue
		}
		out = append(out, u)
	}
	return out, nil
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
		ups, err := a.updates(ctx, now)
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
	msgs, cut, err := a.newestPerProject(ctx, store.Filter{Kind: store.KindProject, Since: from, Until: now.Add(time.Second)})
	if err != nil {
		return in, err
	}
	for _, m := range msgs {
		if cut[m.ID] {
			a.log.Info("digest: a project had more mail in the period than a digest reads; it reads the newest", "project", m.Project, "read", perProject, "from", m.Date.Format(time.DateOnly))
		}
	}
	// A project with no mail a person wrote in that window still has its
	// last news: its newest such message, however old, so the digest says
	// "quiet since 30 Oct" (and keeps a red's colour), not "no status mail
	// yet".
	heard := map[string]bool{}
	for _, m := range msgs {
		if !m.Automated && !m.AutoReply {
			heard[m.Project] = true
		}
	}
	for _, p := range a.cfg.Projects {
		if heard[p.Name] {
			continue
		}
		err := a.st.EachMessage(ctx, store.Filter{Kind: store.KindProject, Project: p.Name, Until: from, Human: true, Newest: true}, func(m store.Message) bool {
			msgs = append(msgs, m)
			return false
		})
		if err != nil {
			return in, err
		}
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

// newestPerProject reads the messages matching f (f.Project is set to each
// configured project in turn), at most perProject of each project's
// newest, oldest first. cut holds the ID of the oldest
// message read of each project that had more: older mail matching f was
// left unread.
func (a *App) newestPerProject(ctx context.Context, f store.Filter) (msgs []store.Message, cut map[int64]bool, err error) {
	f.Newest = true
	for _, p := range a.cfg.Projects {
		f.Project = p.Name
		start := len(msgs)
		err := a.st.EachMessage(ctx, f, func(m store.Message) bool {
			msgs = append(msgs, m)
			return len(msgs)-start <= perProject
		})
		if err != nil {
			return nil, nil, err
		}
		if len(msgs)-start > perProject {
			msgs = msgs[:start+perProject]
			if cut == nil {
				cut = map[int64]bool{}
			}
			cut[msgs[len(msgs)-1].ID] = true
		}
	}
	// Oldest first across projects too, as one query ordered by date and
	// id gave them.
	slices.SortFunc(msgs, func(x, y store.Message) int {
		if c := x.Date.Compare(y.Date); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	return msgs, cut, nil
}
