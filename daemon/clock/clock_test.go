package clock

import (
	"testing"
	"time"
)

func TestFakeFiresTimersWhenAdvanced(t *testing.T) {
	start := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	f := NewFake(start)
	soon, later := f.After(time.Minute), f.After(time.Hour)
	if f.Waiters() != 2 || !f.NextWaiter().Equal(start.Add(time.Minute)) {
		t.Fatalf("waiters %d next %v", f.Waiters(), f.NextWaiter())
	}
	f.Advance(30 * time.Minute)
	select {
	case got := <-soon:
		if !got.Equal(start.Add(30 * time.Minute)) {
			t.Errorf("fired with %v", got)
		}
	default:
		t.Fatal("the one-minute timer did not fire after 30 minutes")
	}
	select {
	case <-later:
		t.Fatal("the one-hour timer fired after 30 minutes")
	default:
	}
	if f.Waiters() != 1 {
		t.Errorf("waiters = %d, want 1", f.Waiters())
	}
	if c := f.After(0); len(c) != 1 {
		t.Error("After(0) must fire at once")
	}
}

func TestOffsetAdvances(t *testing.T) {
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	o := StartingAt(start)
	a := o.Now()
	if a.Sub(start) < 0 || a.Sub(start) > time.Minute {
		t.Fatalf("StartingAt reads %v, want about %v", a, start)
	}
	if b := o.Now(); b.Before(a) {
		t.Errorf("offset clock went back: %v then %v", a, b)
	}
}

func TestAfterUsesSleeper(t *testing.T) {
	f := NewFake(time.Unix(0, 0))
	c := After(f, time.Hour)
	f.Advance(time.Hour)
	select {
	case <-c:
	default:
		t.Fatal("After on a fake clock must follow the fake clock")
	}
}
