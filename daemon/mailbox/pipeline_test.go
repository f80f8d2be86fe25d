package mailbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

// The pipeline hands results back in submission order whatever order the
// workers finish in, and never holds more than its depth.
func TestPipelineKeepsOrderAndBound(t *testing.T) {
	const n, depth = 3000, 8
	var submitted, sunk, peak atomic.Int64
	var got []int
	p := newPipeline(3, depth,
		func(i int) int {
			if rand.IntN(4) == 0 {
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			}
			return i * 2
		},
		func(i, out int) {
			if out != i*2 {
				t.Errorf("result %d for %d", out, i)
			}
			got = append(got, i)
			sunk.Add(1)
		})
	for i := range n {
		p.submit(i)
		if d := submitted.Add(1) - sunk.Load(); d > peak.Load() {
			peak.Store(d)
		}
	}
	p.close()
	if len(got) != n {
		t.Fatalf("%d results, want %d", len(got), n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("result %d is for item %d: order lost", i, v)
		}
	}
	// order's buffer, the job the collector holds and the one being submitted.
	if pk := peak.Load(); pk > depth+2 {
		t.Errorf("%d items in flight, want at most %d", pk, depth+2)
	}
}

// A store that fails in the middle of a first sync stops the stream
// without hanging, and what was stored is a prefix: the cursor never
// passes a message that is not in the store.
func TestSyncStoreFailureMidStream(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	const n = 60
	for i := range n {
		d := day0.Add(time.Duration(i) * time.Minute)
		fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("m%d@example.com", i), "Bob Lee <bob@example.com>",
			"team@example.com", fmt.Sprintf("Apollo %d", i), d, "Moved 3 of 40 queues."), d)
	}
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	fx.opt.Batch = 7
	so := fx.so
	so.Folders = []Folder{{Name: "Status/Apollo", Kind: store.KindProject, Project: "Apollo"}}
	// The store closes while message 30 is parsed, once the first batch is
	// stored: parsers run ahead of the saver, so a count of parse calls
	// alone could close it before anything was written.
	var closed atomic.Bool
	so.parse = func(r io.Reader, o message.Options) (*message.Message, error) {
		raw, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		if isSubject(raw, "Apollo 30") && !closed.Swap(true) {
			deadline := time.Now().Add(time.Minute)
			for {
				cur, _, err := st.Cursor(ctx, "Status/Apollo")
				if err == nil && cur.LastUID > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Error("no batch stored a minute after message 30 was fetched")
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			st.Close() // the next batch write fails
		}
		return message.Parse(bytes.NewReader(raw), o)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Sync(ctx, fx.opt, st, so)
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("sync hangs after the store failed")
	}
	if err == nil {
		t.Fatal("sync with a closed store reported no error")
	}
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cur, _, err := st.Cursor(ctx, "Status/Apollo")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	if cur.LastUID == 0 || cur.LastUID >= n {
		t.Errorf("cursor at %d: want some batches stored, not all", cur.LastUID)
	}
	if len(msgs) != int(cur.LastUID) {
		t.Errorf("%d messages stored with the cursor at UID %d: the stored part must be the prefix the cursor covers", len(msgs), cur.LastUID)
	}
	// The rest is read on the next sync.
	so.parse = nil
	if _, err := Sync(ctx, fx.opt, st, so); err != nil {
		t.Fatal(err)
	}
	if got := count(t, st, store.Filter{Kind: store.KindProject}); got != n {
		t.Errorf("after a second sync %d messages stored, want %d", got, n)
	}
}

// isSubject reports whether raw has the header line "Subject: subject",
// with either line ending.
func isSubject(raw []byte, subject string) bool {
	line := "Subject: " + subject
	return bytes.Contains(raw, []byte(line+"\r\n")) || bytes.Contains(raw, []byte(line+"\n"))
}
