package mailbox

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/leadup/leadup/daemon/store"
)

// TestSyncFetchesInWindows: a folder is read in FETCH commands of at most
// FetchWindow messages, on the first sync (SEARCH SINCE gave the UIDs) and
// on a later one (UIDs from the cursor on); every message is stored once,
// and Progress counts across the windows, reaching done == total only at
// the folder's end.
func TestSyncFetchesInWindows(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	add := func(from, to int) {
		for i := from; i < to; i++ {
			d := day0.Add(time.Duration(i) * time.Minute)
			fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("w%d@example.com", i), "Bob Lee <bob@example.com>",
				"apollo-team@example.com", fmt.Sprintf("Apollo %d", i), d, "All good."), d)
		}
	}
	add(0, 23)
	fx.opt.FetchWindow = 5
	fx.so.Folders = fx.so.Folders[2:]
	fx.so.FirstSyncSince = day0.AddDate(0, 0, -1)
	type call struct{ done, total int }
	var calls []call
	fx.so.Progress = func(folder string, done, total int) { calls = append(calls, call{done, total}) }

	check := func(what string, n, wantFetches int, before int64) {
		t.Helper()
		msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range msgs {
			seen[m.MessageID] = true
		}
		if len(msgs) != n || len(seen) != n {
			t.Errorf("%s: stored %d messages (%d distinct), want %d once each", what, len(msgs), len(seen), n)
		}
		if got := fx.ms.fetches.Load() - before; got != int64(wantFetches) {
			t.Errorf("%s: %d FETCH commands, want %d (windows of 5)", what, got, wantFetches)
		}
		for i, c := range calls {
			if i > 0 && c.done < calls[i-1].done {
				t.Errorf("%s: progress went back: %v", what, calls)
			}
			if c.done == c.total && c.done < calls[len(calls)-1].done {
				t.Errorf("%s: progress said done (%d of %d) before the last window: %v", what, c.done, c.total, calls)
				break
			}
		}
	}

	before := fx.ms.fetches.Load()
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil {
		t.Fatal(err)
	}
	check("first sync", 23, 5, before)
	if last := calls[len(calls)-1]; last != (call{23, 23}) {
		t.Errorf("first sync: progress ended at %v, want 23 of 23", last)
	}

	calls = nil
	add(23, 35)
	before = fx.ms.fetches.Load()
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil {
		t.Fatal(err)
	}
	// UIDs 24..35 from the cursor: 24-28, 29-33, 34:*.
	check("later sync", 35, 3, before)
	if last := calls[len(calls)-1]; last != (call{12, 12}) {
		t.Errorf("later sync: progress ended at %v, want 12 of 12", last)
	}
}

func TestWindows(t *testing.T) {
	str := func(ws []imap.UIDSet) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.String())
		}
		return out
	}
	for _, tc := range []struct {
		from, top uint32
		n         int
		want      []string
	}{
		{1, 0, 10, []string{"1:*"}},
		{1, 9, 10, []string{"1:*"}},
		{1, 10, 10, []string{"1:*"}},
		{1, 11, 10, []string{"1:10", "11:*"}},
		{5, 27, 10, []string{"5:14", "15:24", "25:*"}},
		// near the top of the UID space: no overflow
		{4294967290, 4294967295, 3, []string{"4294967290:4294967292", "4294967293:*"}},
	} {
		got := str(rangeWindows(tc.from, tc.top, tc.n))
		if !slices.Equal(got, tc.want) {
			t.Errorf("rangeWindows(%d, %d, %d) = %v, want %v", tc.from, tc.top, tc.n, got, tc.want)
		}
	}
	got := str(uidWindows([]imap.UID{2, 3, 4, 9, 10, 11, 12}, 3))
	if want := []string{"2:4", "9:11", "12"}; !slices.Equal(got, want) {
		t.Errorf("uidWindows = %v, want %v", got, want)
	}
}

// TestBulkSyncRestoresGCPercent: a first sync of bulkGC messages or more
// runs with the collector at bulkGCPercent and puts the program's setting
// back when it ends.
func TestBulkSyncRestoresGCPercent(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	for i := range bulkGC {
		d := day0.Add(time.Duration(i) * time.Second)
		fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("b%d@example.com", i), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", "Apollo", d, "All good."), d)
	}
	fx.so.Folders = fx.so.Folders[2:]
	var during int
	fx.so.Progress = func(string, int, int) {
		if during == 0 {
			during = debug.SetGCPercent(-1)
			debug.SetGCPercent(during)
		}
	}
	old := debug.SetGCPercent(73)
	defer debug.SetGCPercent(old)
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil {
		t.Fatal(err)
	}
	if during != bulkGCPercent {
		t.Errorf("GC percent during the bulk sync = %d, want %d", during, bulkGCPercent)
	}
	if got := debug.SetGCPercent(73); got != 73 {
		t.Errorf("GC percent after the sync = %d, want the program's 73 back", got)
	}
}
