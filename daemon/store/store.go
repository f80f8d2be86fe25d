// Package store is leadup's embedded state: the messages it has read, the
// per-folder sync cursors, updates given to stakeholders, pauses, handled
// replies and the outbox. It is one SQLite file (modernc.org/sqlite, pure
// Go) in WAL mode, created 0600, with numbered migrations tracked by
// PRAGMA user_version.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed schema/*.sql
var schemaFS embed.FS

// ErrNewerSchema is returned by Open when the database was written by a newer
// leadup: opening it could corrupt what that version stored.
var ErrNewerSchema = errors.New("state database was written by a newer leadup")

// Store is the state database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string

	mu   sync.Mutex
	save saveStatements // SaveMessages' statements, prepared on first use
}

// DefaultPath returns $XDG_STATE_HOME/leadup/state.db, falling back to
// ~/.local/state/leadup/state.db.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the state directory: %w (set state: in the config or $XDG_STATE_HOME)", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "leadup", "state.db"), nil
}

// Open opens (creating if needed) the database at path and migrates it to the
// current schema. The directory is created 0700 and the file 0600.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create state directory: %w", err)
	}
	// Create the file ourselves so it is private from the first byte;
	// SQLite would create it with the umask.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open state database: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("make state database private: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// A 1 MiB page cache, not SQLite's 2 MB: modernc's allocator gives
	// each 4 KiB page (and its header) an 8 KiB slot, so the default held
	// 4 MB of a first sync's resident memory. A sync's inserts touch a few
	// dozen pages a batch (the table's last page, each index's path) and
	// the status queries read through the OS's cache either way.
	q.Add("_pragma", "cache_size(-1024)")
	q.Set("_txlock", "immediate")
	// A URL, so a path with "?", "#" or "%" in it stays a path.
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open state database: %w", err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// WAL and SHM files are created by SQLite with the umask: tighten them.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Chmod(path+suffix, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("make state database private: %w", err)
		}
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	s.save.close()
	s.mu.Unlock()
	return s.db.Close()
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// migrations returns the embedded migrations in order; file N is named
// NNNN_description.sql and moves the schema from version N-1 to N.
func migrations() ([]string, error) {
	entries, err := fs.ReadDir(schemaFS, "schema")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var out []string
	for i, n := range names {
		v, err := strconv.Atoi(strings.SplitN(n, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s is out of sequence: want number %d", n, i+1)
		}
		b, err := schemaFS.ReadFile("schema/" + n)
		if err != nil {
			return nil, err
		}
		out = append(out, string(b))
	}
	return out, nil
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int {
	m, _ := migrations()
	return len(m)
}

func (s *Store) migrate(ctx context.Context) error {
	migs, err := migrations()
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate state database: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migs) {
		return fmt.Errorf("%w (schema %d, this build knows %d): upgrade leadup or point state: at another file", ErrNewerSchema, v, len(migs))
	}
	for i := v; i < len(migs); i++ {
		if _, err := tx.ExecContext(ctx, migs[i]); err != nil {
			return fmt.Errorf("migrate state database to version %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migs))); err != nil {
		return fmt.Errorf("record schema version: %w", err)
	}
	return tx.Commit()
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

func joinList(xs []string) string { return strings.Join(xs, ",") }
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
