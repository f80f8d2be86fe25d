// Package clock is leadup's one source of the current time. Everything that
// needs "now" takes a Clock, so tests and the --now flag can set it.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Offset is a clock that started at a chosen time and advances in real time
// from there: `leadup run --now T` behaves as if started at T.
type Offset struct {
	delta time.Duration
}

// StartingAt returns a clock that reads start now and advances normally.
func StartingAt(start time.Time) *Offset { return &Offset{delta: time.Until(start)} }

// Now returns the shifted time.
func (o *Offset) Now() time.Time { return time.Now().Add(o.delta) }

// Fixed is a clock stopped at one instant; tests move it with Set or Add.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// At returns a clock stopped at t.
func At(t time.Time) *Fixed { return &Fixed{t: t} }

// Now returns the clock's time.
func (f *Fixed) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }

// Set moves the clock to t.
func (f *Fixed) Set(t time.Time) { f.mu.Lock(); f.t = t; f.mu.Unlock() }

// Add moves the clock forward by d.
func (f *Fixed) Add(d time.Duration) { f.mu.Lock(); f.t = f.t.Add(d); f.mu.Unlock() }

// Sleeper is a clock whose timers follow it: a fake clock fires them when
// moved past their deadline instead of waiting in real time.
type Sleeper interface {
	Clock
	After(d time.Duration) <-chan time.Time
}

// After waits d on c: in real time, unless c is a Sleeper.
func After(c Clock, d time.Duration) <-chan time.Time {
	if s, ok := c.(Sleeper); ok {
		return s.After(d)
	}
	return time.After(d)
}

// Fake is a clock for tests of long-running code: Now is set by the test,
// and After channels fire when Advance moves the clock past them.
type Fake struct {
	mu      sync.Mutex
	t       time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

// NewFake returns a fake clock at t.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// After returns a channel that receives once the clock reaches now+d.
func (f *Fake) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan time.Time, 1)
	at := f.t.Add(d)
	if d <= 0 {
		ch <- f.t
		return ch
	}
	f.waiters = append(f.waiters, fakeWaiter{at: at, ch: ch})
	return ch
}

// Advance moves the clock forward by d, firing the timers it passes.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	kept := f.waiters[:0]
	for _, w := range f.waiters {
		if !w.at.After(f.t) {
			w.ch <- f.t
			continue
		}
		kept = append(kept, w)
	}
	f.waiters = kept
}

// Waiters is how many timers are pending, so a test can tell that the code
// under test is asleep.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// NextWaiter is the earliest pending deadline, zero when none.
func (f *Fake) NextWaiter() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	var next time.Time
	for _, w := range f.waiters {
		if next.IsZero() || w.at.Before(next) {
			next = w.at
		}
	}
	return next
}
