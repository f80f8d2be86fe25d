package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

func newRemindCmd(g *globals) *cobra.Command {
	var htmlFile string
	cmd := &cobra.Command{
		Use:   "remind [--html FILE]",
		Short: "Print the reminder that would go out now, sending nothing",
		Long: `Print the check-in reminder that would go out now (use --now to pick the
time) as text, sending and recording nothing, as 'leadup digest' shows the
digest. New mail is read first when the server is reachable; otherwise the
reminder is built from what leadup already stored. When none is due now, it
shows the next one, at the next reminder check, as it would read if no mail
came in before. --html FILE also writes the HTML version to FILE; --html -
prints only the HTML, on stdout.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if htmlFile != "-" && strings.HasPrefix(htmlFile, "-") {
				return usagef("--html %s looks like a flag: give --html a file name, or - for stdout", htmlFile)
			}
			app, cfg, err := g.openApp(cmd)
			if err != nil {
				return err
			}
			defer app.Close()
			refreshForPreview(cmd, g, app, "reminder")
			p, err := app.PreviewReminder(cmd.Context())
			if err != nil {
				return err
			}
			if p.None {
				fmt.Fprintln(g.stdout, "No reminder is due within the next year: everyone is within their cadence, or paused.")
				return nil
			}
			if htmlFile == "-" {
				_, err := io.WriteString(g.stdout, p.HTML)
				return err
			}
			if !p.Due {
				fmt.Fprintf(g.stdout, "No reminder is due now. The next goes out at the check on %s; if no mail comes in before, it reads:\n\n",
					p.At.In(cfg.Location).Format("Mon 2 Jan 15:04"))
			}
			fmt.Fprintf(g.stdout, "Subject: %s\n\n%s", p.Subject, p.Text)
			if htmlFile != "" {
				if err := os.WriteFile(htmlFile, []byte(p.HTML), 0o600); err != nil {
					return fmt.Errorf("write --html file: %w", err)
				}
				g.logger.Info("wrote the HTML reminder", "file", htmlFile)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&htmlFile, "html", "", "also write the HTML reminder to this file (- prints only the HTML, to stdout)")
	return cmd
}
