package mailbox

import (
	"context"
	"fmt"
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
func (c *Client) AppendDraft(ctx context.Context, folder string, raw []byte, date time.Time) error {
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
	// connection with no folder selected.
	err := c.guard(ctx, func(ic *imapclient.Client) error {
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
	if err != nil {
		return false, fmt.Errorf("search %q for message-id %s: %w", folder, id, err)
	}
	return found, nil
}
