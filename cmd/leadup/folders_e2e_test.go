//go:build e2e

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/e2e"
)

// TestE2EMisCasedLabel: against Dovecot and mox, whose folder names mind case, a
// label typed "status/zephyr" for the folder Status/Zephyr is reported by
// `check --connect` (which still shows the login, the folders and the
// other labels) with a fix naming Status/Zephyr; `run --once` still reads
// the other folders and sends the due reminder, and exits 1 naming the
// folder; `status --json` lists it with the fix. Once the label is fixed,
// the next cycle reads the folder and status is clear.
func TestE2EMisCasedLabel(t *testing.T) { e2e.EachServer(t, e2eMisCasedLabel) }

func e2eMisCasedLabel(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.seed(demo.Mailbox(demo.Now))
	b, err := os.ReadFile(f.config)
	if err != nil {
		t.Fatal(err)
	}
	const good, bad = `label: "Status/Zephyr"`, `label: "status/zephyr"`
	if !strings.Contains(string(b), good) {
		t.Fatalf("test bug: the e2e config has no %s", good)
	}
	cfg := filepath.Join(f.dir, "miscased.yaml")
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), good, bad, 1)), 0o600); err != nil {
		t.Fatal(err)
	}

	r := f.runWith(cfg, "check", "--connect")
	t.Logf("%s", r)
	if r.code != 1 {
		t.Errorf("check --connect with a mis-cased label: exit %d, want 1\n%s", r.code, r)
	}
	for _, want := range []string{
		"imap " + f.s.IMAPHost, "logged in as " + f.s.User, "Status/Zephyr", "sent:    Sent (opened read-only,", "drafts:  Drafts",
		"project Apollo: Status/Apollo (opened read-only,",
		"project Zephyr: status/zephyr: NOT READABLE: ", `fix: set projects[1].label to "Status/Zephyr"`,
		"smtp " + f.s.SMTPHost,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check --connect output lacks %q\n%s", want, r)
		}
	}

	// Friday 10:00: the reminder is due.
	now := at(20, 10, 0)
	r = f.runWith(cfg, "run", "--once", "--log-format", "json", "--now", rfc(now))
	if r.code != 1 {
		t.Errorf("run --once with a mis-cased label: exit %d, want 1\n%s", r.code, r)
	}
	if !strings.Contains(r.stderr, `folder \"status/zephyr\" (project Zephyr) not read`) && !strings.Contains(r.stderr, `folder "status/zephyr" (project Zephyr) not read`) {
		t.Errorf("run --once does not name the folder\n%s", r)
	}
	cyc := cycleLine(t, r)
	if cyc.Reminder == "" || cyc.Fetched == 0 {
		t.Errorf("the cycle did not read the other folders and send the reminder: %+v", cyc)
	}
	f.waitForMail("reminder", 1, time.Minute)

	st := f.folderStatus(cfg, now)
	if len(st.Folders) != 1 {
		t.Fatalf("status --json folders = %+v; want the mis-cased label", st.Folders)
	}
	if z := st.Folders[0]; z.Name != "status/zephyr" || z.Project != "Zephyr" || z.Error == "" || !strings.Contains(z.Fix, `"Status/Zephyr"`) {
		t.Errorf("status --json folders[0] = %+v", z)
	}
	for _, p := range st.Projects {
		if p.Name == "Apollo" && p.Messages == 0 {
			t.Errorf("Apollo has no messages: the bad label stopped the sync")
		}
	}

	// Fixed: the folder is read, nothing is sent twice, status is clear.
	later := now.Add(time.Hour)
	cyc = f.runOnce(later)
	if cyc.Errors != 0 || cyc.Reminder != "" {
		t.Errorf("cycle after the fix: %+v", cyc)
	}
	st = f.folderStatus(f.config, later)
	if len(st.Folders) != 0 {
		t.Errorf("status after the fix still lists %+v", st.Folders)
	}
	for _, p := range st.Projects {
		if p.Name == "Zephyr" && p.Messages == 0 {
			t.Errorf("Zephyr has no messages after the fix")
		}
	}
	f.barrier()
	if n := len(f.leadupMail("reminder")); n != 1 {
		t.Errorf("%d reminders, want 1", n)
	}
}

// folderStatusJSON is what TestE2EMisCasedLabel reads of `status --json`.
type folderStatusJSON struct {
	Projects []struct {
		Name     string `json:"name"`
		Messages int    `json:"messages"`
	} `json:"projects"`
	Folders []struct {
		Name    string `json:"name"`
		Project string `json:"project"`
		Error   string `json:"error"`
		Fix     string `json:"fix"`
	} `json:"folders"`
}

func (f *fixture) folderStatus(cfg string, now time.Time) folderStatusJSON {
	f.t.Helper()
	r := f.runWith(cfg, "status", "--json", "--now", rfc(now))
	if r.code != 0 {
		f.t.Fatalf("%s", r)
	}
	var st folderStatusJSON
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		f.t.Fatalf("status --json: %v\n%s", err, r)
	}
	return st
}
