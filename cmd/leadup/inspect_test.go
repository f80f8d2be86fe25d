package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../../shared/fixtures/quotes"

// TestInspectFixtures runs `leadup inspect --text` on every reply-extraction
// fixture: every line it prints must be one of the sender's own lines (no
// quoted text, reply header or signature leaks). How much of the expected
// text is kept is measured, with a ratchet, in daemon/message.
func TestInspectFixtures(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(fixtures, "*", "*"))
	if len(dirs) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("no fixtures under %s", fixtures)
		}
		t.Skip("fixtures not found")
	}
	for _, dir := range dirs {
		in := filepath.Join(dir, "input.eml")
		if _, err := os.Stat(in); err != nil {
			in = filepath.Join(dir, "input.txt")
		}
		want, err := os.ReadFile(filepath.Join(dir, "expected.txt"))
		if err != nil {
			continue
		}
		var meta struct{ Sender string }
		if b, err := os.ReadFile(filepath.Join(dir, "meta.json")); err == nil {
			_ = json.Unmarshal(b, &meta)
		}
		args := []string{"inspect", "--text", in}
		if meta.Sender != "" {
			args = append(args, "--sender", meta.Sender)
		}
		code, out, stderr := leadup(t, args...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", dir, code, stderr)
			continue
		}
		expected := map[string]bool{}
		for _, l := range strings.Split(string(want), "\n") {
			expected[strings.Join(strings.Fields(l), " ")] = true
		}
		if strings.TrimSpace(out) == "" && strings.TrimSpace(string(want)) != "" {
			t.Errorf("%s: printed nothing; the sender wrote %q", dir, strings.TrimSpace(string(want)))
			continue
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		for i, l := range lines {
			l = strings.Join(strings.Fields(l), " ")
			// The fixtures' README allows sign-off differences: a last line
			// that is only a name ("Bob") is the sender's own sign-off.
			if i == len(lines)-1 && isSignOffName(l) {
				continue
			}
			if l != "" && !expected[l] {
				t.Errorf("%s: printed a line that is not the sender's own: %q", filepath.Base(filepath.Dir(dir))+"/"+filepath.Base(dir), l)
			}
		}
	}
}

func TestInspectJSON(t *testing.T) {
	dir := t.TempDir()
	msg := "From: Jane Smith <jane@example.com>\r\nTo: alex@example.com\r\nSubject: Apollo\r\nDate: Wed, 18 Nov 2026 16:30:00 +0100\r\n\r\n" +
		"Any update on Apollo? I hear the vendor work is blocked.\r\n\r\nOn Tue, Alex wrote:\r\n> All on track.\r\n"
	path := filepath.Join(dir, "m.eml")
	os.WriteFile(path, []byte(msg), 0o600)
	code, out, stderr := leadup(t, "inspect", "--json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Visible    string
		Ask        bool
		Health     string
		HealthHits []struct{ Phrase string } `json:"health_hits"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !rep.Ask || rep.Health != "red" || strings.Contains(rep.Visible, "on track") || len(rep.HealthHits) == 0 {
		t.Errorf("inspect --json = %+v", rep)
	}
	if code, _, _ := leadup(t, "inspect", "--json", "--text", path); code != 2 {
		t.Errorf("--json with --text: exit %d, want 2", code)
	}
}

func isSignOffName(l string) bool {
	f := strings.Fields(l)
	if len(f) == 0 || len(f) > 3 {
		return false
	}
	for _, w := range f {
		if w[0] < 'A' || w[0] > 'Z' || strings.ContainsAny(w, ".:,;!?@/") {
			return false
		}
	}
	return true
}

// inspect shows the text as read: blocks with their section and marker,
// sentences with the health they gave, the sentence behind the health,
// and why a message counts as automated.
func TestInspectShowsTheReading(t *testing.T) {
	dir := t.TempDir()
	status := filepath.Join(dir, "status.eml")
	os.WriteFile(status, []byte("From: Priya <priya@example.com>\r\nSubject: Apollo weekly\r\nMessage-ID: <s@x>\r\nList-Id: <apollo.lists.example.com>\r\n\r\n"+
		"## Done\r\n- [x] Moved 25 of 40 queues\r\n\r\n## Risks\r\nThe beta date of the 28th is at risk and will most likely be\r\nslipping by about a week.\r\n"), 0o600)
	code, out, errOut := leadup(t, "inspect", status)
	if code != 0 {
		t.Fatalf("inspect: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"Health:     amber: \"at risk\" (amber)",
		"because:  \"The beta date of the 28th is at risk and will most likely be slipping by about a week.\"",
		"Automated:  false",
		"[heading done] Done",
		"[item done done]",
		"    Moved 25 of 40 queues   [green:",
		"[paragraph risks]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out)
		}
	}
	bounce := filepath.Join(dir, "bounce.eml")
	os.WriteFile(bounce, []byte("From: MAILER-DAEMON@mx.example.com\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b@x>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--b--\r\n"), 0o600)
	_, out, _ = leadup(t, "inspect", bounce)
	if !strings.Contains(out, "Automated:  true (a delivery report (bounce))") {
		t.Errorf("inspect of a bounce does not say why it is automated:\n%s", out)
	}
}
