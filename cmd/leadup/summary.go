package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon"
)

// cycleSummary is the one line `run --once` ends with on a terminal: what
// was read, the reminder and the digest (sent, or when they are next due)
// and how many problems there were. dry words it for a dry run.
func cycleSummary(rep daemon.CycleReport, dry bool, nextReminder, nextDigest time.Time, loc *time.Location) string {
	when := func(t time.Time) string { return t.In(loc).Format("Mon 2 Jan 15:04") }
	var parts []string
	read := "synced"
	if dry {
		read = "read"
	}
	parts = append(parts, fmt.Sprintf("%s %s", read, count(rep.Sync.Stored, "new message")))
	sent := "sent to you"
	if dry {
		sent = "would go to you"
	}
	switch {
	case rep.Reminder != "":
		s := "reminder " + sent
		if len(rep.ReminderFor) > 0 {
			s += " (" + strings.Join(rep.ReminderFor, ", ") + ")"
		}
		parts = append(parts, s)
	case nextReminder.IsZero():
		parts = append(parts, "no reminder due")
	case !nextReminder.After(rep.Now):
		parts = append(parts, "reminder due but not sent")
	default:
		parts = append(parts, "no reminder due before "+when(nextReminder))
	}
	switch {
	case rep.Digest != "":
		s := "digest " + sent
		if rep.Draft != "" {
			if dry {
				s += ", its draft would be saved in Drafts"
			} else {
				s += ", its draft saved in Drafts"
			}
		}
		parts = append(parts, s)
	case nextDigest.IsZero():
		parts = append(parts, "no digest scheduled")
	case !nextDigest.After(rep.Now):
		parts = append(parts, "digest due but not sent")
	default:
		parts = append(parts, "digest not due until "+when(nextDigest))
	}
	parts = append(parts, count(rep.Problems, "problem"))
	if dry {
		return "dry run: " + strings.Join(parts, "; ") + "; nothing was sent, saved or recorded"
	}
	return strings.Join(parts, "; ")
}

// count is "1 thing" or "n things".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
