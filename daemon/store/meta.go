package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// MetaFirstCycle is the key of when leadup first ran a cycle.
const MetaFirstCycle = "first_cycle"

// SetTimeOnce records t under key unless a value is already there, and
// returns the value that is kept.
func (s *Store) SetTimeOnce(ctx context.Context, key string, t time.Time) (time.Time, error) {
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)`, key, t.UTC().Format(time.RFC3339)); err != nil {
		return time.Time{}, fmt.Errorf("record %s: %w", key, err)
	}
	v, _, err := s.Time(ctx, key)
	return v, err
}

// Time returns the time recorded under key.
func (s *Store) Time(ctx context.Context, key string) (time.Time, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read %s: %w", key, err)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read %s: %w", key, err)
	}
	return t, true, nil
}
