package mailbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// AppendDraft saves raw (a complete RFC 5322 message with CRLF line ends)
// to folder with the \Draft and \Seen flags. It is the package's only write
// to the mailbox. APPEND needs the exact size up front, hence the bytes.
//
// APPEND is not idempotent: after an error the draft may or may not be
// there. Callers check with HasMessageID before trying again.
//
// When the connection has folder open (HasMessageID just looked in it),
// AppendDraft leaves it first: Courier refuses an APPEND into the mailbox
// the same connection has open with EXAMINE ("NO Current box is selected
// READ-ONLY.").
func (c *Client) AppendDraft(ctx context.Context, folder string, raw []byte, date time.Time) error {
	if err := c.leave(ctx, folder); err != nil {
		return fmt.Errorf("append draft to %q: close the folder first: %w", folder, err)
	}
	err := c.guard(ctx, func(ic *imapclient.Client) error {
		cmd := ic.Append(folder, int64(len(raw)), &imap.AppendOptions{
			Flags: []imap.Flag{imap.FlagDraft, imap.FlagSeen},
			Time:  date,
		})
		if _, err := cmd.Write(raw); err != nil {
			cmd.Close()
			return err
		}
		if err := cmd.Close(); err != nil {
			return err
		}
		_, err := cmd.Wait()
		return err
	})
	if err != nil {
		return fmt.Errorf("append draft to %q: %w", folder, err)
	}
	return nil
}

// leave makes sure the connection does not have folder open: with
// UNSELECT where the server offers it (RFC 3691, part of IMAP4rev2), else
// by logging out, so that the next command runs on a fresh connection on
// which nothing is open.
//
// CLOSE would also leave the folder, and after EXAMINE it expunges nothing
// by RFC 3501 6.4.2; but to a server that does not honour that rule it is
// an EXPUNGE (go-imap's own imapserver expunges on CLOSE after EXAMINE), and
// this package never sends one. A fresh login costs one round trip a
// draft; Courier, the server without UNSELECT that needs this, pays it.
func (c *Client) leave(ctx context.Context, folder string) error {
	if c.imap == nil || isClosed(c.imap) {
		return nil // the next command redials: nothing is open there
	}
	ic := c.imap
	if mb := ic.Mailbox(); mb == nil || !sameFolder(mb.Name, folder) {
		return nil
	}
	if caps := ic.Caps(); caps.Has(imap.CapUnselect) || caps.Has(imap.CapIMAP4rev2) {
		err := c.guard(ctx, func(ic *imapclient.Client) error { return ic.Unselect().Wait() })
		var ie *imap.Error
		if err == nil || !errors.As(err, &ie) {
			return err
		}
		// The server offers UNSELECT and refuses it: start afresh.
	}
	c.Close() // best effort: a logout that fails leaves a closed connection all the same
	return nil
}

// sameFolder says whether two names are the same folder: exactly, and
// INBOX in any case (RFC 3501 5.1).
func sameFolder(a, b string) bool {
	return a == b || (strings.EqualFold(a, "INBOX") && strings.EqualFold(b, "INBOX"))
}

// HasMessageID reports whether folder holds a message with that Message-ID
// (angle brackets included or not). It opens the folder read-only; the
// daemon uses it to make saving a draft idempotent.
func (c *Client) HasMessageID(ctx context.Context, folder, messageID string) (bool, error) {
	id := messageID
	if len(id) > 0 && id[0] != '<' {
		id = "<" + id + ">"
	}
	var found bool
	// One guard for both commands: a redial between them would search a
	// connection with no folder selected. The search changes nothing, so
	// a connection that breaks under it is dropped and the search made
	// once more on a fresh one (a server that hangs up every few commands
	// must not make a draft or a resend wait for the next cycle).
	var err error
	for try := 0; try < 2; try++ {
		if try > 0 && c.imap != nil {
			c.imap.Close()
		}
		err = c.guard(ctx, func(ic *imapclient.Client) error {
			if _, err := ic.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
				return err
			}
			d, err := ic.UIDSearch(&imap.SearchCriteria{
				Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}},
			}, nil).Wait()
			if err != nil {
				return err
			}
			found = len(d.AllUIDs()) > 0
			return nil
		})
		if !Retryable(err) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return false, fmt.Errorf("search %q for message-id %s: %w", folder, id, err)
	}
	return found, nil
}
