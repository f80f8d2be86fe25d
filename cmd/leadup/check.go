package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCheckCmd(g *globals) *cobra.Command {
	var connect bool
	cmd := &cobra.Command{
		Use:   "check [--connect]",
		Short: "Validate the config; with --connect, log in to IMAP and SMTP and find the folders",
		Long: `Validate the config file and list every problem at once, one per line,
each naming its key and the fix. Exit status 2 when the config is invalid.
Password commands and files are tried: their output is never shown, not
even what a failing command writes to stderr; run the command by hand to
see why it fails.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.loadConfig()
			if err != nil {
				return err
			}
			warnings, err := cfg.ResolveSecrets(cmd.Context())
			for _, w := range warnings {
				g.logger.Warn(w)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%s: ok (%d stakeholders, %d projects, time zone %s)\n", cfg.File, len(cfg.Stakeholders), len(cfg.Projects), cfg.Location)
			if connect {
				return checkConnect(cmd, g, cfg)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&connect, "connect", false, "also log in to IMAP and SMTP and find the Sent, Drafts and project folders")
	return cmd
}
