package main

import (
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
)

func newDemoCmd(g *globals) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run one cycle against in-process servers with a seeded mailbox and show the reminder and digest",
		Long: `Start an IMAP and an SMTP server in this process, on loopback, with a
realistic seeded mailbox (three projects, a boss who was last updated too
long ago and has asked for news), run one leadup cycle against them at a
fixed time (a Friday at 15:00, the digest slot; --now picks another), and
print the reminder and the digest leadup sent. Needs no account and no
network; nothing leaves this machine.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if dir == "" {
				// A fresh private directory: never a shared, guessable path.
				if dir, err = os.MkdirTemp("", "leadup-demo-"); err != nil {
					return err
				}
			} else if err := emptyDir(dir); err != nil {
				return err
			}
			var now time.Time
			if g.now != "" {
				now = g.clock.Now()
			}
			log := g.logger
			if !cmd.Flags().Changed("log-level") {
				// The demo's output is the reminder and the digest; the
				// cycle's own log lines only on request.
				log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
			}
			res, err := daemon.RunDemo(cmd.Context(), dir, now, log)
			if err != nil {
				return err
			}
			daemon.WriteDemo(g.stdout, res)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "an empty or new directory for the demo's state and HTML digest (default: a new one under $TMPDIR)")
	return cmd
}

// emptyDir makes dir if needed and refuses one that holds anything: the demo
// writes a config, a state and an HTML file there and must clobber nothing.
func emptyDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return usagef("--dir %s is not empty: give a new or empty directory", dir)
	}
	return nil
}
