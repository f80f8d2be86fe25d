package daemon

import (
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

// TestResolvedLater: bad news closes when a later mail in its thread (by
// references or subject, within its project) reads green; it stays open
// when the newest word is still bad, and other threads are untouched.
func TestResolvedLater(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	msgs := []store.Message{
		{Project: "Apollo", MessageID: "a1@x", Subject: "PSP contract", Date: day(2), Visible: "Blocked by legal review."},
		{Project: "Apollo", MessageID: "a2@x", InReplyTo: "a1@x", Subject: "Re: PSP contract", Date: day(4), Visible: "Legal approved, we can sign."},
		{Project: "Zephyr", MessageID: "z1@x", Subject: "Vendor SDK", Date: day(3), Visible: "The vendor SDK slipped again."},
		{Project: "Zephyr", MessageID: "z2@x", Subject: "Re: Vendor SDK", Date: day(5), Visible: "Still waiting for the vendor, launch at risk."},
		{Project: "Atlas", MessageID: "p1@x", Subject: "PSP contract", Date: day(1), Visible: "Blocked on the PSP contract."},
	}
	levels := make([]message.Level, len(msgs))
	for i, m := range msgs {
		levels[i], _ = health(m)
	}
	if levels[0] != message.Red || levels[1] != message.Green || levels[4] != message.Red {
		t.Fatalf("setup: levels %v", levels)
	}
	closed := resolvedLater(msgs, levels)
	if !closed[0] {
		t.Error("\"legal approved\" did not close \"blocked by legal review\"")
	}
	if closed[1] || closed[2] || closed[3] {
		t.Errorf("closed %v: only the first mail is resolved", closed)
	}
	if closed[4] {
		t.Error("a thread of another project with the same subject was closed")
	}
}
