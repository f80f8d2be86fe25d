package mailbox

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/store"
)

// storeDump renders every stored message, one line each in folder and UID
// order, with what later stages read from it: two stores are equal message
// for message when their dumps are.
func storeDump(t testing.TB, st *store.Store) []string {
	t.Helper()
	msgs, err := st.Messages(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		slices.Sort(m.Flags) // the server's order is not part of the message
		out = append(out, fmt.Sprintf("%s/%d id=%q from=%q to=%v cc=%v subject=%q date=%s flags=%v ask=%v health=%s text=%q",
			m.Folder, m.UID, m.MessageID, m.FromAddr, m.To, m.Cc, m.Subject, m.Date.UTC().Format(time.RFC3339), m.Flags, m.Ask, m.Health, m.Visible))
	}
	slices.Sort(out)
	return out
}

// diffDumps names the first lines that differ, for a readable failure.
func diffDumps(want, got []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "\n  missing: %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "\n  extra:   %s", g)
		}
	}
	return b.String()
}

// A connection cut at any byte of a first sync loses nothing: the sync
// that follows (the next cycle) leaves the store equal to a clean sync's,
// message for message. Before, a cut after a message's UID but before its
// body sections stored it empty and moved the cursor past it for good.
func TestSyncCutAtEveryOffsetLosesNothing(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	fx.seed(t)
	fx.so.KeepInbox = nil
	clean := func() *store.Store {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	ref := clean()
	if _, err := Sync(ctx, fx.opt, ref, fx.so); err != nil {
		t.Fatal(err)
	}
	want := storeDump(t, ref)
	if len(want) != 11 {
		t.Fatalf("the clean sync stored %d messages, want the 11 seeded", len(want))
	}

	proxy := e2e.NewCutProxy(t, fx.ms.addr)
	opt := fx.opt
	opt.Host, opt.Port = "127.0.0.1", portOf(t, proxy.Addr)
	opt.Retries = 3
	opt.Logger = slog.New(slog.DiscardHandler)
	// A prime step lands on every kind of boundary of the FETCH responses.
	sweepCuts(t, proxy, opt, fx.so, clean, want, 31, 100)
}

// sweepCuts cuts the connection after 0, step, 2·step … bytes of a whole
// first sync into a fresh store from newStore, until a sync passes the
// cut point without being cut. After each cut the next sync must succeed
// and leave the store equal to want, message for message; at least min
// offsets must have been tried.
func sweepCuts(t *testing.T, proxy *e2e.CutProxy, opt Options, so SyncOptions, newStore func() *store.Store, want []string, step int64, min int) {
	t.Helper()
	ctx := context.Background()
	tried, last := 0, int64(0)
	for off := int64(0); ; off += step {
		st := newStore()
		before := proxy.Cuts()
		proxy.CutAfter(off)
		_, _ = Sync(ctx, opt, st, so) // the cut cycle may fail; it must not lose
		if proxy.Cuts() == before {
			proxy.Cut() // past the end of a whole sync: disarm and stop
			break
		}
		tried, last = tried+1, off
		if _, err := Sync(ctx, opt, st, so); err != nil {
			t.Fatalf("cut after %d bytes: the next sync failed: %v", off, err)
		}
		if got := storeDump(t, st); !slices.Equal(got, want) {
			t.Fatalf("cut after %d bytes: the store differs from a clean sync's:%s", off, diffDumps(want, got))
		}
	}
	if tried < min {
		t.Fatalf("only %d cut offsets were tried (last %d): the sweep did not cover a whole sync", tried, last)
	}
	t.Logf("%d cut offsets up to byte %d, each converged", tried, last)
}

func portOf(t testing.TB, addr string) int {
	t.Helper()
	_, p, _ := strings.Cut(addr, ":")
	var n int
	if _, err := fmt.Sscan(p, &n); err != nil {
		t.Fatalf("port of %q: %v", addr, err)
	}
	return n
}
