package daemon

import (
	"context"
	"fmt"
	"sort"

	"github.com/agnivade/levenshtein"

	"github.com/leadup/leadup/daemon/mailbox"
)

// NeverWritten is a stakeholder address no mail in Sent went to: a typo
// in the config, or someone the user has not written to yet.
type NeverWritten struct {
	Name, Email string
	// Closest is the address the user did write to that is nearest to
	// Email (by edit distance), "" when none is near enough to be the one
	// meant; Messages is how many sent mails went to it.
	Closest  string
	Messages int
}

// String is the warning check --connect prints.
func (n NeverWritten) String() string {
	s := fmt.Sprintf("stakeholder %s <%s>: no mail to this address in Sent within the year leadup reads", n.Name, n.Email)
	if n.Closest != "" {
		return s + fmt.Sprintf("; a typo? you wrote to %s (%s)", n.Closest, countOf(n.Messages, "message"))
	}
	return s + "; check the address (or write to them: leadup counts mail from then on)"
}

func countOf(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// CheckRecipients logs in to IMAP and reads the recipients of the mail in
// Sent of the last year (the span a first sync reads), changing nothing,
// and returns the stakeholders none of it went to, each with the nearest
// address that some of it did go to.
func (a *App) CheckRecipients(ctx context.Context) ([]NeverWritten, error) {
	c, err := mailbox.Dial(ctx, a.mailboxOptions())
	if err != nil {
		return nil, fmt.Errorf("imap %s: %w", a.cfg.IMAP.Host, err)
	}
	defer c.Close()
	found, err := c.Discover(ctx, a.cfg.IMAP.SentFolder, a.cfg.IMAP.DraftsFolder, nil)
	if found.Sent == "" {
		if err == nil {
			err = fmt.Errorf("no Sent folder found: set imap.sent_folder")
		}
		return nil, err
	}
	got, err := c.Recipients(ctx, found.Sent, a.clock.Now().AddDate(-1, 0, 0))
	if err != nil {
		return nil, err
	}
	return neverWritten(a, got), nil
}

// neverWritten compares the stakeholders with the addresses written to.
func neverWritten(a *App, got map[string]int) []NeverWritten {
	var written []string
	for addr := range got {
		if !a.isMe(addr) {
			written = append(written, addr)
		}
	}
	sort.Strings(written)
	var out []NeverWritten
	for _, s := range a.cfg.Stakeholders {
		if got[s.Email] > 0 {
			continue
		}
		n := NeverWritten{Name: s.Name, Email: s.Email}
		best := -1
		for _, w := range written {
			d := levenshtein.ComputeDistance(s.Email, w)
			if best < 0 || d < best {
				best, n.Closest = d, w
			}
		}
		// A typo is a few letters: an address further off is someone else.
		if best < 0 || best > max(2, len(s.Email)/5) {
			n.Closest = ""
		} else {
			n.Messages = got[n.Closest]
		}
		out = append(out, n)
	}
	return out
}
