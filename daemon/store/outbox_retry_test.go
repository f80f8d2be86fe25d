package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestRetryAndDismiss(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	plan := func(key string) Outbox {
		o, _, err := s.Plan(ctx, Outbox{Key: key, Kind: OutReminder, MessageID: key + "@x", PlannedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	failed, pending := plan("a"), plan("b")
	plan("c")
	if failed.ID == 0 || failed.ID == pending.ID {
		t.Fatalf("ids %d and %d: want distinct row numbers", failed.ID, pending.ID)
	}
	if err := s.Record(ctx, "a", 3, errors.New("550 no"), StateFailed, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Record(ctx, "c", 1, nil, StateSent, at); err != nil {
		t.Fatal(err)
	}

	got, ok, err := s.OutboxByID(ctx, failed.ID)
	if err != nil || !ok || got.Key != "a" || got.State != StateFailed {
		t.Fatalf("OutboxByID(%d) = %+v, %v, %v", failed.ID, got, ok, err)
	}
	if _, ok, err := s.OutboxByID(ctx, 999); ok || err != nil {
		t.Fatalf("OutboxByID(999) = %v, %v; want not found", ok, err)
	}

	// Retry: only a failed row; it is planned again with no attempts.
	if ok, err := s.Retry(ctx, "a", "retried by hand"); !ok || err != nil {
		t.Fatalf("Retry(a) = %v, %v", ok, err)
	}
	got, _ = s.OutboxByKey(ctx, "a")
	if got.State != StatePlanned || got.Attempts != 0 || got.LastError != "retried by hand" || !got.DoneAt.IsZero() {
		t.Errorf("after Retry: %+v", got)
	}
	for _, key := range []string{"b", "c"} {
		if ok, err := s.Retry(ctx, key, "x"); ok || err != nil {
			t.Errorf("Retry(%s) = %v, %v; want nothing done", key, ok, err)
		}
	}

	// Dismiss: a pending row is failed (never sent) and dismissed; a sent
	// row stays as it is.
	later := at.Add(time.Hour)
	if ok, err := s.Dismiss(ctx, "b", "dismissed by hand", later); !ok || err != nil {
		t.Fatalf("Dismiss(b) = %v, %v", ok, err)
	}
	got, _ = s.OutboxByKey(ctx, "b")
	if got.State != StateFailed || got.LastError != "dismissed by hand" || !got.DismissedAt.Equal(later) {
		t.Errorf("after Dismiss: %+v", got)
	}
	if ok, err := s.Dismiss(ctx, "c", "x", later); ok || err != nil {
		t.Errorf("Dismiss(c) = %v, %v; a sent row is not dismissed", ok, err)
	}
	if got, _ := s.OutboxByKey(ctx, "c"); got.State != StateSent || !got.DismissedAt.IsZero() {
		t.Errorf("sent row changed: %+v", got)
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if _, _, err := s.Plan(ctx, Outbox{Key: "a", Kind: OutDigest, MessageID: "a@x", PlannedAt: time.Unix(1, 0)}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := s.SnapshotTo(ctx, path); err != nil {
		t.Fatal(err)
	}
	c, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.OutboxByKey(ctx, "a"); err != nil {
		t.Fatalf("the copy lacks the row: %v", err)
	}
	if _, _, err := c.Plan(ctx, Outbox{Key: "b", Kind: OutDigest, MessageID: "b@x", PlannedAt: time.Unix(2, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OutboxByKey(ctx, "b"); err == nil {
		t.Fatal("a row written to the copy reached the original")
	}
}
