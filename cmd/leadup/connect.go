package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/config"
	"github.com/leadup/leadup/daemon/store"
)

// checkConnect logs in to IMAP and SMTP, reports the folders found and
// opens each folder a cycle reads. Whatever worked is shown even when
// something failed; each problem comes with its fix.
func checkConnect(cmd *cobra.Command, g *globals, cfg *config.Config) error {
	app := daemon.New(cfg, nil, g.logger, g.clock)
	res, err := app.CheckConnect(cmd.Context())
	w := g.stdout
	if res.IMAP {
		fmt.Fprintf(w, "imap %s:%d: logged in as %s\n", cfg.IMAP.Host, cfg.IMAP.Port, cfg.IMAP.Username)
	}
	if res.Listed {
		checks := map[string]daemon.FolderCheck{}
		for _, f := range res.Folders {
			if f.Kind != store.KindProject {
				checks[f.Kind] = f
			}
		}
		fmt.Fprintf(w, "  folders (%d): %s\n", len(res.Found.All), strings.Join(res.Found.All, ", "))
		fmt.Fprintf(w, "  sent:    %s%s\n", orNone(res.Found.Sent), opened(checks[store.KindSent]))
		fmt.Fprintf(w, "  drafts:  %s%s\n", orNone(res.Found.Drafts), opened(checks[daemon.KindDrafts]))
		if in, ok := checks[store.KindInbox]; ok {
			fmt.Fprintf(w, "  inbox:   %s%s\n", in.Name, opened(in))
		}
		for _, f := range res.Folders {
			if f.Kind == store.KindProject {
				fmt.Fprintf(w, "  project %s: %s%s\n", f.Project, f.Name, opened(f))
			}
		}
	}
	if res.Listed && res.Found.Sent != "" {
		checkStakeholderAddresses(cmd, g, app)
	}
	if res.SMTP {
		fmt.Fprintf(w, "smtp %s:%d: logged in as %s\n", cfg.SMTP.Host, cfg.SMTP.Port, cfg.SMTP.Username)
	}
	return err
}

// checkStakeholderAddresses warns about each stakeholder address no mail
// in Sent went to (a typo, most likely), naming the nearest address the
// user did write to. A warning: someone new may not have been written to
// yet, so it does not fail the check.
func checkStakeholderAddresses(cmd *cobra.Command, g *globals, app *daemon.App) {
	never, err := app.CheckRecipients(cmd.Context())
	if err != nil {
		g.logger.Warn("could not read whom your sent mail went to; stakeholder addresses not checked", "err", err)
		return
	}
	for _, n := range never {
		fmt.Fprintf(g.stdout, "  warning: %s\n", n)
	}
}

// opened says how opening a folder went: its size, or the problem and the
// fix on a line of their own.
func opened(f daemon.FolderCheck) string {
	switch {
	case f.Name == "":
		return ""
	case f.Problem != nil:
		return fmt.Sprintf(": NOT READABLE: %s\n    fix: %s", f.Problem.Error, f.Problem.Fix)
	case f.Messages == 1:
		return " (opened read-only, 1 message)"
	}
	return fmt.Sprintf(" (opened read-only, %d messages)", f.Messages)
}

func orNone(s string) string {
	if s == "" {
		return "(none found)"
	}
	return s
}
