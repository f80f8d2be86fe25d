package mailbox

import (
	"context"
	"sync"

	"github.com/leadup/leadup/daemon/store"
)

// saver stores a fetch's batches on a goroutine of its own, so SQLite's
// commits (and the WAL checkpoints some of them run) overlap the parsing
// and the stream instead of stopping both: with the collector saving
// inline, every full batch held the pipeline, and the reader with it,
// until its transaction was on disk.
//
// The batches are stored one at a time in the order they were put, each
// with the cursor of its last message, so the cursor on disk still never
// runs ahead of the messages stored. At most one batch waits while another
// is being stored: memory stays bounded. After the first error nothing more
// is stored; onErr is called once, on the saver's goroutine, to stop the
// stream.
type saver struct {
	st    *store.Store
	ctx   context.Context
	onErr func(error)
	saved func(n int) // after each stored batch, on the saver's goroutine

	jobs chan saveJob
	free chan []store.Message // batches stored, for reuse
	done chan struct{}

	mu  sync.Mutex
	err error
}

type saveJob struct {
	cur   store.Cursor
	batch []store.Message
}

func newSaver(ctx context.Context, st *store.Store, size int, saved func(n int), onErr func(error)) *saver {
	s := &saver{
		st: st, ctx: ctx, onErr: onErr, saved: saved,
		jobs: make(chan saveJob, 1),
		free: make(chan []store.Message, 2),
		done: make(chan struct{}),
	}
	for range cap(s.free) {
		s.free <- make([]store.Message, 0, size)
	}
	go s.run()
	return s
}

func (s *saver) run() {
	defer close(s.done)
	for j := range s.jobs {
		if s.failed() == nil {
			n, err := s.st.SaveMessages(s.ctx, j.cur, j.batch)
			if err != nil {
				s.mu.Lock()
				s.err = err
				s.mu.Unlock()
				s.onErr(err)
			} else {
				s.saved(n)
			}
		}
		clear(j.batch) // drop the messages' text before the batch waits for reuse
		s.free <- j.batch[:0]
	}
}

// take returns the first empty batch to fill.
func (s *saver) take() []store.Message { return <-s.free }

// put hands a batch and the cursor after it to the saver and returns an
// empty batch to fill next; it waits while a batch is already waiting.
func (s *saver) put(cur store.Cursor, batch []store.Message) []store.Message {
	s.jobs <- saveJob{cur: cur, batch: batch}
	return <-s.free
}

// failed is the first error of a save, if any.
func (s *saver) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// wait stores what was put and returns the first error.
func (s *saver) wait() error {
	close(s.jobs)
	<-s.done
	return s.failed()
}
