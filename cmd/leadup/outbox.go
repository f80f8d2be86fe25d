package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
)

func newOutboxCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "Retry or dismiss a failed or pending mail that status lists",
		Long: `Act on a mail leadup could not send or save, by the number 'leadup status'
shows for it (FAILED #3, PENDING #4; "id" in status --json).

  leadup outbox retry ID     make a failed mail pending again: the next cycle
                             sends it, first looking for it in your mailbox by
                             its Message-ID, so it never goes out twice
  leadup outbox dismiss ID   stop listing a failed mail; a pending one is
                             not sent`,
		Args: cobra.NoArgs,
	}
	act := func(name, short string, do func(*daemon.App, *cobra.Command, int64) (daemon.OutboxDone, error), did string) *cobra.Command {
		return &cobra.Command{
			Use:   name + " ID",
			Short: short,
			Args: func(cmd *cobra.Command, args []string) error {
				if len(args) != 1 {
					return usagef("leadup outbox %s takes one ID, the number status shows (FAILED #3: leadup outbox %s 3)", name, name)
				}
				return nil
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
				if err != nil || id <= 0 {
					return usagef("outbox %s %q: give the number status shows for the mail (FAILED #3: leadup outbox %s 3)", name, args[0], name)
				}
				app, _, err := g.openApp(cmd)
				if err != nil {
					return err
				}
				defer app.Close()
				done, err := do(app, cmd, id)
				var oe *daemon.OutboxError
				if errors.As(err, &oe) {
					return usagef("%s", oe.Msg)
				}
				if err != nil {
					return err
				}
				for _, r := range done.Rows {
					fmt.Fprintf(g.stdout, "%s #%d (%s %q): %s\n", did, r.ID, r.Kind, r.Subject, done.Note)
				}
				return nil
			},
		}
	}
	cmd.AddCommand(
		act("retry", "Make a failed mail pending again: the next cycle sends it",
			func(a *daemon.App, c *cobra.Command, id int64) (daemon.OutboxDone, error) {
				return a.RetryOutbox(c.Context(), id)
			}, "retrying"),
		act("dismiss", "Stop listing a failed mail (a pending one is not sent)",
			func(a *daemon.App, c *cobra.Command, id int64) (daemon.OutboxDone, error) {
				return a.DismissOutbox(c.Context(), id)
			}, "dismissed"),
	)
	return cmd
}
