//go:build e2e

package daemon

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
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
func benchHWM(t *testing.T) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}
