package mailbox

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Lookup finds a configured folder name among the folders Discover listed:
// exactly, else case-insensitively, as Discover checks the labels. The name
// returned is the server's spelling.
func (f Found) Lookup(name string) (string, bool) { return lookup(f.All, name) }

// ReadAs returns the folder a sync opens for a configured name: the
// server's folder that Lookup finds, except when the two differ only in
// case, when it is the name as written. A server whose folder names ignore
// case opens it; one that minds refuses, and the refusal can name the
// folder meant, rather than leadup silently reading another folder than
// the one configured. The name as written is also returned when Lookup
// finds nothing.
func (f Found) ReadAs(name string) string {
	got, ok := f.Lookup(name)
	if !ok || strings.EqualFold(got, name) {
		return name
	}
	return got
}

// Closest returns up to n of names, the likeliest meant by want first (a
// label typed without its parent, then by edit distance): the suggestion
// for a folder that does not exist.
func Closest(want string, names []string, n int) []string { return closest(want, names, n) }

// Connected reports whether c still holds a logged-in connection. After a
// failed Sync it tells a folder the server refused (still connected) from
// a connection that could not be restored (not).
func (c *Client) Connected() bool { return c.imap != nil && !isClosed(c.imap) }

// Examine opens folder read-only, as Sync does, and returns how many
// messages it holds: `leadup check --connect` proves every folder a cycle
// reads can be opened.
func (c *Client) Examine(ctx context.Context, folder string) (uint32, error) {
	var n uint32
	err := c.guard(ctx, func(ic *imapclient.Client) error {
		sel, err := ic.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return err
		}
		n = sel.NumMessages
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("examine %q: %w", folder, err)
	}
	return n, nil
}

// NonExistent reports whether err is the server saying a folder does not
// exist (the NONEXISTENT response code, RFC 5530), rather than refusing to
// open one that does.
func NonExistent(err error) bool {
	var ie *imap.Error
	return errors.As(err, &ie) && ie.Code == imap.ResponseCodeNonExistent
}

// Refused reports whether err carries the server's NO or BAD answer to a
// command, as opposed to a broken connection or a local failure.
func Refused(err error) bool {
	var ie *imap.Error
	return errors.As(err, &ie)
}
