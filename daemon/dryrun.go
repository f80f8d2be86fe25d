package daemon

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/config"
	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/store"
)

// DryRun runs cycles that send, save and record nothing: `leadup run
// --dry-run`. It works on a scratch copy of the state, taken when it
// opens and removed when it closes, so nothing a cycle does can reach the
// real state: the mail it reads, the updates and replies it derives, the
// mail it plans all stay in the copy. It reads the mailbox as a cycle does
// (read-only) but never appends a draft and never talks to the SMTP
// server. The mail a cycle would send is handed back instead, and marked
// sent in the copy, so a dry daemon behaves as the real one would after
// sending it (one reminder a day, one digest a slot).
type DryRun struct {
	app *App // over the scratch copy
	dir string
}

// DryMail is a mail a dry cycle would send, or save as a draft.
type DryMail struct {
	ID      int64 // its number in the real outbox, for mail planned before; 0 for new mail
	Kind    string
	Key     string
	To      string
	Subject string
	Text    string
	HTML    string
	Draft   bool // saved in Drafts (addressed to To), not sent
	// Resumed says an earlier cycle planned it and it is not confirmed
	// yet: a cycle looks for it in the mailbox before sending it again.
	Resumed bool
	// Dropped, when set, says why a cycle would drop it instead of
	// sending it (a reminder of an earlier day, a superseded digest).
	Dropped string
}

// DryReport is what a dry cycle read and would have sent.
type DryReport struct {
	CycleReport
	Mail []DryMail
}

// OpenDryRun copies the config's state database (when there is one) into
// a private temporary directory and returns a DryRun over the copy. The
// caller closes it, which removes the copy.
func OpenDryRun(ctx context.Context, cfg *config.Config, log *slog.Logger, clk clock.Clock) (*DryRun, error) {
	path := cfg.StatePath
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	dir, err := os.MkdirTemp("", "leadup-dry-run-")
	if err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	scratch := filepath.Join(dir, "state.db")
	if err := snapshot(ctx, path, scratch); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	st, err := store.Open(ctx, scratch)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &DryRun{app: New(cfg, st, log, clk), dir: dir}, nil
}

// snapshot copies the state at path to scratch; a state that does not
// exist yet is not created (the copy starts empty).
func snapshot(ctx context.Context, path, scratch string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("dry run: %w", err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.SnapshotTo(ctx, scratch)
}

// App is the App over the scratch copy (for status and next times as the
// dry cycles left them).
func (d *DryRun) App() *App { return d.app }

// Close closes the copy and removes it.
func (d *DryRun) Close() error {
	err := d.app.Close()
	return errors.Join(err, os.RemoveAll(d.dir))
}

// RunOnce is one dry cycle: a cycle as RunOnce runs it, on the copy, with
// the mail it would send handed back.
func (d *DryRun) RunOnce(ctx context.Context) (DryReport, error) {
	rows, err := d.app.st.OutboxList(ctx, "", store.StatePlanned)
	if err != nil {
		return DryReport{}, err
	}
	dc := &dryCourier{before: map[string]int64{}}
	for _, r := range rows {
		dc.before[r.Key] = r.ID
	}
	rep, err := d.app.cycle(ctx, dc)
	return DryReport{CycleReport: rep, Mail: dc.mail}, err
}

// Serve runs dry cycles until ctx is done, each at the time the daemon
// would wake for (the next poll, reminder check or digest slot), and
// hands each report to each. Unlike Serve it does not watch the Inbox with
// IDLE and does not reload on SIGHUP: it is a preview in a terminal.
func (d *DryRun) Serve(ctx context.Context, each func(DryReport, error)) error {
	a := d.app
	for {
		rep, err := d.RunOnce(ctx)
		each(rep, err)
		if ctx.Err() != nil {
			return nil
		}
		now := a.clock.Now()
		next := a.NextWake(ctx, now)
		a.log.Info("dry run: sleeping", "until", next)
		select {
		case <-ctx.Done():
			return nil
		case <-clock.After(a.clock, next.Sub(now)):
		}
	}
}

// dryCourier takes the mail a dry cycle would deliver.
type dryCourier struct {
	before map[string]int64 // rows planned when the cycle began: key to real id
	mail   []DryMail
	sent   map[string]string // the key taken of each kind
}

func (dc *dryCourier) sentKeys() map[string]string {
	if dc == nil {
		return nil
	}
	return dc.sent
}

// resume takes the rows still planned, as resume would deliver them: the
// stale ones are reported dropped (and dropped in the copy), drafts last.
func (dc *dryCourier) resume(ctx context.Context, a *App) error {
	rows, err := a.st.OutboxList(ctx, "", store.StatePlanned)
	if err != nil {
		return err
	}
	slices.SortStableFunc(rows, func(x, y store.Outbox) int {
		return cmp.Compare(boolInt(x.Kind == store.OutDraft), boolInt(y.Kind == store.OutDraft))
	})
	now := a.clock.Now()
	var errs []error
	for _, row := range rows {
		if why := a.stale(row, now); why != "" {
			m := dc.mailOf(row)
			m.Dropped = why
			dc.mail = append(dc.mail, m)
			errs = append(errs, a.st.Record(ctx, row.Key, 0, errors.New("superseded: "+why), store.StateFailed, now))
			continue
		}
		errs = append(errs, dc.take(ctx, a, row, true))
	}
	return errors.Join(errs...)
}

// take reports row as sent (or saved) and marks it so in the copy.
func (dc *dryCourier) take(ctx context.Context, a *App, row store.Outbox, resumed bool) error {
	if row.State != store.StatePlanned {
		return nil
	}
	m := dc.mailOf(row)
	m.Resumed = resumed && m.ID != 0
	dc.mail = append(dc.mail, m)
	if dc.sent == nil {
		dc.sent = map[string]string{}
	}
	dc.sent[row.Kind] = row.Key
	return a.st.Record(ctx, row.Key, 0, nil, store.StateSent, a.clock.Now())
}

func (dc *dryCourier) mailOf(row store.Outbox) DryMail {
	m := DryMail{ID: dc.before[row.Key], Kind: row.Kind, Key: row.Key, To: row.Recipients, Subject: row.Subject, Draft: row.Kind == store.OutDraft}
	var msg mailer.Message
	if err := json.Unmarshal(row.Body, &msg); err == nil {
		m.To, m.Subject, m.Text, m.HTML = msg.To, msg.Subject, msg.Text, msg.HTML
	}
	return m
}
