package store

import (
	"context"
	"fmt"
	"time"
)

// LastSynced is the newest time a folder's cursor was saved (zero when
// nothing was ever read). A folder with nothing new keeps its older time,
// so the daemon records its own last sync too (MetaLastSync).
func (s *Store) LastSynced(ctx context.Context) (time.Time, error) {
	var v int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(synced_at), 0) FROM cursors`).Scan(&v); err != nil {
		return time.Time{}, fmt.Errorf("read the last sync: %w", err)
	}
	return fromUnix(v), nil
}

// Keys of what the last cycle did, for status in another process.
const (
	// MetaLastSync is when a cycle last read the mailbox (RFC 3339).
	MetaLastSync = "last_sync"
	// MetaLastCycle is the last cycle's outcome, as JSON (the daemon's
	// CycleResult).
	MetaLastCycle = "last_cycle"
)

// SetTime records t under key, replacing what was there.
func (s *Store) SetTime(ctx context.Context, key string, t time.Time) error {
	return s.SetText(ctx, key, t.UTC().Format(time.RFC3339))
}
