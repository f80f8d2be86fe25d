//go:build e2e

package daemon

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/config"
)

// TestE2EBenchCycle measures, inside one process as the daemon runs them,
// a cycle with nothing new (RunOnce, then NextWake, as the loop does after
// every cycle) and a `status`, against the label of a config .ci/bench
// wrote and synced:
//
//	LEADUP_BENCH_CONFIG=/tmp/leadup-bench/50000/config.yaml go test -tags e2e -run TestE2EBenchCycle -v ./daemon/
//
// It prints the median wall and CPU time of each (the process's own
// rusage, so the server's side is not in the CPU time) and the process's
// peak RSS. Numbers are reported, not asserted: machines are noisy.
//
// Last it runs a simulated day at `poll: 5 minutes`: 288 cycles, back to
// back, on a clock moved 5 minutes before each (so the day's reminder and
// anything due at midnight come due as they would), and prints the RSS and
// the heap left after a GC at the end of each simulated hour: a leak, a
// cache or a map that grows with the cycles shows as a rise.
func TestE2EBenchCycle(t *testing.T) {
	path := os.Getenv("LEADUP_BENCH_CONFIG")
	if path == "" {
		t.Skip("set LEADUP_BENCH_CONFIG to a config .ci/bench wrote (run by .ci/bench)")
	}
	repeat := 11
	if n, err := strconv.Atoi(os.Getenv("LEADUP_BENCH_REPEAT")); err == nil && n > 0 {
		repeat = n
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	app, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	measure := func(what string, fn func() error) {
		var walls, cpus []time.Duration
		for range repeat {
			c0, w0 := benchCPU(t), time.Now()
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			walls, cpus = append(walls, time.Since(w0)), append(cpus, benchCPU(t)-c0)
		}
		fmt.Printf("INPROC %s wall_ms=%.2f cpu_ms=%.2f\n", what, benchMS(benchMedian(walls)), benchMS(benchMedian(cpus)))
	}
	measure("cycle", func() error {
		rep, err := app.RunOnce(ctx)
		if err != nil {
			return err
		}
		if rep.Sync.Fetched != 0 {
			return fmt.Errorf("fetched %d messages: not a cycle with nothing new", rep.Sync.Fetched)
		}
		app.NextWake(ctx, time.Now())
		return nil
	})
	measure("status", func() error {
		_, err := app.Status(ctx)
		return err
	})
	fmt.Printf("INPROC peak_rss_kb=%d\n", benchHWM(t))
	benchDay(ctx, t, cfg)
}

// benchDay is TestE2EBenchCycle's simulated day (see there).
func benchDay(ctx context.Context, t *testing.T, cfg *config.Config) {
	clk := clock.At(time.Now())
	app, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	var rss, heap, gs []int // at the end of each hour: KiB, KiB, goroutines
	fetched, c0 := 0, benchCPU(t)
	for i := 1; i <= 24*12; i++ {
		clk.Add(5 * time.Minute)
		rep, err := app.RunOnce(ctx)
		if err != nil {
			t.Fatalf("simulated day, cycle %d: %v", i, err)
		}
		fetched += rep.Sync.Fetched
		app.NextWake(ctx, clk.Now())
		if i%12 == 0 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			rss, heap = append(rss, benchRSS(t)), append(heap, int(ms.HeapInuse>>10))
			gs = append(gs, runtime.NumGoroutine())
		}
	}
	fmt.Printf("INPROC day cycles=%d fetched=%d cpu_ms=%.0f rss_kb=%s heap_kb=%s goroutines=%s\n", 24*12, fetched,
		benchMS(benchCPU(t)-c0), benchJoin(rss), benchJoin(heap), benchJoin(gs))
}

func benchJoin(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func benchMS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func benchMedian(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

// benchCPU is the process's user and system CPU time so far.
func benchCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchHWM is the process's peak resident set size in KiB.
func benchHWM(t *testing.T) int { return benchStatus(t, "VmHWM:") }

// benchRSS is the process's resident set size now, in KiB.
func benchRSS(t *testing.T) int { return benchStatus(t, "VmRSS:") }

// benchStatus is a "kB" field of /proc/self/status.
func benchStatus(t *testing.T, field string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}
