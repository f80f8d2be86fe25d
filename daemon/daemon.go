// Package daemon ties leadup's parts together: it syncs the mailbox into the
// store, decides what is due (reminders, the digest) and sends it exactly
// once. The command line in cmd/leadup only parses flags and calls in here.
package daemon

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/config"
	"github.com/leadup/leadup/daemon/store"
)

// App is one leadup instance: a config, its state and a clock.
type App struct {
	cfg   *config.Config
	st    *store.Store
	log   *slog.Logger
	clock clock.Clock
	tun   Tunables
	// fresh are the outbox keys this cycle planned and has not tried: not
	// left over from a crash, so sending them needs no look in the
	// mailbox for an earlier attempt first.
	fresh map[string]bool
}

// New returns an App over an open store.
func New(cfg *config.Config, st *store.Store, log *slog.Logger, clk clock.Clock) *App {
	return &App{cfg: cfg, st: st, log: log, clock: clk, tun: DefaultTunables()}
}

// SetTunables replaces the delays and limits (tests shrink them).
func (a *App) SetTunables(t Tunables) { a.tun = t }

// Open opens the config's state database and returns an App over it.
func Open(ctx context.Context, cfg *config.Config, log *slog.Logger, clk clock.Clock) (*App, error) {
	path := cfg.StatePath
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return New(cfg, st, log, clk), nil
}

// Close closes the state database.
func (a *App) Close() error { return a.st.Close() }

// Checkin records an update given to s outside email, at the clock's time.
func (a *App) Checkin(ctx context.Context, s config.Stakeholder, note string) error {
	now := a.clock.Now()
	if _, err := a.st.AddUpdate(ctx, store.Update{Email: s.Email, At: now, Source: store.SourceCheckin, Note: note, CreatedAt: now}); err != nil {
		return fmt.Errorf("record check-in: %w", err)
	}
	a.log.Info("check-in recorded", "stakeholder", s.Name)
	return nil
}
