package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/mailer"
)

func newStatusCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [--json]",
		Short: "Per stakeholder: last update, next due, overdue, open asks; per project: messages and health",
		Long:  "Show what leadup knows from its state (run `leadup run --once` first to read new mail). Never shows a secret.",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			app, cfg, err := g.openApp(cmd)
			if err != nil {
				return err
			}
			defer app.Close()
			st, err := app.Status(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			printStatus(g.stdout, st, cfg.Location)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func printStatus(w io.Writer, st daemon.Status, loc *time.Location) {
	day := func(t *time.Time) string {
		if t == nil {
			return "never"
		}
		return t.In(loc).Format("Mon 2 Jan 15:04")
	}
	fmt.Fprintf(w, "as of %s\n\n", st.Now.In(loc).Format("Mon 2 Jan 2006 15:04 MST"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAKEHOLDER\tROLE\tLAST UPDATE\tDAYS\tCADENCE\tNEXT DUE\tSTATE\tASKS")
	for _, s := range st.Stakeholders {
		days := "-"
		if s.DaysSince != nil {
			days = fmt.Sprint(*s.DaysSince)
		}
		state := s.Level
		if s.Overdue {
			state += " (overdue)"
		}
		if s.Paused != nil {
			state = "paused until " + s.Paused.In(loc).Format("2 Jan")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", s.Name, s.Role, day(s.LastUpdate), days, s.Cadence, day(s.NextDue), state, s.OpenAsks)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROJECT\tLABEL\tMESSAGES\tLAST STATUS\tHEALTH")
	for _, p := range st.Projects {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", p.Name, p.Label, p.Messages, day(p.LastStatus), p.Health)
	}
	tw.Flush()
	for _, f := range st.Folders {
		what := fmt.Sprintf("%q", f.Name)
		if f.Project != "" {
			what += " (project " + f.Project + ")"
		}
		fmt.Fprintf(w, "\nFOLDER %s not read since %s: %s\n  fix: %s\n", what, day(&f.Since), f.Error, f.Fix)
	}
	for _, f := range st.Failed {
		fmt.Fprintf(w, "\nFAILED %s %q after %s: %s\n", f.Kind, f.Subject, mailer.Attempts(f.Attempts), f.Error)
		if f.Fix != "" {
			fmt.Fprintf(w, "  fix: %s\n", f.Fix)
		}
	}
	for _, f := range st.Pending {
		why := f.Error
		if why == "" {
			why = "not confirmed yet; the next cycle sends it"
		}
		fmt.Fprintf(w, "\nPENDING %s %q (%s so far): %s\n", f.Kind, f.Subject, mailer.Attempts(f.Attempts), why)
	}
}
