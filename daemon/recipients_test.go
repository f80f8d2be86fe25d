package daemon

import (
	"context"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/demo"
)

// TestCheckRecipientsFlagsATypo: a stakeholder address one letter off the
// one the user writes to is flagged with the right one; an address far
// from any is flagged without a guess; the boss, written to, is not.
func TestCheckRecipientsFlagsATypo(t *testing.T) {
	typo := strings.Replace(demo.PeerEmail, "@", "x@", 1)
	for _, c := range []struct{ addr, closest string }{{typo, demo.PeerEmail}, {"someone.else@elsewhere.invalid", ""}} {
		e := newEnv(t, demo.Now)
		e.reconfigure(func(s string) string { return strings.Replace(s, demo.PeerEmail, c.addr, 1) })
		got, err := e.app.CheckRecipients(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Email != c.addr || got[0].Closest != c.closest || got[0].Name != demo.PeerName {
			t.Fatalf("never written = %+v, want %s flagged with %q", got, c.addr, c.closest)
		}
		msg := got[0].String()
		if !strings.Contains(msg, c.addr) || (c.closest != "" && !strings.Contains(msg, "a typo? you wrote to "+c.closest)) {
			t.Errorf("warning %q", msg)
		}
		if w := e.srv.Writes(); w != 0 {
			t.Errorf("the check made %d mailbox-changing commands", w)
		}
	}
	e := newEnv(t, demo.Now)
	if got, err := e.app.CheckRecipients(context.Background()); err != nil || len(got) != 0 {
		t.Errorf("with the right addresses: %+v, %v; want nothing flagged", got, err)
	}
}
