package backoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestNext(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name string
		b    Backoff
		want []time.Duration
	}{
		{"at once then doubling to cap",
			Backoff{Min: s, Max: 10 * s},
			[]time.Duration{0, s, 2 * s, 4 * s, 8 * s, 10 * s, 10 * s}},
		{"delay first",
			Backoff{Min: s, Max: 5 * s, DelayFirst: true},
			[]time.Duration{s, 2 * s, 4 * s, 5 * s, 5 * s}},
		{"zero value uses defaults",
			Backoff{},
			[]time.Duration{0, DefaultMin, 2 * DefaultMin}},
		{"max below min is raised to min",
			Backoff{Min: 3 * s, Max: s},
			[]time.Duration{0, 3 * s, 3 * s}},
		{"jitter shortens by rand fraction",
			Backoff{Min: 4 * s, Max: 100 * s, Jitter: 0.5, Rand: func() float64 { return 0.5 }},
			[]time.Duration{0, 3 * s, 6 * s, 12 * s}},
		{"jitter with rand 0 is the nominal delay",
			Backoff{Min: s, Max: 4 * s, Jitter: 1, Rand: func() float64 { return 0 }},
			[]time.Duration{0, s, 2 * s, 4 * s, 4 * s}},
		{"jitter above 1 is clamped",
			Backoff{Min: 10 * s, Max: 10 * s, Jitter: 7, Rand: func() float64 { return 0.25 }},
			[]time.Duration{0, 7500 * time.Millisecond}},
		{"out of range rand is ignored",
			Backoff{Min: s, Max: s, Jitter: 1, Rand: func() float64 { return 1.5 }},
			[]time.Duration{0, s}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.b
			for i, want := range tt.want {
				if got := b.Next(); got != want {
					t.Fatalf("Next() #%d = %v, want %v", i, got, want)
				}
			}
			if b.Attempts() != len(tt.want) {
				t.Fatalf("Attempts() = %d, want %d", b.Attempts(), len(tt.want))
			}
		})
	}
}

func TestNextNoOverflow(t *testing.T) {
	b := Backoff{Min: time.Hour, Max: 1<<63 - 1}
	for i := 0; i < 200; i++ {
		if d := b.Next(); d < 0 {
			t.Fatalf("Next() #%d = %v, negative", i, d)
		}
	}
}

func TestJitterStaysInRange(t *testing.T) {
	b := Backoff{Min: time.Second, Max: time.Minute, Jitter: 0.3}
	b.Next()
	for i := 0; i < 100; i++ {
		nominal := time.Second << min(i, 6)
		if nominal > time.Minute {
			nominal = time.Minute
		}
		d := b.Next()
		lo := time.Duration(float64(nominal) * 0.7)
		if d < lo || d > nominal {
			t.Fatalf("Next() #%d = %v, want in [%v, %v]", i, d, lo, nominal)
		}
	}
}

func TestReset(t *testing.T) {
	b := Backoff{Min: time.Second, Max: time.Minute}
	for i := 0; i < 5; i++ {
		b.Next()
	}
	b.Reset()
	if b.Attempts() != 0 {
		t.Fatalf("Attempts() after Reset = %d", b.Attempts())
	}
	if d := b.Next(); d != 0 {
		t.Fatalf("first Next() after Reset = %v, want 0", d)
	}
	if d := b.Next(); d != time.Second {
		t.Fatalf("second Next() after Reset = %v, want 1s", d)
	}
}

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("Sleep: %v", err)
	}
	if err := Sleep(context.Background(), 0); err != nil {
		t.Fatalf("Sleep(0): %v", err)
	}

	done, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(done, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep(0) on cancelled ctx = %v, want Canceled", err)
	}

	// An hour-long sleep must return once the context is cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Sleep(ctx, time.Hour) }()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on cancel = %v, want Canceled", err)
	}
}
