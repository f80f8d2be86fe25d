package store

import (
	"context"
	"fmt"
	"os"
)

// SnapshotTo writes a consistent copy of the database to path (which must
// not exist yet), private like the original: a dry run works on such a
// copy, so nothing it does can reach the real state.
func (s *Store) SnapshotTo(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("copy the state database: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("make the copy of the state private: %w", err)
	}
	return nil
}
