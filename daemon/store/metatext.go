package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// MetaFolderProblems is the key of the folders the last sync could not
// read, as JSON (the daemon's FolderProblem list), so `leadup status` in
// another process can show them.
const MetaFolderProblems = "folder_problems"

// SetText records value under key, replacing what was there; "" removes
// the key.
func (s *Store) SetText(ctx context.Context, key, value string) error {
	var err error
	if value == "" {
		_, err = s.db.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, key)
	} else {
		_, err = s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	}
	if err != nil {
		return fmt.Errorf("record %s: %w", key, err)
	}
	return nil
}

// Text returns the value recorded under key; ok is false when there is none.
func (s *Store) Text(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", key, err)
	}
	return value, true, nil
}
