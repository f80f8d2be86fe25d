package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/demo"
)

// badLabelsConfig is the demo config with Apollo's label right, Zephyr's
// mis-cased and Atlas's a folder that does not exist.
func badLabelsConfig(t *testing.T, srv *demo.Servers) string {
	t.Helper()
	path := demoConfigFile(t, srv, t.TempDir(), "digest: {schedule: \"Fri 15:00\", draft_for: boss}\n")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const one = "  - {name: Apollo, label: Status/Apollo}\n"
	if !strings.Contains(string(b), one) {
		t.Fatal("test bug: demoConfigFile's projects changed")
	}
	text := strings.Replace(string(b), one, one+"  - {name: Zephyr, label: status/zephyr}\n  - {name: Atlas, label: Status/Atlantis}\n", 1)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckConnectBadLabels: with a mis-cased and a missing label, `check
// --connect` still shows the login, every folder, Sent and Drafts, and
// the good label opened; each bad label gets its problem and a fix that
// names the folder meant; SMTP is still checked; the exit status is 1.
func TestCheckConnectBadLabels(t *testing.T) {
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, stdout, stderr := leadup(t, "check", "--connect", "--config", badLabelsConfig(t, srv))
	t.Logf("check --connect:\n%s%s", stdout, stderr)
	if code != 1 {
		t.Errorf("check --connect with bad labels: exit %d, want 1", code)
	}
	for _, want := range []string{
		"imap 127.0.0.1", "logged in as " + demo.UserEmail,
		"folders (6): ", "Status/Zephyr", "Status/Atlas",
		"sent:    Sent (opened read-only,", "drafts:  Drafts (opened read-only, 0 messages)", "inbox:   INBOX (opened read-only,",
		"project Apollo: Status/Apollo (opened read-only,",
		"project Zephyr: status/zephyr: NOT READABLE: ", `fix: set projects[1].label to "Status/Zephyr"`,
		"project Atlas: Status/Atlantis: NOT READABLE: no such folder", `fix: set projects[2].label to the folder you meant; the closest are "Status/Atlas"`,
		"smtp 127.0.0.1",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check --connect output lacks %q:\n%s", want, stdout)
		}
	}
	for _, want := range []string{`folder "status/zephyr" (project Zephyr) not read`, `folder "Status/Atlantis" (project Atlas) not read`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the error lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stdout+stderr, demo.Password) {
		t.Error("the password appeared in the output")
	}
}

// TestRunOnceBadLabels: `run --once` with a mis-cased and a missing label
// still sends the due reminder, exits 1 naming both folders and their
// fixes, and `status` (text and --json) lists them with the fix.
func TestRunOnceBadLabels(t *testing.T) {
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	path := badLabelsConfig(t, srv)
	const fri10 = "2026-11-20T10:00:00+01:00" // the reminder is due
	code, stdout, stderr := leadup(t, "run", "--once", "--config", path, "--now", fri10)
	if code != 1 {
		t.Errorf("run --once with bad labels: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{`folder "status/zephyr" (project Zephyr) not read`, `set projects[1].label to "Status/Zephyr"`, `folder "Status/Atlantis" (project Atlas) not read`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("run --once's error lacks %q:\n%s", want, stderr)
		}
	}
	reminders := 0
	for _, d := range srv.Delivered() {
		if strings.Contains(string(d.Data), "X-Leadup: reminder") {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("%d reminders sent, want 1: a bad label stopped the cycle", reminders)
	}

	code, stdout, stderr = leadup(t, "status", "--config", path, "--now", fri10)
	if code != 0 {
		t.Fatalf("status: exit %d\n%s", code, stderr)
	}
	t.Logf("status:\n%s", stdout)
	for _, want := range []string{`FOLDER "status/zephyr" (project Zephyr) not read since Fri 20 Nov 10:00`, `fix: set projects[1].label to "Status/Zephyr"`, `FOLDER "Status/Atlantis" (project Atlas)`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = leadup(t, "status", "--json", "--config", path, "--now", fri10)
	if code != 0 {
		t.Fatalf("status --json: exit %d\n%s", code, stderr)
	}
	var st struct {
		Projects []struct{ Name string } `json:"projects"`
		Folders  []struct {
			Name, Kind, Project, Label, Error, Fix string
		} `json:"folders"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	if len(st.Projects) != 3 || len(st.Folders) != 2 {
		t.Fatalf("status --json: %d projects and folders %+v; want 3 and the two bad labels", len(st.Projects), st.Folders)
	}
	z := st.Folders[0]
	if z.Name != "status/zephyr" || z.Kind != "project" || z.Project != "Zephyr" || z.Label != "status/zephyr" || z.Error == "" || !strings.Contains(z.Fix, `"Status/Zephyr"`) {
		t.Errorf("status --json folders[0] = %+v", z)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "state.db")); err != nil {
		t.Errorf("no state written: %v", err)
	}
}
