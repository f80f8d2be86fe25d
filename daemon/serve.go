package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"syscall"
	"time"

	sdnotify "github.com/coreos/go-systemd/v22/daemon"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// ServeOptions configure the long-running loop.
type ServeOptions struct {
	// Reload builds a new App from the re-read config on SIGHUP (or a
	// send on ReloadNow). A failure keeps the running App.
	Reload func() (*App, error)
	// ReloadNow triggers a reload as SIGHUP does (tests).
	ReloadNow <-chan struct{}
	// Notify tells systemd about the service's state; default sd_notify
	// (a no-op outside systemd).
	Notify func(state string)
	// NoIdle disables the new-mail watcher (IMAP NOTIFY or IDLE; tests
	// that drive wake-ups).
	NoIdle bool
	// Cycled, when set, receives each cycle's report (tests).
	Cycled func(CycleReport, error)
}

// Serve runs cycles until ctx is done: sync, evaluate, send what is due,
// then wait for the earliest of the next poll, the next reminder time, the
// next digest slot or new mail in a folder it reads (IMAP NOTIFY; IDLE on
// the Inbox where the server lacks NOTIFY). It owns app (and
// every App a reload makes): it returns nil when ctx is cancelled
// (SIGTERM), after closing the App it last ran.
func Serve(ctx context.Context, app *App, opt ServeOptions) error {
	defer func() {
		if err := app.Close(); err != nil {
			app.log.Warn("closing the state", "err", err)
		}
	}()
	if opt.Notify == nil {
		opt.Notify = func(state string) { _, _ = sdnotify.SdNotify(false, state) }
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	var busySince atomic.Int64 // when the running cycle started (Unix seconds, real time); 0 while waiting
	if interval, err := sdnotify.SdWatchdogEnabled(false); err == nil && interval > 0 {
		go watchdog(ctx, interval, &busySince, opt.Notify)
	}

	idle := &idleWatcher{parent: ctx, wake: make(chan struct{}, 1), off: opt.NoIdle}
	idle.start(app)
	defer idle.stop()

	opt.Notify(sdnotify.SdNotifyReady)
	defer opt.Notify(sdnotify.SdNotifyStopping)
	failures := backoff.Backoff{Min: 30 * time.Second, Max: 30 * time.Minute, Jitter: 0.2, DelayFirst: true}
	var panics int
	for {
		busySince.Store(time.Now().Unix())
		rep, err := app.safeCycle(ctx, &panics)
		busySince.Store(0)
		if opt.Cycled != nil {
			opt.Cycled(rep, err)
		}
		if ctx.Err() != nil {
			app.log.Info("stopping")
			return nil
		}
		now := app.clock.Now()
		next := app.NextWake(ctx, now)
		// A folder that cannot be read is a setting to fix, not a failure
		// to retry soon: the rest of the cycle went on (status says which
		// folder and how to fix it).
		var fe *FolderError
		if errors.As(err, &fe) && err.Error() == fe.Error() {
			app.log.Warn("cycle done without some folders", "problems", len(fe.Problems), "err", err)
			opt.Notify(fmt.Sprintf("STATUS=ok at %s without %d folder(s): see leadup status; next %s",
				now.In(app.cfg.Location).Format("15:04"), len(fe.Problems), next.In(app.cfg.Location).Format("Mon 15:04")))
			failures.Reset()
		} else if err != nil {
			app.log.Error("cycle failed", "err", err, "panics", panics)
			opt.Notify("STATUS=last cycle failed: " + oneLine(err))
			if retry := now.Add(failures.Next()); retry.Before(next) {
				next = retry
			}
		} else {
			failures.Reset()
			opt.Notify(fmt.Sprintf("STATUS=ok at %s: read %d, reminder %q, digest %q; next %s",
				now.In(app.cfg.Location).Format("15:04"), rep.Sync.Fetched, rep.Reminder, rep.Digest, next.In(app.cfg.Location).Format("Mon 15:04")))
		}
		app.log.Debug("sleeping", "until", next)
	wait:
		for {
			select {
			case <-ctx.Done():
				app.log.Info("stopping")
				return nil
			case <-clock.After(app.clock, next.Sub(now)):
				break wait
			case <-idle.wake:
				app.log.Debug("new mail")
				break wait
			case <-hup:
				app = reload(app, opt, idle)
				break wait
			case <-opt.ReloadNow:
				app = reload(app, opt, idle)
				break wait
			}
		}
	}
}

// reload swaps in a new App built from the re-read config; on failure the
// running one stays.
func reload(app *App, opt ServeOptions, idle *idleWatcher) *App {
	if opt.Reload == nil {
		return app
	}
	opt.Notify(sdnotify.SdNotifyReloading)
	defer opt.Notify(sdnotify.SdNotifyReady)
	next, err := opt.Reload()
	if err != nil {
		app.log.Error("reload failed; keeping the running config", "err", err)
		opt.Notify("STATUS=reload failed: " + oneLine(err))
		return app
	}
	app.log.Info("config reloaded", "file", next.cfg.File)
	idle.start(next)
	if err := app.Close(); err != nil {
		app.log.Warn("closing the old state", "err", err)
	}
	return next
}

// idleWatcher runs the new-mail watcher of the App in service, so a
// reload can replace it with the new App's (and its folders).
type idleWatcher struct {
	parent context.Context
	wake   chan struct{}
	off    bool // ServeOptions.NoIdle
	cancel context.CancelFunc
}

// start stops the running watcher and watches for app.
func (w *idleWatcher) start(app *App) {
	w.stop()
	ctx, cancel := context.WithCancel(w.parent)
	w.cancel = cancel
	if !w.off {
		go app.watch(ctx, w.wake)
	}
}

func (w *idleWatcher) stop() {
	if w.cancel != nil {
		w.cancel()
	}
}

// safeCycle runs one cycle, turning a panic into an error.
func (a *App) safeCycle(ctx context.Context, panics *int) (rep CycleReport, err error) {
	defer func() {
		if r := recover(); r != nil {
			*panics++
			a.log.Error("panic in cycle", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return a.RunOnce(ctx)
}

// NextWake is when the loop should next run: the earliest of the next poll,
// the next reminder check and the next digest slot.
func (a *App) NextWake(ctx context.Context, now time.Time) time.Time {
	next := now.Add(a.cfg.Poll)
	if d := a.NextDigest(now); !d.IsZero() && d.Before(next) {
		next = d
	}
	in, err := a.nudgeInput(ctx, now)
	if err != nil {
		a.log.Warn("cannot tell when the next reminder is due; waking at the next poll", "err", err)
		return next
	}
	sent, err := a.sentReminders(ctx)
	if err != nil {
		a.log.Warn("cannot tell when the next reminder is due; waking at the next poll", "err", err)
		return next
	}
	if r := nudge.NextCheck(in, nudge.Evaluate(in), a.policy(), sent); !r.IsZero() && r.After(now) && r.Before(next) {
		next = r
	}
	return next
}

// watch signals wake on new mail in the folders a cycle reads (the Inbox,
// Sent, the project labels found on the server), reconnecting with
// backoff; it returns when ctx is done. mailbox.Watch uses NOTIFY where
// the server offers it, else IDLE on the Inbox.
func (a *App) watch(ctx context.Context, wake chan<- struct{}) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("panic in the new-mail watcher", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	b := backoff.Backoff{Min: 5 * time.Second, Max: 10 * time.Minute, Jitter: 0.2, DelayFirst: true}
	for failed := false; ctx.Err() == nil; failed = true {
		c, found, err := a.connect(ctx)
		if err == nil {
			b.Reset()
			if failed {
				// Mail may have come while the watcher was away: a cycle reads it.
				select {
				case wake <- struct{}{}:
				default:
				}
			}
			err = c.Watch(ctx, a.watchFolders(found), wake)
			c.Close()
		}
		if ctx.Err() != nil {
			return
		}
		d := b.Next()
		a.log.Warn("watching for new mail stopped; retrying", "err", err, "in", d.Round(time.Second))
		if backoff.Sleep(ctx, d) != nil {
			return
		}
	}
}

// watchFolders are the folders a cycle reads that the server has, each
// once, as the server spells them.
func (a *App) watchFolders(found mailbox.Found) []string {
	var names []string
	for _, f := range a.folders(found) {
		name, ok := found.Lookup(f.Name)
		if f.Kind == store.KindInbox {
			name, ok = "INBOX", true
		}
		if ok && name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// maxCycle is how long a cycle may run before the watchdog stops vouching
// for it: a first sync of a large mailbox is long, but every IMAP command
// has its own timeout, so a cycle this long is stuck.
const maxCycle = 2 * time.Hour

// watchdog pings systemd while the loop waits, or runs a cycle that has not
// been running for longer than maxCycle; systemd restarts a stuck daemon.
func watchdog(ctx context.Context, interval time.Duration, busySince *atomic.Int64, notify func(string)) {
	t := time.NewTicker(interval / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if b := busySince.Load(); b == 0 || time.Since(time.Unix(b, 0)) < maxCycle {
				notify(sdnotify.SdNotifyWatchdog)
			}
		}
	}
}

func oneLine(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' {
			return s[:i] + " …"
		}
	}
	return s
}
