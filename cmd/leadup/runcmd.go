package main

import (
	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
)

func newRunCmd(g *globals) *cobra.Command {
	var once bool
	cmd := &cobra.Command{
		Use:   "run [--once]",
		Short: "The daemon: sync, evaluate, send what is due, sleep, repeat",
		Long: `Run leadup: read new mail, decide who is due a check-in, send the reminder
and the weekly digest when due, then wait for new mail or the next due time.
SIGTERM or SIGINT stop it cleanly; SIGHUP reloads the config.
With --once, run one cycle and exit (0 on success, 1 on failure). A folder
that cannot be read (a label that does not exist, say) fails the cycle but
does not stop it: the other folders are read, what is due is sent, and
'leadup status' lists the folder with the fix.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			app, _, err := g.openApp(cmd)
			if err != nil {
				return err
			}
			if once {
				defer app.Close()
				_, err := app.RunOnce(cmd.Context())
				return err
			}
			// Serve owns the App from here, and those a reload makes.
			return daemon.Serve(cmd.Context(), app, daemon.ServeOptions{
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
	return cmd
}
