package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/config"
)

// printDryReport prints what a dry cycle would have sent and recorded.
func printDryReport(w io.Writer, rep daemon.DryReport, cfg *config.Config) {
	loc := cfg.Location
	rule := strings.Repeat("─", 72)
	fmt.Fprintf(w, "DRY RUN as of %s: nothing is sent, saved or recorded.\n", rep.Now.In(loc).Format("Mon 2 Jan 2006 15:04 MST"))
	fmt.Fprintf(w, "Read %s (into a scratch copy of the state, removed at exit: the next real cycle reads them again).\n",
		count(rep.Sync.Fetched, "message"))
	var record []string
	for _, m := range rep.Mail {
		fmt.Fprintf(w, "\n%s\n%s\n%s\n", rule, dryHeading(m), rule)
		if m.Dropped != "" {
			fmt.Fprintf(w, "Subject: %s\n", m.Subject)
			record = append(record, fmt.Sprintf("%s %s dropped", m.Kind, m.Key))
			continue
		}
		fmt.Fprintf(w, "Subject: %s\n\n%s\n", m.Subject, strings.TrimRight(m.Text, "\n"))
		if m.Draft {
			record = append(record, fmt.Sprintf("draft %s saved", m.Key))
		} else {
			record = append(record, fmt.Sprintf("%s %s sent", m.Kind, m.Key))
		}
	}
	if len(rep.Mail) == 0 {
		fmt.Fprintln(w, "\nNothing would go out now.")
	}
	if rep.Replies > 0 {
		record = append(record, count(rep.Replies, "reply to a reminder")+" applied")
	}
	if rep.Updates > 0 {
		record = append(record, count(rep.Updates, "update")+" from Sent")
	}
	for _, f := range rep.Folders {
		fmt.Fprintf(w, "\nFOLDER %s not read: %s\n  fix: %s\n", f.Name, f.Error, f.Fix)
	}
	fmt.Fprintln(w)
	if len(record) > 0 {
		fmt.Fprintf(w, "Would record: %s.\n", strings.Join(record, "; "))
	} else {
		fmt.Fprintln(w, "Would record nothing.")
	}
}

// dryHeading says what would happen to a mail.
func dryHeading(m daemon.DryMail) string {
	what := strings.ToUpper(m.Kind)
	switch m.Kind {
	case "reply-help":
		what = "THE ANSWER TO YOUR REPLY"
	case "reminder", "digest", "draft":
		what = "THE " + what
	}
	switch {
	case m.Dropped != "":
		return fmt.Sprintf("PENDING %s #%d would be dropped, not sent: %s", strings.ToLower(m.Kind), m.ID, m.Dropped)
	case m.Resumed:
		return fmt.Sprintf("PENDING %s #%d (planned earlier, not confirmed) would be sent to %s, unless found already delivered", strings.ToLower(m.Kind), m.ID, m.To)
	case m.Draft:
		return fmt.Sprintf("%s that would be saved in Drafts, addressed to %s", what, m.To)
	}
	return fmt.Sprintf("%s that would go to %s", what, m.To)
}
