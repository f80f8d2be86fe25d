package daemon

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/digest"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// Status is `leadup status --json`: the contract in DESIGN.md, plus the
// outbox problems a user must see.
type Status struct {
	Now          time.Time           `json:"now"`
	Stakeholders []StakeholderStatus `json:"stakeholders"`
	// NextReminder is the next reminder check (now when one is due: the
	// next cycle sends it); NextDigest the next digest slot; nil when
	// there is none. Both assume no new mail.
	NextReminder *time.Time `json:"next_reminder"`
	NextDigest   *time.Time `json:"next_digest"`
	// LastSync is when the mailbox was last read, nil if never.
	LastSync *time.Time `json:"last_sync"`
	// LastCycle is the last cycle's outcome, nil before the first.
	LastCycle *CycleResult    `json:"last_cycle"`
	Projects  []ProjectStatus `json:"projects"`
	Failed    []FailedMail    `json:"failed,omitempty"`
	Pending   []FailedMail    `json:"pending,omitempty"`
	// Folders are the folders the last cycle could not read, each with
	// what to do about it.
	Folders []FolderProblem `json:"folders,omitempty"`
}

// StakeholderStatus is one stakeholder's line.
type StakeholderStatus struct {
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Role       string     `json:"role"`
	LastUpdate *time.Time `json:"last_update"`
	DaysSince  *int       `json:"days_since"`
	Cadence    string     `json:"cadence"`
	NextDue    *time.Time `json:"next_due"`
	Overdue    bool       `json:"overdue"`
	OpenAsks   int        `json:"open_asks"`
	Level      string     `json:"level"`
	Paused     *time.Time `json:"paused_until,omitempty"`
}

// ProjectStatus is one project's line.
type ProjectStatus struct {
	Name       string     `json:"name"`
	Label      string     `json:"label"`
	Messages   int        `json:"messages"`
	LastStatus *time.Time `json:"last_status"`
	Health     string     `json:"health"`
}

// FailedMail is an outbox row that did not go out.
type FailedMail struct {
	// ID is the number `leadup outbox retry ID` and `leadup outbox
	// dismiss ID` take.
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Key      string `json:"key"`
	Subject  string `json:"subject"`
	Attempts int    `json:"attempts"`
	Error    string `json:"error"`
	// Fix says what to do about a failed mail; "" when nothing is to be
	// done (a mail a newer one covers).
	Fix string    `json:"fix,omitempty"`
	At  time.Time `json:"at"`
}

// failedFix is what a user can do about a failed mail. leadup never
// retries a failed row by itself: `leadup outbox retry ID` does, unless a
// cycle would drop the row anyway (stale says why: a reminder of an
// earlier day, a digest a newer one covers); then the fix is the command
// that makes the same mail afresh. `leadup outbox dismiss ID` hides it.
func failedFix(r store.Outbox, stale string) string {
	dismiss := fmt.Sprintf("`leadup outbox dismiss %d` stops listing it", r.ID)
	if stale != "" {
		switch {
		case strings.HasPrefix(r.LastError, "superseded"), r.Kind == store.OutReminder:
			return "nothing to do: " + stale + "; " + dismiss
		case r.Kind == store.OutDraft:
			return "once the cause is fixed, `leadup digest --send` saves a fresh draft (and mails you the digest again); " + dismiss
		case r.Kind == store.OutDigest:
			return "once the cause is fixed, `leadup digest --send` sends a fresh digest of the period since the last one sent; " + dismiss
		}
		return dismiss
	}
	retry := fmt.Sprintf("once the cause is fixed, `leadup outbox retry %d` sends it again", r.ID)
	switch r.Kind {
	case store.OutDraft:
		retry = fmt.Sprintf("once the cause is fixed, `leadup outbox retry %d` saves it again (with its digest, if that failed too), or `leadup digest --send` makes a fresh digest and draft", r.ID)
	case store.OutDigest:
		retry = fmt.Sprintf("once the cause is fixed, `leadup outbox retry %d` sends it again (and saves its draft), or `leadup digest --send` sends a fresh one", r.ID)
	}
	return retry + "; " + dismiss
}

// Status reports every stakeholder and project at the clock's time, from
// the store (run a cycle first to include new mail). Times are in the
// configured zone.
func (a *App) Status(ctx context.Context) (Status, error) {
	loc := a.cfg.Location
	local := func(t time.Time) *time.Time { t = t.In(loc); return &t }
	now := a.clock.Now().In(loc)
	st := Status{Now: now, Stakeholders: []StakeholderStatus{}, Projects: []ProjectStatus{}}
	in, err := a.nudgeInput(ctx, now)
	if err != nil {
		return st, err
	}
	rep := nudge.Evaluate(in)
	if err := a.statusNext(ctx, now, in, rep, &st); err != nil {
		return st, err
	}
	for _, e := range rep.Entries {
		s := StakeholderStatus{Name: e.Stakeholder.Name, Email: e.Stakeholder.Email, Role: e.Stakeholder.Role,
			Cadence: e.Stakeholder.Cadence.String(), Overdue: e.Overdue, OpenAsks: len(e.OpenAsks), Level: e.Level}
		if !e.Never {
			d := e.DaysSince
			s.LastUpdate, s.DaysSince = local(e.LastUpdate), &d
		}
		if !e.NextDue.IsZero() {
			s.NextDue = local(e.NextDue)
		}
		if !e.PausedUntil.IsZero() {
			s.Paused = local(e.PausedUntil)
		}
		st.Stakeholders = append(st.Stakeholders, s)
	}
	for _, p := range a.cfg.Projects {
		ps := ProjectStatus{Name: p.Name, Label: p.Label, Health: string(message.Unknown)}
		n, last, err := a.st.CountMessages(ctx, store.KindProject, p.Name)
		if err != nil {
			return st, err
		}
		ps.Messages = n
		if !last.IsZero() {
			ps.LastStatus = local(last)
		}
		// Health from the newest human messages that say something about
		// it, within the quiet window: a quiet project has none, as in the
		// digest. Newest first, and only until one says something: a few
		// rows, however large the label.
		f := store.Filter{Kind: store.KindProject, Project: p.Name, Since: now.Add(-digest.QuietAfter), Until: now.Add(time.Second),
			NoText: true, Human: true, SaysHealth: true, Newest: true}
		if err := a.st.EachMessage(ctx, f, func(m store.Message) bool {
			if level, _ := health(m); level != message.Unknown {
				ps.Health = string(level)
				return false
			}
			return true
		}); err != nil {
			return st, err
		}
		st.Projects = append(st.Projects, ps)
	}
	for _, state := range []string{store.StateFailed, store.StatePlanned} {
		rows, err := a.st.OutboxList(ctx, "", state)
		if err != nil {
			return st, err
		}
		for _, r := range rows {
			if !r.DismissedAt.IsZero() {
				continue
			}
			f := FailedMail{ID: r.ID, Kind: r.Kind, Key: r.Key, Subject: r.Subject, Attempts: r.Attempts, Error: r.LastError, At: r.PlannedAt.In(loc)}
			if state == store.StateFailed {
				f.Fix = failedFix(r, a.stale(r, now))
				st.Failed = append(st.Failed, f)
			} else {
				st.Pending = append(st.Pending, f)
			}
		}
	}
	if st.Folders, err = a.folderProblems(ctx); err != nil {
		return st, err
	}
	for i := range st.Folders {
		st.Folders[i].Since, st.Folders[i].At = st.Folders[i].Since.In(loc), st.Folders[i].At.In(loc)
	}
	return st, nil
}
