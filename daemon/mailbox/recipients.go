package mailbox

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// maxRecipientMessages bounds how many messages Recipients reads: the
// newest ones, enough to have written to everyone who matters.
const maxRecipientMessages = 5000

// Recipients returns the addresses (lowercased) that the messages in
// folder since the day since were addressed to, in To, Cc or Bcc, with how
// many messages went to each. It reads envelopes only, of at most the
// newest maxRecipientMessages messages, in a folder opened read-only.
func (c *Client) Recipients(ctx context.Context, folder string, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := c.guard(ctx, func(ic *imapclient.Client) error {
		if _, err := ic.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			return err
		}
		crit := &imap.SearchCriteria{}
		if !since.IsZero() {
			crit.Since = since
		}
		d, err := ic.UIDSearch(crit, nil).Wait()
		if err != nil {
			return err
		}
		uids := d.AllUIDs()
		if len(uids) == 0 {
			return nil
		}
		slices.Sort(uids)
		if len(uids) > maxRecipientMessages {
			uids = uids[len(uids)-maxRecipientMessages:]
		}
		msgs, err := ic.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{Envelope: true}).Collect()
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.Envelope == nil {
				continue
			}
			for _, list := range [][]imap.Address{m.Envelope.To, m.Envelope.Cc, m.Envelope.Bcc} {
				for _, a := range list {
					if addr := strings.ToLower(a.Addr()); addr != "" {
						out[addr]++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the recipients in %q: %w", folder, err)
	}
	return out, nil
}
