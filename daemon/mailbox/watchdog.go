package mailbox

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// watchdog closes an IMAP connection when a command makes no progress for
// the command timeout, or when the context ends: go-imap's Wait would
// otherwise block forever on a silent server. Closing makes the pending
// command fail, which unblocks the caller.
type watchdog struct {
	kickc chan struct{}
	stop  chan struct{}
	done  chan struct{}

	mu    sync.Mutex
	fired error
}

func newWatchdog(ctx context.Context, ic *imapclient.Client, timeout time.Duration) *watchdog {
	w := &watchdog{kickc: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTimer(timeout)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-w.kickc:
				t.Reset(timeout)
			case <-t.C:
				w.fire(fmt.Errorf("%w: no answer within %v", ErrTimeout, timeout))
				ic.Close()
				return
			case <-ctx.Done():
				w.fire(ctx.Err())
				ic.Close()
				return
			}
		}
	}()
	return w
}

func (w *watchdog) fire(err error) {
	w.mu.Lock()
	w.fired = err
	w.mu.Unlock()
}

// kick records progress: the timeout starts again.
func (w *watchdog) kick() {
	select {
	case w.kickc <- struct{}{}:
	default:
	}
}

// end stops the watchdog and reports why it closed the connection, if it did.
func (w *watchdog) end() error {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fired
}

// guardOn runs one command on ic under a watchdog and counts it.
func (c *Client) guardOn(ctx context.Context, ic *imapclient.Client, fn func() error) error {
	c.rt.Add(1)
	w := newWatchdog(ctx, ic, c.opt.CommandTimeout)
	err := fn()
	if werr := w.end(); werr != nil {
		return werr
	}
	return err
}

// guard runs one command on the current connection, redialling first if
// that connection is known to be closed (dropped while idle between two
// cycles, or closed by a watchdog).
func (c *Client) guard(ctx context.Context, fn func(ic *imapclient.Client) error) error {
	if c.imap == nil || isClosed(c.imap) {
		if err := c.dial(ctx); err != nil {
			return err
		}
	}
	ic := c.imap
	return c.guardOn(ctx, ic, func() error { return fn(ic) })
}

func isClosed(ic *imapclient.Client) bool {
	select {
	case <-ic.Closed():
		return true
	default:
		return false
	}
}
