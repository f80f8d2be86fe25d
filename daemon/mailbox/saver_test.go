package mailbox

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/store"
)

func saverMsgs(from, to uint32) []store.Message {
	var ms []store.Message
	for uid := from; uid <= to; uid++ {
		ms = append(ms, store.Message{
			Folder: "Status/Apollo", Kind: store.KindProject, Project: "Apollo", UIDValidity: 1, UID: uid,
			MessageID: fmt.Sprintf("m%d@example.com", uid), Date: day0, InternalDate: day0, Subject: fmt.Sprintf("Apollo %d", uid),
		})
	}
	return ms
}

// The saver stores batches in the order put, each with its cursor, and a
// batch handed back for reuse is empty.
func TestSaverStoresInOrder(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var stored atomic.Int32
	sv := newSaver(ctx, st, 10, func(n int) { stored.Add(int32(n)) }, func(err error) { t.Errorf("save failed: %v", err) })
	batch := sv.take()
	cur := store.Cursor{Folder: "Status/Apollo", UIDValidity: 1}
	for i := range uint32(6) {
		batch = append(batch, saverMsgs(i*10+1, i*10+10)...)
		cur.LastUID = i*10 + 10
		batch = sv.put(cur, batch)
		if len(batch) != 0 {
			t.Fatalf("put handed back a batch of %d messages, want an empty one", len(batch))
		}
	}
	if err := sv.wait(); err != nil {
		t.Fatal(err)
	}
	if got := stored.Load(); got != 60 {
		t.Errorf("saved reported %d messages, want 60", got)
	}
	got, _, err := st.Cursor(ctx, "Status/Apollo")
	if err != nil {
		t.Fatal(err)
	}
	if got.LastUID != 60 {
		t.Errorf("cursor at %d after the last batch, want 60", got.LastUID)
	}
	if n := count(t, st, store.Filter{Kind: store.KindProject}); n != 60 {
		t.Errorf("%d messages stored, want 60", n)
	}
}

// After a failed save the saver stores nothing more, calls onErr once, and
// wait returns the error; put never blocks for good.
func TestSaverStopsAtFirstError(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	var errs atomic.Int32
	sv := newSaver(ctx, st, 10, func(int) {}, func(error) { errs.Add(1) })
	st.Close() // every save fails
	done := make(chan error, 1)
	go func() {
		batch := sv.take()
		cur := store.Cursor{Folder: "Status/Apollo", UIDValidity: 1}
		for i := range uint32(5) {
			batch = append(batch, saverMsgs(i*10+1, i*10+10)...)
			cur.LastUID = i*10 + 10
			batch = sv.put(cur, batch)
		}
		done <- sv.wait()
	}()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the saver hangs after a failed save")
	}
	if err == nil {
		t.Fatal("wait returned no error after saves into a closed store")
	}
	if n := errs.Load(); n != 1 {
		t.Errorf("onErr called %d times, want once", n)
	}
}
