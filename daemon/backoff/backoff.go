// Package backoff spaces out retries of work that failed for a reason that may
// pass (a dropped connection, a greylisting SMTP server), so leadup neither
// hammers a provider in a hot loop nor gives up after one blip.
//
// It follows soju's rate.go: the first retry goes at once, the next after Min,
// then the delay doubles up to Max; each delay is shortened by a random
// fraction (jitter) so that many clients do not retry in lock step. Reset
// after a success starts the sequence again. Sleep waits in a way that a
// cancelled context interrupts.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Defaults used when Min or Max is zero, so the zero Backoff is usable.
const (
	DefaultMin = time.Second
	DefaultMax = 10 * time.Minute
)

// Backoff hands out the delay before each retry. The zero value is usable
// (DefaultMin, DefaultMax, no jitter). A Backoff is not safe for concurrent
// use: each retry loop owns its own.
type Backoff struct {
	// Min is the delay of the first waiting retry (the second one when
	// DelayFirst is false); DefaultMin when zero.
	Min time.Duration
	// Max caps the delay; DefaultMax when zero; raised to Min if below it.
	Max time.Duration
	// Jitter in [0, 1] is the largest fraction by which a delay is shortened
	// at random. Shortening (rather than lengthening) keeps Max a true cap.
	Jitter float64
	// DelayFirst makes the first retry wait Min instead of going at once: for
	// failures where an immediate retry is known to be useless (an SMTP 4xx).
	DelayFirst bool
	// Rand returns a number in [0, 1); nil means math/rand/v2. Tests set it to
	// make the sequence deterministic.
	Rand func() float64

	n int // retries handed out since the last Reset
}

// Next returns how long to wait before the next retry and advances the
// sequence: 0 (unless DelayFirst), Min, 2·Min, 4·Min, ... up to Max, each
// shortened by up to Jitter of itself.
func (b *Backoff) Next() time.Duration {
	lo, hi := b.bounds()
	step := b.n
	if !b.DelayFirst {
		step--
	}
	b.n++
	if step < 0 {
		return 0
	}
	d := lo
	for i := 0; i < step && d < hi; i++ {
		d *= 2
	}
	if d > hi || d <= 0 { // d <= 0: overflow
		d = hi
	}
	return b.jitter(d)
}

// Reset starts the sequence again; call it once the work has been healthy
// (a successful login, a delivered message).
func (b *Backoff) Reset() { b.n = 0 }

// Attempts reports how many delays Next has handed out since the last Reset.
func (b *Backoff) Attempts() int { return b.n }

func (b *Backoff) bounds() (lo, hi time.Duration) {
	lo, hi = b.Min, b.Max
	if lo <= 0 {
		lo = DefaultMin
	}
	if hi <= 0 {
		hi = DefaultMax
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

func (b *Backoff) jitter(d time.Duration) time.Duration {
	j := b.Jitter
	if j <= 0 {
		return d
	}
	if j > 1 {
		j = 1
	}
	r := rand.Float64
	if b.Rand != nil {
		r = b.Rand
	}
	f := r()
	if f < 0 || f >= 1 {
		f = 0
	}
	return d - time.Duration(float64(d)*j*f)
}

// Sleep waits for d or until ctx is done, whichever comes first, and returns
// ctx.Err() in the latter case. A non-positive d returns at once (still
// reporting a context that is already done), so retry loops stop promptly.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
