package daemon

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/store"
)

// coversOf reads what a sent digest covered.
func (e *env) coversOf(key string) digestCovers {
	e.t.Helper()
	row, err := e.app.st.OutboxByKey(context.Background(), key)
	if err != nil {
		e.t.Fatal(err)
	}
	var c digestCovers
	if err := json.Unmarshal([]byte(row.Covers), &c); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// A digest sent by hand on Tuesday does not move the period: Friday's
// digest still covers the whole week since the last scheduled one.
func TestManualDigestDoesNotMoveThePeriod(t *testing.T) {
	tuesday := demo.Now.AddDate(0, 0, -3) // Tue 17 Nov 15:00
	e := newEnv(t, tuesday)
	e.cycle()
	if _, err := e.app.SendDigestNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.at(demo.Now) // Friday 15:00
	rep := e.cycle()
	if rep.Digest == "" {
		t.Fatalf("no digest at the Friday slot: %+v", rep)
	}
	c := e.coversOf(rep.Digest)
	if want := demo.Now.AddDate(0, 0, -7); !c.Since.Equal(want) {
		t.Errorf("Friday's digest covers from %s, want the lookback %s (the manual send on Tuesday must not shrink it)", c.Since, want)
	}
}

// A fresh install whose first cycle comes minutes (or hours, within 12)
// after the slot sends that slot's digest; one whose first cycle comes
// days later waits for the next slot.
func TestFirstInstallGrace(t *testing.T) {
	for _, tc := range []struct {
		name  string
		first time.Time
		want  bool
	}{
		{"five minutes after", demo.Now.Add(5 * time.Minute), true},
		{"eight hours after", demo.Now.Add(8 * time.Hour), true},
		{"three days after", demo.Now.AddDate(0, 0, 3).Add(-6 * time.Hour), false}, // Mon 09:00
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.first)
			if rep := e.cycle(); (rep.Digest != "") != tc.want {
				t.Errorf("first cycle at %s: digest %q, want sent=%v", tc.first, rep.Digest, tc.want)
			}
		})
	}
}

// A slot on a holiday moves to the next workday at the same time, and
// none goes out inside an away range.
func TestDigestSlotOnADayOff(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-48*time.Hour)) // Wed 15:00
	e.extra = "holidays: [2026-11-20]\n"        // Friday
	e.open()
	e.cycle()
	e.at(demo.Now.Add(time.Minute)) // the holiday, 15:01
	if rep := e.cycle(); rep.Digest != "" {
		t.Fatalf("a digest went out on the holiday: %+v", rep)
	}
	if next := e.app.NextDigest(demo.Now); !next.Equal(demo.Now.AddDate(0, 0, 3)) {
		t.Errorf("next digest after the holiday: %s, want Monday 15:00", next)
	}
	e.at(demo.Now.AddDate(0, 0, 3).Add(-time.Hour)) // Mon 14:00
	if rep := e.cycle(); rep.Digest != "" {
		t.Fatalf("Monday 14:00: the moved digest went out before its time: %+v", rep)
	}
	e.at(demo.Now.AddDate(0, 0, 3).Add(time.Minute)) // Mon 15:01
	rep := e.cycle()
	if !strings.Contains(rep.Digest, "2026-11-23T15:00:00") {
		t.Fatalf("Monday 15:01: digest %q, want the moved slot of Mon 23 Nov 15:00", rep.Digest)
	}

	away := newEnv(t, demo.Now.Add(-48*time.Hour))
	away.extra = "away: [{from: 2026-11-19, to: 2026-11-24}]\n"
	away.open()
	away.cycle()
	for _, at := range []time.Time{demo.Now.Add(time.Minute), demo.Now.AddDate(0, 0, 3).Add(time.Minute), demo.Now.AddDate(0, 0, 4).Add(time.Minute)} {
		away.at(at)
		if rep := away.cycle(); rep.Digest != "" {
			t.Fatalf("%s, inside the away range: a digest went out: %+v", at, rep)
		}
	}
	away.at(demo.Now.AddDate(0, 0, 5).Add(time.Minute)) // Wed 25 Nov 15:01, back
	if rep := away.cycle(); rep.Digest == "" {
		t.Errorf("the first workday after the away range: no digest")
	}
	if n := len(away.sent("digest")); n != 1 {
		t.Errorf("%d digests after the away range, want 1", n)
	}
}

// `leadup digest` is a preview: the note says the draft would be saved.
func TestPreviewSaysWouldBeSaved(t *testing.T) {
	e := newEnv(t, demo.Now)
	e.syncOnly()
	r, err := e.app.PreviewDigest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "would be saved in your Drafts folder") || strings.Contains(r.Text, "is waiting in your Drafts") {
		t.Errorf("the preview's note:\n%.600s", r.Text)
	}
	rows, _ := e.app.st.OutboxList(context.Background(), "", "")
	for _, row := range rows {
		if row.Kind == store.OutDigest || row.Kind == store.OutDraft {
			t.Errorf("a preview recorded %s", row.Key)
		}
	}
}

// at moves the env's clock to t.
func (e *env) at(t time.Time) { e.clock.Advance(t.Sub(e.clock.Now())) }
