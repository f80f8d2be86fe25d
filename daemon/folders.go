package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/store"
)

// FolderProblem is a folder a cycle should read but could not (it does not
// exist, the server refused to open it, it vanished): the other folders
// are read, reminders and the digest go out, and `leadup status` lists it
// with what to do about it.
type FolderProblem struct {
	Name    string    `json:"name"` // the folder as configured
	Kind    string    `json:"kind"` // inbox, sent or project
	Project string    `json:"project,omitempty"`
	Label   string    `json:"label,omitempty"` // the project's label, as configured
	Error   string    `json:"error"`
	Fix     string    `json:"fix"`
	Since   time.Time `json:"since"` // the first cycle in a row it failed in
	At      time.Time `json:"at"`    // the last cycle it failed in
}

func (p FolderProblem) String() string {
	what := fmt.Sprintf("folder %q", p.Name)
	switch {
	case p.Label != "" && p.Label != p.Name:
		what += fmt.Sprintf(" (project %s, label %q)", p.Project, p.Label)
	case p.Project != "":
		what += fmt.Sprintf(" (project %s)", p.Project)
	}
	return fmt.Sprintf("%s not read: %s; fix: %s", what, p.Error, p.Fix)
}

// KindDrafts marks the Drafts folder among the folders CheckConnect opens
// (beside store.KindInbox, KindSent and KindProject): a cycle searches it
// before saving the digest's draft.
const KindDrafts = "drafts"

// FolderError is what a sync returns when it read every folder it could
// but not all of them: the caller may go on with what was read.
type FolderError struct{ Problems []FolderProblem }

func (e *FolderError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// folderProblem says why f was not read and how to fix it. err is the
// server's answer, or nil when the folder was not even listed.
func (a *App) folderProblem(f mailbox.Folder, found mailbox.Found, err error) FolderProblem {
	p := FolderProblem{Name: f.Name, Kind: f.Kind, Project: f.Project}
	if err == nil {
		p.Error = "no such folder on the server"
	} else {
		// The folder is named beside the error already.
		p.Error = strings.TrimPrefix(err.Error(), fmt.Sprintf("sync %q: ", f.Name))
	}
	key := ""
	switch f.Kind {
	case store.KindInbox:
		p.Fix = "the server refuses to open the Inbox: check the account on the server"
		return p
	case store.KindSent:
		key = "imap.sent_folder"
	case KindDrafts:
		key = "imap.drafts_folder"
	default:
		for i, cp := range a.cfg.Projects {
			if cp.Name == f.Project {
				key, p.Label = fmt.Sprintf("projects[%d].label", i), cp.Label
			}
		}
	}
	var others []string
	for _, name := range found.All {
		// A label is never the Inbox, Sent or Drafts: not worth suggesting.
		special := f.Kind == store.KindProject && (strings.EqualFold(name, "INBOX") || name == found.Sent || name == found.Drafts)
		if name != f.Name && !special {
			others = append(others, name)
		}
	}
	name, listed := found.Lookup(f.Name)
	switch {
	case listed && name != f.Name:
		p.Fix = fmt.Sprintf("set %s to %q: that is the server's spelling, and folder names are case-sensitive there", key, name)
	case listed && !mailbox.NonExistent(err):
		// Dovecot says "Mailbox doesn't exist" without NONEXISTENT, so this
		// may also be a folder deleted since the list.
		p.Fix = fmt.Sprintf("the server listed the folder but would not open it (deleted or renamed since, or not readable by this account): check it on the server, or set %s to another folder", key)
	default:
		near := mailbox.Closest(f.Name, others, 3)
		if len(near) == 0 {
			p.Fix = fmt.Sprintf("create the folder %q on the server, or set %s to an existing one", f.Name, key)
			break
		}
		q := make([]string, len(near))
		for i, n := range near {
			q[i] = fmt.Sprintf("%q", n)
		}
		p.Fix = fmt.Sprintf("set %s to the folder you meant; the closest are %s", key, strings.Join(q, ", "))
	}
	return p
}

// recordFolderProblems replaces the stored problems with those of the sync
// that just read every folder it could, keeping when each began.
func (a *App) recordFolderProblems(ctx context.Context, problems []FolderProblem) error {
	prev, err := a.storedFolderProblems(ctx)
	if err != nil {
		a.log.Warn("the folder problems of the last cycle are unreadable; starting afresh", "err", err)
		prev = nil
	}
	now := a.clock.Now()
	for i := range problems {
		p := &problems[i]
		p.Since, p.At = now, now
		for _, q := range prev {
			if q.Name == p.Name && q.Kind == p.Kind && !q.Since.IsZero() {
				p.Since = q.Since
			}
		}
	}
	if len(problems) == 0 {
		return a.st.SetText(ctx, store.MetaFolderProblems, "")
	}
	b, err := json.Marshal(problems)
	if err != nil {
		return err
	}
	return a.st.SetText(ctx, store.MetaFolderProblems, string(b))
}

func (a *App) storedFolderProblems(ctx context.Context) ([]FolderProblem, error) {
	v, ok, err := a.st.Text(ctx, store.MetaFolderProblems)
	if err != nil || !ok {
		return nil, err
	}
	var ps []FolderProblem
	if err := json.Unmarshal([]byte(v), &ps); err != nil {
		return nil, fmt.Errorf("read %s: %w", store.MetaFolderProblems, err)
	}
	return ps, nil
}

// folderProblems are the folders the last cycle could not read, for
// status, without those the config no longer reads (a label fixed since:
// the next cycle confirms the fix).
func (a *App) folderProblems(ctx context.Context) ([]FolderProblem, error) {
	ps, err := a.storedFolderProblems(ctx)
	if err != nil {
		return nil, err
	}
	var out []FolderProblem
	for _, p := range ps {
		if p.Kind == store.KindProject && !a.readsLabel(p.Project, p.Label) {
			continue
		}
		if p.Kind == store.KindSent && a.cfg.IMAP.SentFolder != "" && a.cfg.IMAP.SentFolder != p.Name {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

func (a *App) readsLabel(project, label string) bool {
	for _, p := range a.cfg.Projects {
		if p.Name == project && p.Label == label {
			return true
		}
	}
	return false
}
