package mailbox

import (
	"context"
	"fmt"
	"testing"
)

// TestSyncProgress: Progress sees every message of a folder counted up to
// about the folder's size, then done == total at its end; the context's
// hook is used when the options set none; a sync with nothing new calls
// nothing.
func TestSyncProgress(t *testing.T) {
	fx := newFixture(t)
	fx.seed(t)
	type call struct {
		folder      string
		done, total int
	}
	var calls []call
	record := func(folder string, done, total int) { calls = append(calls, call{folder, done, total}) }
	ctx := WithProgress(context.Background(), record)
	fx.so.FirstSyncSince = day0.AddDate(0, 0, -1)
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"Sent": 5, "INBOX": 3, "Status/Apollo": 3}
	last := map[string]call{}
	for _, c := range calls {
		if prev, ok := last[c.folder]; ok && c.done < prev.done {
			t.Errorf("%s: done went back from %d to %d", c.folder, prev.done, c.done)
		}
		if c.done > c.total {
			t.Errorf("%s: done %d above total %d", c.folder, c.done, c.total)
		}
		if c.total != want[c.folder] {
			t.Errorf("%s: total %d, want %d (the folder's messages)", c.folder, c.total, want[c.folder])
		}
		last[c.folder] = c
	}
	for f, n := range want {
		if got := last[f]; got.done != n || got.total != n {
			t.Errorf("%s ended at %d of %d, want %d of %d", f, got.done, got.total, n, n)
		}
	}

	// Incremental: the options' own Progress wins; only the new mail.
	calls = nil
	var own []call
	fx.so.Progress = func(folder string, done, total int) { own = append(own, call{folder, done, total}) }
	for i := range 2 {
		d := day0.AddDate(0, 0, 5+i)
		fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("apollo-late-%d@example.com", i), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", "Apollo news", d, "All good."), d)
	}
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 0 {
		t.Errorf("the context's hook was called although the options set one: %v", calls)
	}
	if len(own) == 0 || own[len(own)-1] != (call{"Status/Apollo", 2, 2}) {
		t.Errorf("incremental progress = %v, want it to end at Status/Apollo 2 of 2", own)
	}
	for _, c := range own {
		if c.folder != "Status/Apollo" {
			t.Errorf("progress for %s, which had nothing new", c.folder)
		}
	}
}
