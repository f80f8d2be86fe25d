package mailbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Known names, tried in order when no folder carries the special-use
// attribute. Gmail localises its system folders; a "INBOX." or "INBOX/"
// prefix (Courier, some Dovecot setups) is also accepted.
var (
	sentNames = []string{
		"[Gmail]/Sent Mail", "[Google Mail]/Sent Mail",
		"[Gmail]/Gesendet", "[Google Mail]/Gesendet",
		"[Gmail]/Messages envoyés", "[Gmail]/Enviados", "[Gmail]/Posta inviata",
		"[Gmail]/Verzonden berichten", "[Gmail]/Wysłane", "[Gmail]/Skickat",
		"[Gmail]/Enviadas", "[Gmail]/Odeslaná pošta", "[Gmail]/送信済みメール",
		"Sent Items", "Sent Messages", "Sent", "Sent Mail",
		"Gesendete Elemente", "Gesendete Objekte", "Gesendet",
		"Éléments envoyés", "Elementos enviados", "Posta inviata", "Verzonden items",
	}
	draftsNames = []string{
		"[Gmail]/Drafts", "[Google Mail]/Drafts",
		"[Gmail]/Entwürfe", "[Google Mail]/Entwürfe", "[Gmail]/Brouillons",
		"[Gmail]/Borradores", "[Gmail]/Bozze", "[Gmail]/Concepten", "[Gmail]/Wersje robocze",
		"[Gmail]/Utkast", "[Gmail]/Rascunhos", "[Gmail]/下書き",
		"Drafts", "Draft", "Entwürfe", "Brouillons", "Borradores", "Bozze", "Concepten",
	}
)

type listed struct {
	name  string
	attrs []imap.MailboxAttr
}

// Discover lists the folders, identifies Sent and Drafts, and checks that
// every project label exists.
//
// Sent and Drafts come from the override when given (it must exist), else
// from the SPECIAL-USE attributes (LIST RETURN (SPECIAL-USE) when the server
// supports it; Gmail also marks them on a plain LIST), else from the known
// names. A Sent folder that cannot be found, or a missing label, is an
// error that lists the closest existing folders; Found is still filled in
// as far as it could be.
func (c *Client) Discover(ctx context.Context, sentOverride, draftsOverride string, labels []string) (Found, error) {
	var f Found
	caps := c.Caps()
	var opts *imap.ListOptions
	if caps.Has(imap.CapSpecialUse) && (caps.Has(imap.CapListExtended) || caps.Has(imap.CapIMAP4rev2)) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	var all []listed
	err := c.guard(ctx, func(ic *imapclient.Client) error {
		lc := ic.List("", "*", opts)
		for d := lc.Next(); d != nil; d = lc.Next() {
			if slices.Contains(d.Attrs, imap.MailboxAttrNoSelect) || slices.Contains(d.Attrs, imap.MailboxAttrNonExistent) {
				continue
			}
			all = append(all, listed{name: d.Mailbox, attrs: d.Attrs})
		}
		return lc.Close()
	})
	if err != nil {
		return f, fmt.Errorf("list imap folders: %w", err)
	}
	for _, l := range all {
		f.All = append(f.All, l.name)
	}

	var errs []error
	pick := func(what, override string, attr imap.MailboxAttr, known []string) string {
		if override != "" {
			if name, ok := lookup(f.All, override); ok {
				return name
			}
			errs = append(errs, missing(what+" folder", override, f.All))
			return ""
		}
		for _, l := range all {
			if slices.Contains(l.attrs, attr) {
				return l.name
			}
		}
		for _, k := range known {
			for _, p := range []string{"", "INBOX.", "INBOX/"} {
				if name, ok := lookup(f.All, p+k); ok {
					return name
				}
			}
		}
		return ""
	}
	f.Sent = pick("sent", sentOverride, imap.MailboxAttrSent, sentNames)
	if f.Sent == "" && sentOverride == "" {
		errs = append(errs, fmt.Errorf("no Sent folder found (no \\Sent special-use, no known name): set imap.sent_folder to one of %s", quoteList(closest("Sent", f.All, 5))))
	}
	f.Drafts = pick("drafts", draftsOverride, imap.MailboxAttrDrafts, draftsNames)
	for _, l := range labels {
		if _, ok := lookup(f.All, l); !ok {
			errs = append(errs, missing("project label", l, f.All))
		}
	}
	return f, errors.Join(errs...)
}

// lookup finds want among names: exactly, else case-insensitively (INBOX
// is case-insensitive by RFC, and users type labels by hand).
func lookup(names []string, want string) (string, bool) {
	for _, n := range names {
		if n == want {
			return n, true
		}
	}
	for _, n := range names {
		if strings.EqualFold(n, want) {
			return n, true
		}
	}
	return "", false
}

func missing(what, name string, all []string) error {
	near := closest(name, all, 3)
	if len(near) == 0 {
		return fmt.Errorf("%s %q does not exist on the server (it has no folders)", what, name)
	}
	return fmt.Errorf("%s %q does not exist on the server; closest folders: %s", what, name, quoteList(near))
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// closest ranks names by how likely the user meant them: containing one
// another first (a label typed without its parent), then by edit distance.
func closest(want string, names []string, n int) []string {
	w := strings.ToLower(want)
	type cand struct {
		name  string
		sub   bool
		score int
	}
	cs := make([]cand, 0, len(names))
	for _, name := range names {
		l := strings.ToLower(name)
		leaf := l[strings.LastIndexAny(l, "/.")+1:]
		wleaf := w[strings.LastIndexAny(w, "/.")+1:]
		cs = append(cs, cand{
			name:  name,
			sub:   strings.Contains(l, w) || strings.Contains(w, l) || (wleaf != "" && strings.Contains(leaf, wleaf)),
			score: min(levenshtein(w, l), levenshtein(wleaf, leaf)+1),
		})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].sub != cs[j].sub {
			return cs[i].sub
		}
		return cs[i].score < cs[j].score
	})
	var out []string
	for _, c := range cs {
		if len(out) == n {
			break
		}
		out = append(out, c.name)
	}
	return out
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
