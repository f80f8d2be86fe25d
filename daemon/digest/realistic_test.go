package digest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/internal/golden"
	"github.com/leadup/leadup/daemon/message"
)

// realisticInput is a week of real-shaped status mail: hard-wrapped posts
// through Mailman 2 and 3, Google Groups and Groups.io (with their footers
// and quoted reminders), an Outlook-style HTML mail and a mail with a
// status table, each parsed as the sync parses it.
func realisticInput(t *testing.T, style string) Input {
	t.Helper()
	loc := berlin(t)
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, loc)
	in := Input{Now: now, Since: now.AddDate(0, 0, -7), Loc: loc, Me: []string{"alex@example.com"}, MeName: "Alex Doe",
		BossName: "Dana Whitfield", InDrafts: true, Style: style}
	add := func(project string, daysAgo int, raw []byte) {
		m, err := message.Parse(strings.NewReader(string(raw)), message.Options{Loc: loc, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		in.Msgs = append(in.Msgs, Msg{Project: project, MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References,
			Date: now.AddDate(0, 0, -daysAgo).Add(-3 * time.Hour), FromName: m.From.Name, FromAddr: m.From.Addr,
			Subject: m.Subject, Visible: m.Visible, Snippet: m.Snippet, Automated: m.Automated})
	}
	for _, f := range []struct {
		project, file string
		daysAgo       int
	}{
		{"Ingest", "mailman2_plain_footer.eml", 2},
		{"Data platform", "google_groups_via_workspace.eml", 3},
		{"Storage", "mailman3_footer.eml", 1},
		{"OTA", "groupsio_person.eml", 4},
		{"OTA", "github_comment_notification.eml", 1},
	} {
		raw, err := os.ReadFile(filepath.Join("..", "message", "testdata", "lists", f.file))
		if err != nil {
			t.Fatal(err)
		}
		add(f.project, f.daysAgo, raw)
	}
	add("Payments", 2, []byte("From: Marco Rossi <marco@example.com>\r\nTo: payments-team@example.com\r\nSubject: Payments status\r\n"+
		"Message-ID: <pay-1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"+
		"<html><body><p>Hi all,</p><p><b>Summary:</b> the card vault migration is at risk; the PSP has not sent production credentials.</p>"+
		"<table><tr><th>Workstream</th><th>Owner</th><th>Status</th></tr>"+
		"<tr><td>Card vault migration</td><td>Priya</td><td>At risk</td></tr>"+
		"<tr><td>Refund API</td><td>Sam</td><td>On track</td></tr></table>"+
		"<p>Alex, could you raise this with Dana? A nudge at director level from our side might help.</p>"+
		"<p>Huge thanks to Jonas for the producer patches.</p><p>Marco</p></body></html>\r\n"))
	in.Projects = []Project{{Name: "Ingest"}, {Name: "Data platform"}, {Name: "Storage"}, {Name: "OTA"}, {Name: "Payments"}}
	return in
}

// The digest of a realistic week, in both styles, read whole as the boss
// would read it.
func TestRealisticGolden(t *testing.T) {
	for _, style := range []string{Detailed, Summary} {
		t.Run(style, func(t *testing.T) {
			r, err := Render(Build(realisticInput(t, style)), "")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "realistic."+style+".draft.txt", r.DraftText)
			for _, leak := range []string{"mailing list", "unsubscribe", "You received this", "> ", "wrote:", "<td", "|", "Status for the storage"} {
				if strings.Contains(r.DraftText, leak) {
					t.Errorf("the draft leaks %q", leak)
				}
			}
		})
	}
}
