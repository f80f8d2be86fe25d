package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
)

func newDemoCmd(g *globals) *cobra.Command {
	var dir string
	var keep bool
	cmd := &cobra.Command{
		Use:   "demo [--keep | --dir DIR]",
		Short: "Run one cycle against in-process servers with a seeded mailbox and show the reminder and digest",
		Long: `Start an IMAP and an SMTP server in this process, on loopback, with a
realistic seeded mailbox (three projects, a boss who was last updated too
long ago and has asked for news), run one leadup cycle against them at a
fixed time (a Friday at 15:00, the digest slot; --now picks another), and
print the reminder and the digest leadup sent. Needs no account and no
network; nothing leaves this machine.

The demo works in a new directory under $TMPDIR and removes it when done;
--keep keeps it (its config, state and HTML digest) and prints where it is;
--dir DIR works in DIR, new or empty, and keeps it.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if keep && dir != "" {
				return usagef("--keep and --dir together: --dir keeps its directory already; give one")
			}
			if dir == "" {
				// A fresh private directory: never a shared, guessable path.
				if dir, err = os.MkdirTemp("", "leadup-demo-"); err != nil {
					return err
				}
				if !keep {
					defer func() {
						if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
							err = fmt.Errorf("remove the demo's directory: %w", rerr)
						}
					}()
				}
			} else if err := emptyDir(dir); err != nil {
				return err
			} else {
				keep = true
			}
			var now time.Time
			if g.now != "" {
				now = g.clock.Now()
			}
			res, err := daemon.RunDemo(cmd.Context(), dir, now, g.logger)
			if err != nil {
				return err
			}
			daemon.WriteDemo(g.stdout, res, keep)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "an empty or new directory for the demo's state and HTML digest, kept (default: a new one under $TMPDIR, removed)")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the demo's directory (config, state, HTML digest) instead of removing it")
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
