package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
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
	fmt.Fprintf(w, "as of %s\n", st.Now.In(loc).Format("Mon 2 Jan 2006 15:04 MST"))
	unread := st.LastSync == nil
	printNext(w, st, loc)
	fmt.Fprintln(w)
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
		last, next := day(s.LastUpdate), day(s.NextDue)
		if unread && s.LastUpdate == nil {
			// Not "never, overdue": leadup has not looked yet.
			last, next, state = "not read yet", "-", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", s.Name, s.Role, last, days, s.Cadence, next, state, s.OpenAsks)
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
		fmt.Fprintf(w, "\nFAILED #%d %s %q after %s: %s\n", f.ID, f.Kind, f.Subject, mailer.Attempts(f.Attempts), f.Error)
		if f.Fix != "" {
			fmt.Fprintf(w, "  fix: %s\n", f.Fix)
		}
	}
	for _, f := range st.Pending {
		why := f.Error
		if why == "" {
			why = "not confirmed yet; the next cycle sends it"
		}
		fmt.Fprintf(w, "\nPENDING #%d %s %q (%s so far): %s\n", f.ID, f.Kind, f.Subject, mailer.Attempts(f.Attempts), why)
		fmt.Fprintf(w, "  `leadup outbox dismiss %d` drops it\n", f.ID)
	}
}

// printNext prints the last sync and cycle and what comes next; before the
// first sync, what to run.
func printNext(w io.Writer, st daemon.Status, loc *time.Location) {
	when := func(t *time.Time, none string) string {
		switch {
		case t == nil:
			return none
		case !t.After(st.Now):
			return "now (the next cycle sends it)"
		}
		return t.In(loc).Format("Mon 2 Jan 15:04")
	}
	if st.LastSync == nil {
		fmt.Fprintln(w, "\nleadup has not read your mailbox yet: run `leadup run --once` to read it and send what is due")
		fmt.Fprintln(w, "(`leadup run --once --dry-run` first shows what it would send, sending nothing).")
	} else {
		last := "last sync " + st.LastSync.In(loc).Format("Mon 2 Jan 15:04")
		if c := st.LastCycle; c != nil {
			last += "; last cycle " + c.At.In(loc).Format("Mon 2 Jan 15:04")
			if c.OK {
				last += ": ok"
			} else if c.Error != nil {
				last += ": FAILED: " + firstLine(*c.Error)
			}
		}
		fmt.Fprintln(w, last)
	}
	fmt.Fprintf(w, "next reminder check: %s; next digest: %s\n", when(st.NextReminder, "none due within a year"), when(st.NextDigest, "no schedule"))
}

func firstLine(s string) string {
	if l, _, cut := strings.Cut(s, "\n"); cut {
		return l + " …"
	}
	return s
}
