package mailbox

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

// A sync fetches every header field message.Parse reads, and nothing
// else: a field left out of the FETCH is one Parse never sees.
func TestFetchAsksForEveryFieldParseReads(t *testing.T) {
	fo := fetchOptions(1 << 10)
	got := fo.BodySection[0].HeaderFields
	want := message.HeaderFields()
	if !slices.EqualFunc(got, want, strings.EqualFold) {
		t.Fatalf("the FETCH asks for %v, Parse reads %v", got, want)
	}
}

// What machine mail and list mail say in their headers reaches the store
// through a real sync, as Parse reads it from a whole message: a
// tracker's notification and a list's bulk mail are automated, and a
// post through Google Groups is its author's.
func TestSyncReadsMachineAndListHeaders(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	mails := []struct {
		id, extra, from string
		automated       bool
		fromAddr        string
	}{
		{"gh@example.com", "X-GitHub-Reason: mention\n", "Priya Raman <priya@example.org>", true, "priya@example.org"},
		{"jira@example.com", "X-JIRA-FingerPrint: 0d9c\n", "Priya Raman <priya@example.org>", true, "priya@example.org"},
		{"bulk@example.com", "List-Unsubscribe: <https://example.org/u>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n", "Priya Raman <priya@example.org>", true, "priya@example.org"},
		{"admin@example.com", "X-List-Administrivia: yes\n", "Priya Raman <priya@example.org>", true, "priya@example.org"},
		{"groups@example.com", "X-Original-From: Priya Raman <priya@example.org>\n", "'Priya Raman' via Eng Leads <eng-leads@example.org>", false, "priya@example.org"},
		{"person@example.com", "", "Priya Raman <priya@example.org>", false, "priya@example.org"},
	}
	for i, m := range mails {
		d := day0.Add(time.Duration(i) * time.Minute)
		raw := plainMail(m.id, m.from, "team@example.com", fmt.Sprintf("Apollo %d", i), d, "Moved 3 of 40 queues; on track for Friday.")
		raw = strings.Replace(raw, "MIME-Version: 1.0\n", "MIME-Version: 1.0\n"+m.extra, 1)
		fx.ms.add(t, "Status/Apollo", raw, d)
		want, err := message.Parse(strings.NewReader(raw), message.Options{})
		if err != nil || want.Automated != m.automated || want.From.Addr != m.fromAddr {
			t.Fatalf("Parse of %s: automated %v from %q (%v); the test expects %v %q", m.id, want.Automated, want.From.Addr, err, m.automated, m.fromAddr)
		}
	}
	fx.so.Folders = []Folder{{Name: "Status/Apollo", Kind: store.KindProject, Project: "Apollo"}}
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil {
		t.Fatal(err)
	}
	stored, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(mails) {
		t.Fatalf("%d messages stored, want %d", len(stored), len(mails))
	}
	for _, m := range mails {
		i := slices.IndexFunc(stored, func(s store.Message) bool { return s.MessageID == m.id })
		if i < 0 {
			t.Fatalf("%s not stored", m.id)
		}
		if s := stored[i]; s.Automated != m.automated || s.FromAddr != m.fromAddr {
			t.Errorf("%s stored as automated %v from %q, want %v from %q", m.id, s.Automated, s.FromAddr, m.automated, m.fromAddr)
		}
	}
}
