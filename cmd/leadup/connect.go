package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/config"
)

// checkConnect logs in to IMAP and SMTP and reports the folders found.
func checkConnect(cmd *cobra.Command, g *globals, cfg *config.Config) error {
	app := daemon.New(cfg, nil, g.logger, g.clock)
	res, err := app.CheckConnect(cmd.Context())
	if res.IMAP {
		fmt.Fprintf(g.stdout, "imap %s:%d: logged in as %s\n", cfg.IMAP.Host, cfg.IMAP.Port, cfg.IMAP.Username)
		fmt.Fprintf(g.stdout, "  folders (%d): %s\n  sent:    %s\n  drafts:  %s\n", len(res.Found.All), strings.Join(res.Found.All, ", "), orNone(res.Found.Sent), orNone(res.Found.Drafts))
		for _, p := range cfg.Projects {
			fmt.Fprintf(g.stdout, "  project %s: %s\n", p.Name, p.Label)
		}
	}
	if res.SMTP {
		fmt.Fprintf(g.stdout, "smtp %s:%d: logged in as %s\n", cfg.SMTP.Host, cfg.SMTP.Port, cfg.SMTP.Username)
	}
	return err
}

func orNone(s string) string {
	if s == "" {
		return "(none found)"
	}
	return s
}
