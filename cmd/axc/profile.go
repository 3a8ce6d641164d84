package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// startProfiles writes profiles of the run when AXC_CPUPROFILE and
// AXC_MEMPROFILE name files: for bench/ and developers (go tool pprof),
// not for users. The memory profile is the heap as it was when its live
// part was largest (sampled every 200 ms) plus the run's allocations. The
// returned func finishes them.
func startProfiles() func() {
	var stops []func()
	if p := os.Getenv("AXC_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
			}
		}
	}
	if p := os.Getenv("AXC_MEMPROFILE"); p == "" {
		// runtime/pprof, linked for these profiles, keeps the runtime
		// sampling allocations (a stack walk every 512 KiB allocated)
		// for a profile nobody asked for: a twentieth of the time of a
		// one-host vet beside bench/cuefloor, which does not link it.
		runtime.MemProfileRate = 0
	} else {
		runtime.MemProfileRate = 64 << 10
		write := func() {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
		done := make(chan bool)
		go func() {
			live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			var most uint64
			for {
				select {
				case <-done:
					done <- true
					return
				case <-time.After(200 * time.Millisecond):
				}
				metrics.Read(live)
				if n := live[0].Value.Uint64(); n > most {
					most = n
					write()
				}
			}
		}()
		stops = append(stops, func() { done <- true; <-done })
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}
