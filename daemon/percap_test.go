package daemon

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/nudge"
	"github.com/leadup/leadup/daemon/store"
)

// TestNewsAndDigestReadAtMostPerProject: a label far busier than any
// reader needs (perProject+25 messages in the last days) costs a reminder
// and a digest perProject messages of it, the newest, and the oldest one
// read is marked, so the reminder's count says "at least"; a quiet
// project beside it is read whole.
func TestNewsAndDigestReadAtMostPerProject(t *testing.T) {
	e := newEnv(t, demo.Now)
	ctx := context.Background()
	now := e.clock.Now()
	busy, quiet := demo.Projects[0], demo.Projects[1]
	var msgs []store.Message
	add := func(p struct{ Name, Label string }, n int) {
		for i := range n {
			msgs = append(msgs, store.Message{Folder: p.Label, Kind: store.KindProject, Project: p.Name, UIDValidity: 1, UID: uint32(i + 1),
				MessageID: fmt.Sprintf("%s-%d@example.com", p.Name, i), Date: now.Add(-time.Duration(i+1) * 10 * time.Minute),
				FromName: "Bob Lee", FromAddr: "bob@example.com", Subject: fmt.Sprintf("%s status %d", p.Name, i),
				Snippet: "All on track.", Visible: "All on track.", Health: "green"})
		}
	}
	add(busy, perProject+25)
	add(quiet, 3)
	for _, label := range []string{busy.Label, quiet.Label} {
		var mine []store.Message
		for _, m := range msgs {
			if m.Folder == label {
				mine = append(mine, m)
			}
		}
		if _, err := e.app.st.SaveMessages(ctx, store.Cursor{Folder: label, UIDValidity: 1, LastUID: uint32(len(mine))}, mine); err != nil {
			t.Fatal(err)
		}
	}

	in := nudge.Input{Now: now}
	if err := e.app.addNews(ctx, &in); err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	var cut []nudge.News
	for i, n := range in.News {
		per[n.Project]++
		if n.Cut {
			cut = append(cut, n)
		}
		if i > 0 && n.At.Before(in.News[i-1].At) {
			t.Fatalf("news not oldest first at %d", i)
		}
	}
	if per[busy.Name] != perProject || per[quiet.Name] != 3 {
		t.Errorf("news read per project = %v, want %d of %s and all 3 of %s", per, perProject, busy.Name, quiet.Name)
	}
	// The oldest read is the 300th newest: "status 299".
	if len(cut) != 1 || cut[0].Subject != fmt.Sprintf("%s status %d", busy.Name, perProject-1) {
		t.Errorf("cut = %+v, want one mark, on %q", cut, fmt.Sprintf("%s status %d", busy.Name, perProject-1))
	}

	din, err := e.app.digestInput(ctx, now, now.AddDate(0, 0, -7))
	if err != nil {
		t.Fatal(err)
	}
	per = map[string]int{}
	for _, m := range din.Msgs {
		per[m.Project]++
	}
	if per[busy.Name] != perProject || per[quiet.Name] != 3 {
		t.Errorf("digest read per project = %v, want %d of %s and all 3 of %s", per, perProject, busy.Name, quiet.Name)
	}
}
