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
// attribute. Gmail localises its system folders; each is also found in the
// server's own layout (see resolve: "INBOX.Sent" on Courier and Cyrus).
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
// names. Overrides and labels are found as resolve says: "Status/Apollo"
// is "INBOX.Status.Apollo" on a server that keeps every folder under
// "INBOX." with '.' between parts (Courier, Debian's Cyrus). A Sent folder
// that cannot be found, or a missing label, is an error that lists the
// closest existing folders (a name that matches several folders, an error
// that lists them); Found is still filled in as far as it could be.
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
			name, cands := resolve(f.All, override)
			if name == "" {
				errs = append(errs, notFound(what+" folder", override, f.All, cands))
			}
			return name
		}
		for _, l := range all {
			if slices.Contains(l.attrs, attr) {
				return l.name
			}
		}
		for _, k := range known {
			// A known name is a guess: of several layouts of it (rare),
			// the server's first will do.
			name, cands := resolve(f.All, k)
			if name == "" && len(cands) > 0 {
				name = cands[0]
			}
			if name != "" {
				return name
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
		if name, cands := resolve(f.All, l); name == "" {
			errs = append(errs, notFound("project label", l, f.All, cands))
		}
	}
	return f, errors.Join(errs...)
}

// lookup finds the folder want means among names (see resolve); it is
// not found when no folder, or several, match.
func lookup(names []string, want string) (string, bool) {
	name, _ := resolve(names, want)
	return name, name != ""
}

// resolve finds the folder a configured name means among names, the
// server's folders. The first rule that matches any folder decides:
//
//  1. the name exactly;
//  2. the same path in the server's own layout: want's parts (split at
//     '/') joined by the server's hierarchy separator, '/' or '.', with or
//     without the personal prefix "INBOX" and that separator, so that
//     "Status/Apollo" is "INBOX.Status.Apollo" on Courier and on Debian's
//     Cyrus, and "Status.Apollo" on a Dovecot with '.' as separator;
//  3. rules 1 and 2 ignoring case (INBOX is case-insensitive by RFC 3501,
//     and users type labels by hand).
//
// When the deciding rule matches one folder, that is the name; when it
// matches several, name is "" and they are the candidates, for an error
// that lets the user choose.
func resolve(names []string, want string) (name string, candidates []string) {
	if slices.Contains(names, want) {
		return want, nil
	}
	forms := layouts(want)
	for _, fold := range []bool{false, true} {
		var hits []string
		for _, n := range names {
			for _, f := range forms {
				if n == f || (fold && strings.EqualFold(n, f)) {
					hits = append(hits, n)
					break
				}
			}
		}
		switch len(hits) {
		case 0:
			continue
		case 1:
			return hits[0], nil
		default:
			return "", hits
		}
	}
	return "", nil
}

// layouts spells a folder path as each common server layout would: with
// '/' or '.' between its parts, and under the personal prefix "INBOX"
// with that separator or not. want itself is the first.
func layouts(want string) []string {
	parts := strings.Split(strings.Trim(want, "/"), "/")
	forms := []string{want}
	for _, sep := range []string{"/", "."} {
		path := strings.Join(parts, sep)
		forms = append(forms, path)
		if !strings.EqualFold(parts[0], "INBOX") {
			forms = append(forms, "INBOX"+sep+path)
		}
	}
	return slices.Compact(forms)
}

// notFound is the error for a configured folder that resolve did not find.
func notFound(what, name string, all, candidates []string) error {
	if len(candidates) > 0 {
		return fmt.Errorf("%s %q matches several folders: %s; set it to the exact name of the one you mean", what, name, quoteList(candidates))
	}
	return missing(what, name, all)
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
		// A parent of the wanted folder ("Status" for "Status/Apolo") is
		// not what was meant: it contains nothing of the leaf.
		parent := strings.HasPrefix(w, l+"/") || strings.HasPrefix(w, l+".")
		cs = append(cs, cand{
			name:  name,
			sub:   !parent && (strings.Contains(l, w) || strings.Contains(w, l) || (wleaf != "" && strings.Contains(leaf, wleaf))),
			score: min(levenshtein(w, l), levenshtein(wleaf, leaf)+1),
		})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		// A near miss (a typo of two letters or fewer) first, then a
		// name that contains the other, then by distance.
		ni, nj := cs[i].score <= 2, cs[j].score <= 2
		if ni != nj {
			return ni
		}
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
