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
