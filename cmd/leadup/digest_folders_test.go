package main

import (
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/demo"
)

// digest --send with a label that cannot be read still sends the digest
// of the others, says which folder is missing from it, and exits 1; the
// preview warns about that folder alone.
func TestDigestWithBadLabels(t *testing.T) {
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	path := badLabelsConfig(t, srv)
	const fri = "2026-11-20T15:00:00+01:00"

	code, stdout, stderr := leadup(t, "digest", "--config", path, "--now", fri)
	if code != 0 || !strings.Contains(stdout, "Apollo") {
		t.Errorf("digest preview with bad labels: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "status/zephyr") || strings.Contains(stderr, "could not read new mail") {
		t.Errorf("the preview should warn about the bad folder alone:\n%s", stderr)
	}

	code, stdout, stderr = leadup(t, "digest", "--send", "--config", path, "--now", fri)
	if code != 1 {
		t.Errorf("digest --send with bad labels: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "Sent to") || !strings.Contains(stderr, `set projects[1].label to "Status/Zephyr"`) {
		t.Errorf("digest --send should send and name the bad folder's fix:\n%s\n%s", stdout, stderr)
	}
	digests := 0
	for _, d := range srv.Delivered() {
		if strings.Contains(string(d.Data), "X-Leadup: digest") {
			digests++
		}
	}
	if digests != 1 {
		t.Errorf("%d digests sent, want 1", digests)
	}
}
