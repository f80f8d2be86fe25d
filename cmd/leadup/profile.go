package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes a CPU profile to $LEADUP_CPUPROFILE and, when the
// command ends, a heap profile to $LEADUP_MEMPROFILE, for `go tool pprof`
// (see the README's Performance section). Unset, it does nothing. The
// returned stop is safe to call once.
func startProfiles(stderr io.Writer) (stop func()) {
	cpuPath, memPath := os.Getenv("LEADUP_CPUPROFILE"), os.Getenv("LEADUP_MEMPROFILE")
	var cpu *os.File
	if cpuPath != "" {
		f, err := os.Create(cpuPath)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "leadup: LEADUP_CPUPROFILE: %v (profiling skipped)\n", err)
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if memPath == "" {
			return
		}
		f, err := os.Create(memPath)
		if err != nil {
			fmt.Fprintf(stderr, "leadup: LEADUP_MEMPROFILE: %v\n", err)
			return
		}
		defer f.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintf(stderr, "leadup: LEADUP_MEMPROFILE: %v\n", err)
		}
	}
}
