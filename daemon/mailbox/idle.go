package mailbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

var errNoIdle = errors.New("imap server does not support IDLE")

// Idle waits on folder (opened read-only) for new mail and sends on wake,
// without blocking, whenever the server reports a new message count, so
// the daemon can sync early instead of waiting for its poll. Watch uses it
// on the Inbox where the server lacks NOTIFY. It re-issues
// IDLE every Options.IdleRestart, below the timeouts of providers and NAT
// boxes. It returns nil when ctx ends, and an error when the connection
// fails; the caller then redials (or falls back to polling).
//
// The Client is busy while Idle runs: sync with another Client.
func (c *Client) Idle(ctx context.Context, folder string, wake chan<- struct{}) error {
	// The check runs inside the guard: it may have just (re)dialled, and
	// only then are the capabilities known.
	err := c.guard(ctx, func(ic *imapclient.Client) error {
		if caps := ic.Caps(); !caps.Has(imap.CapIdle) && !caps.Has(imap.CapIMAP4rev2) {
			return errNoIdle
		}
		_, err := ic.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	})
	if errors.Is(err, errNoIdle) {
		return err
	}
	if err != nil {
		return fmt.Errorf("examine %q: %w", folder, err)
	}
	c.wake.Store(&wake)
	defer c.wake.Store(nil)
	ic := c.imap
	for {
		var idle *imapclient.IdleCommand
		err := c.guardOn(ctx, ic, func() error {
			var err error
			idle, err = ic.Idle()
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("idle on %q: %w", folder, err)
		}
		t := time.NewTimer(c.opt.IdleRestart)
		var closed bool
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-ic.Closed():
			closed = true
		}
		t.Stop()
		if closed {
			return fmt.Errorf("idle on %q: %w", folder, errClosed)
		}
		// DONE, then wait for the server's OK; bounded even if ctx ended.
		err = c.guardOn(context.WithoutCancel(ctx), ic, func() error {
			if err := idle.Close(); err != nil {
				return err
			}
			return idle.Wait()
		})
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("idle on %q: %w", folder, err)
		}
	}
}
