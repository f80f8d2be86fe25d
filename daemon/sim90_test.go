package daemon

import (
	"bytes"
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/internal/golden"
)

// memSim is the simulation against the in-process demo servers, with an
// empty mailbox the scenario fills.
type memSim struct{ e *env }

func newMemSim(t *testing.T) *memSim {
	t.Helper()
	srv, err := demo.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	for _, f := range simFolders {
		use := imap.MailboxAttr("")
		switch f {
		case "Sent":
			use = imap.MailboxAttrSent
		case "Drafts":
			use = imap.MailboxAttrDrafts
		}
		if err := srv.Create(f, use); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{t: t, srv: srv, dir: t.TempDir(), clock: clock.NewFake(simStart), extra: simCalendarYAML}
	e.edit = func(cfg string) string {
		peer := "role: peer, cadence: 4 weeks}"
		if !strings.Contains(cfg, peer) {
			t.Fatalf("the demo config has no peer line %q to add the skip-level after:\n%s", peer, cfg)
		}
		return strings.Replace(cfg, peer, peer+"\n"+simSamYAML, 1)
	}
	e.open()
	return &memSim{e: e}
}

func (m *memSim) appendMsg(t *testing.T, folder string, raw []byte, at time.Time) {
	t.Helper()
	if err := m.e.srv.Append(folder, raw, at); err != nil {
		t.Fatal(err)
	}
}

func (m *memSim) cycle(t *testing.T, now time.Time) CycleReport {
	t.Helper()
	if d := now.Sub(m.e.clock.Now()); d > 0 {
		m.e.clock.Advance(d)
	}
	return m.e.cycle()
}

func (m *memSim) delivered(t *testing.T, wait []string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, d := range m.e.srv.Delivered() {
		out = append(out, d.Data)
	}
	for _, id := range wait {
		if !hasMessageID(out, id) {
			t.Fatalf("the cycle reported %s sent, but the SMTP server has no such mail", id)
		}
	}
	return out
}

func hasMessageID(raws [][]byte, id string) bool {
	for _, raw := range raws {
		if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil && m.Header.Get("Message-Id") == "<"+id+">" {
			return true
		}
	}
	return false
}

func (m *memSim) settle(t *testing.T) {}

func (m *memSim) drafts(t *testing.T) int {
	t.Helper()
	msgs, err := m.e.srv.Messages("Drafts")
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}

func (m *memSim) app() *App { return m.e.app }

// TestSim90: 90 days of hourly cycles (all 2,160 of them) against the
// in-process servers keep leadup's timing promises, and the day-by-day log
// of what went out is testdata/sim90.txt (go test -run TestSim90 -update
// rewrites it; read it as the user would).
func TestSim90(t *testing.T) {
	if testing.Short() {
		t.Skip("90 days of cycles: not in -short")
	}
	w := newMemSim(t)
	run := runSim90(t, w, func(time.Time) bool { return true }, "every hour")
	if len(run.cycles) != simDays*24 {
		t.Fatalf("%d cycles, want %d", len(run.cycles), simDays*24)
	}
	log := checkSim90(t, run)
	t.Logf("%d cycles (%s), %d mails delivered\n%s", len(run.cycles), run.hours, len(run.mails), log)
	golden.Check(t, "sim90.txt", log)
	if _, err := w.e.app.Status(context.Background()); err != nil {
		t.Errorf("status after 90 days: %v", err)
	}
}
