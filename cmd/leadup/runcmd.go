package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/config"
)

func newRunCmd(g *globals) *cobra.Command {
	var once, dry bool
	cmd := &cobra.Command{
		Use:   "run [--once] [--dry-run]",
		Short: "The daemon: sync, evaluate, send what is due, sleep, repeat",
		Long: `Run leadup: read new mail, decide who is due a check-in, send the reminder
and the weekly digest when due, then wait for new mail or the next due time.
SIGTERM or SIGINT stop it cleanly; SIGHUP reloads the config.
With --once, run one cycle and exit (0 on success, 1 on failure); on a
terminal it ends with a one-line summary. A folder that cannot be read (a
label that does not exist, say) fails the cycle but does not stop it: the
other folders are read, what is due is sent, and 'leadup status' lists the
folder with the fix.

With --dry-run, nothing is sent, saved or recorded: leadup reads new mail
into a scratch copy of its state (removed when it exits; the next real
cycle reads that mail again), then prints the reminder, the digest and the
draft that would go out and what would be recorded. --now still acts for
real without --dry-run.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := newSyncProgress(cmd.ErrOrStderr(), g.logger).watch(cmd.Context())
			if dry {
				return runDry(ctx, g, once)
			}
			app, cfg, err := g.openApp(cmd)
			if err != nil {
				return err
			}
			if once {
				defer app.Close()
				rep, err := app.RunOnce(ctx)
				if g.tty(g.stdout) {
					r, d, nerr := app.NextTimes(ctx, g.clock.Now())
					if nerr != nil {
						g.logger.Warn("cannot tell when the reminder and the digest are next due", "err", nerr)
					}
					fmt.Fprintln(g.stdout, cycleSummary(rep, false, r, d, cfg.Location))
				}
				return err
			}
			logStart(ctx, g, app, cfg)
			// Serve owns the App from here, and those a reload makes.
			return daemon.Serve(ctx, app, daemon.ServeOptions{
				Reload: func() (*daemon.App, error) {
					cfg, err := g.loadConfig()
					if err != nil {
						return nil, err
					}
					return daemon.Open(cmd.Context(), cfg, g.logger, g.clock)
				},
			})
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "run one cycle, then exit")
	cmd.Flags().BoolVar(&dry, "dry-run", false, "send, save and record nothing: print what would go out")
	return cmd
}

// logStart logs that the daemon starts, with when the reminder and the
// digest are next due as of what is stored.
func logStart(ctx context.Context, g *globals, app *daemon.App, cfg *config.Config) {
	r, d, err := app.NextTimes(ctx, g.clock.Now())
	if err != nil {
		g.logger.Warn("cannot tell when the reminder and the digest are next due", "err", err)
	}
	g.logger.Info("leadup started", "config", cfg.File, "poll", cfg.Poll.String(),
		"next_reminder", timeOrNone(r, cfg.Location), "next_digest", timeOrNone(d, cfg.Location))
}

func timeOrNone(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "none"
	}
	return t.In(loc).Format(time.RFC3339)
}

// runDry runs dry cycles: one with once, else until stopped, printing what
// each would send.
func runDry(ctx context.Context, g *globals, once bool) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	d, err := daemon.OpenDryRun(ctx, cfg, g.logger, g.clock)
	if err != nil {
		return err
	}
	defer func() {
		if err := d.Close(); err != nil {
			g.logger.Warn("removing the dry run's copy of the state", "err", err)
		}
	}()
	show := func(rep daemon.DryReport, err error) {
		r, dg, nerr := d.App().NextTimes(ctx, g.clock.Now())
		if nerr != nil {
			g.logger.Warn("cannot tell when the reminder and the digest are next due", "err", nerr)
		}
		printDryReport(g.stdout, rep, cfg)
		fmt.Fprintln(g.stdout, cycleSummary(rep.CycleReport, true, r, dg, cfg.Location))
		if err != nil && !once {
			g.logger.Error("dry cycle failed", "err", err)
		}
	}
	if once {
		rep, err := d.RunOnce(ctx)
		show(rep, err)
		return err
	}
	return d.Serve(ctx, show)
}
