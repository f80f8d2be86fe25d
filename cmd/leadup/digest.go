package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon/digest"
)

func newDigestCmd(g *globals) *cobra.Command {
	var htmlFile string
	var send bool
	cmd := &cobra.Command{
		Use:   "digest [--html FILE] [--send]",
		Short: "Render the digest that would go out now; --send sends it now",
		Long: `Print the weekly draft update that would go out now (use --now to pick the
week) as text. New mail is read first when the server is reachable; otherwise
the digest is built from what leadup already stored. --html also writes the
HTML version to FILE; --send sends it to you now (and saves the draft for
digest.draft_for in Drafts).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			app, cfg, err := g.openApp(cmd)
			if err != nil {
				return err
			}
			defer app.Close()
			var r digest.Rendered
			if send {
				r, err = app.SendDigestNow(cmd.Context())
				if err != nil {
					return err
				}
			} else {
				if err := app.Refresh(cmd.Context()); err != nil {
					g.logger.Warn("could not read new mail; the digest shows what was stored before", "err", err)
				}
				if r, err = app.PreviewDigest(cmd.Context()); err != nil {
					return err
				}
			}
			fmt.Fprintf(g.stdout, "Subject: %s\n\n%s", r.Subject, r.Text)
			if htmlFile != "" {
				html := r.HTML
				if len(r.Chart) > 0 {
					// In a mail the chart is an inline part (cid:); beside a
					// file it is a file, so a browser shows it.
					chart := strings.TrimSuffix(htmlFile, filepath.Ext(htmlFile)) + "-chart.png"
					if err := os.WriteFile(chart, r.Chart, 0o600); err != nil {
						return fmt.Errorf("write the chart beside --html: %w", err)
					}
					html = digest.StandaloneHTML(html, r.ChartCID, filepath.Base(chart))
				}
				if err := os.WriteFile(htmlFile, []byte(html), 0o600); err != nil {
					return fmt.Errorf("write --html file: %w", err)
				}
				g.logger.Info("wrote the HTML digest", "file", htmlFile)
			}
			if send {
				g.logger.Info("digest sent", "to", cfg.Digest.To)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&htmlFile, "html", "", "also write the HTML digest to this file")
	cmd.Flags().BoolVar(&send, "send", false, "send the digest now")
	return cmd
}
