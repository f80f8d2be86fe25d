package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
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
the digest is built from what leadup already stored. --html FILE also writes
the HTML version to FILE, with its chart beside it as FILE-chart.png (the
name without .html); --html - prints only the HTML, on stdout, with the chart
embedded in it. --send sends it to you now (and saves the draft for
digest.draft_for in Drafts).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if htmlFile != "-" && strings.HasPrefix(htmlFile, "-") {
				// pflag takes the next word as the value: --html --send.
				return usagef("--html %s looks like a flag: give --html a file name, or - for stdout", htmlFile)
			}
			app, cfg, err := g.openApp(cmd)
			if err != nil {
				return err
			}
			defer app.Close()
			var r digest.Rendered
			var failedFolders error
			if send {
				r, err = app.SendDigestNow(cmd.Context())
				if fe, ok := err.(*daemon.FolderError); ok {
					// Sent without what these folders hold: say so after
					// the digest, and exit 1.
					defer func() {
						g.logger.Warn("the digest was sent without the folders that could not be read", "problems", fe.Error())
					}()
					err, failedFolders = nil, fe
				}
				if err != nil {
					return err
				}
			} else {
				refreshForPreview(cmd, g, app, "digest")
				if r, err = app.PreviewDigest(cmd.Context()); err != nil {
					return err
				}
			}
			if htmlFile == "-" {
				// Only the HTML, so that it can be piped or redirected.
				_, err := io.WriteString(g.stdout, embeddedChartHTML(r))
				return err
			}
			fmt.Fprintf(g.stdout, "Subject: %s\n\n%s", r.Subject, r.Text)
			if htmlFile != "" {
				if err := writeHTMLFile(htmlFile, r); err != nil {
					return err
				}
				g.logger.Info("wrote the HTML digest", "file", htmlFile)
			}
			if send {
				fmt.Fprintf(g.stdout, "\nSent to %s.\n", cfg.Digest.To)
			}
			return failedFolders
		},
	}
	cmd.Flags().StringVar(&htmlFile, "html", "", "also write the HTML digest to this file (- prints only the HTML, to stdout)")
	cmd.Flags().BoolVar(&send, "send", false, "send the digest now")
	return cmd
}

// refreshForPreview reads new mail before a preview (what is the reminder
// or digest); when it cannot, the preview shows what was stored, and the
// log says which folders (or all) are stale.
func refreshForPreview(cmd *cobra.Command, g *globals, app *daemon.App, what string) {
	err := app.Refresh(cmd.Context())
	if err == nil {
		return
	}
	var fe *daemon.FolderError
	if !errors.As(err, &fe) {
		g.logger.Warn("could not read new mail; the "+what+" shows what was stored before", "err", err)
		return
	}
	// The other folders were read: only these are stale.
	for _, p := range fe.Problems {
		g.logger.Warn("a folder could not be read; the "+what+" shows what was stored from it before", "folder", p.String())
	}
}

// embeddedChartHTML is the digest's HTML with its chart in it, as a data:
// URL: one self-contained page, for --html -.
func embeddedChartHTML(r digest.Rendered) string {
	if len(r.Chart) == 0 {
		return r.HTML
	}
	return digest.StandaloneHTML(r.HTML, r.ChartCID, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(r.Chart))
}

// writeHTMLFile writes the digest's HTML to path and its chart beside it,
// as path without .html plus -chart.png, which the page shows: in a mail
// the chart is an inline part (cid:), which a browser cannot open.
func writeHTMLFile(path string, r digest.Rendered) error {
	html := r.HTML
	if len(r.Chart) > 0 {
		chart := strings.TrimSuffix(path, filepath.Ext(path)) + "-chart.png"
		if err := os.WriteFile(chart, r.Chart, 0o600); err != nil {
			return fmt.Errorf("write the chart beside --html: %w", err)
		}
		html = digest.StandaloneHTML(html, r.ChartCID, filepath.Base(chart))
	}
	if err := os.WriteFile(path, []byte(html), 0o600); err != nil {
		return fmt.Errorf("write --html file: %w", err)
	}
	return nil
}
