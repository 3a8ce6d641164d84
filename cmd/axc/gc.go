package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"time"

	"github.com/axc-dev/axc/internal/termtext"
)

// softLimit is where axc starts collecting garbage harder than GOGC says.
const softLimit = 200 << 20

// defaultMaxMemory is the heap, in MiB, at which axc stops (see watchHeap).
const defaultMaxMemory = 4096

// tuneGC trades memory for time the way a short-lived command can: collect
// less often (GOGC 400), under a soft memory limit that keeps small and
// medium runs small. The limit follows the live heap up, so that a large
// input whose live data approaches it does not make the collector run
// without pause (bench/ measures both). GOGC and GOMEMLIMIT, when set, win.
// It also starts the watch on the heap's hard cap; a bad AXC_MAX_MEMORY is
// a usage error, reported and exited on here.
func tuneGC() {
	maxHeap, err := maxMemory(os.Getenv("AXC_MAX_MEMORY"))
	if err != nil {
		termtext.Printf(os.Stderr, "axc: %v", err)
		os.Exit(2)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	follow := os.Getenv("GOMEMLIMIT") == ""
	if follow {
		debug.SetMemoryLimit(softLimit)
	}
	watchHeap(maxHeap, follow) // once now: a cap below the start-up heap stops at once
	go func() {
		for range time.Tick(20 * time.Millisecond) {
			watchHeap(maxHeap, follow)
		}
	}()
}

// maxMemory is AXC_MAX_MEMORY's cap on the heap, in bytes: a whole number
// of MiB, or the default when empty.
func maxMemory(env string) (uint64, error) {
	if env == "" {
		return defaultMaxMemory << 20, nil
	}
	mib, err := strconv.ParseUint(env, 10, 32)
	if err != nil || mib == 0 {
		return 0, fmt.Errorf("AXC_MAX_MEMORY=%q: want a whole number of MiB, such as %d", env, defaultMaxMemory)
	}
	return mib << 20, nil
}

// heapSamples are the heap's objects (live and not yet collected) and its
// live part at the last collection.
var heapSamples = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}

// followedLimit is the soft memory limit as followLiveHeap last set it.
var followedLimit = uint64(softLimit)

// watchHeap stops axc (exit 2) when the heap passes maxHeap: no axios
// fleet comes near it (1000 hosts peak at about 200 MiB), and CUE's
// evaluation of some inputs grows without end; a stop with a reason beats
// a machine out of memory. When follow, it also raises the soft memory
// limit as the live heap grows (see followed).
func watchHeap(maxHeap uint64, follow bool) {
	metrics.Read(heapSamples)
	if heapSamples[0].Value.Kind() == metrics.KindUint64 && heapSamples[0].Value.Uint64() > maxHeap {
		fmt.Fprintf(os.Stderr, "axc: stopped: the heap passed %d MiB (AXC_MAX_MEMORY), more than any fleet needs; an input whose evaluation grows without end does this (a host that refers to itself, say): vet fewer files to find it\n", maxHeap>>20)
		os.Exit(2)
	}
	if !follow || heapSamples[1].Value.Kind() != metrics.KindUint64 {
		return
	}
	if want := followed(heapSamples[1].Value.Uint64()); want > followedLimit {
		followedLimit = want
		debug.SetMemoryLimit(int64(followedLimit))
	}
}

// followCap is where the soft limit stops following the live heap at
// three times it: above, at twice it, which still leaves the collector
// room. 10,000 failing hosts peak at a live heap of about 340 MiB; three
// times that was an RSS over 1 GiB, and a limit of 750 MiB cost 8% more
// time.
const followCap = 896 << 20

// followed is the soft memory limit for a live heap of live bytes.
func followed(live uint64) uint64 { return min(3*live, max(followCap, 2*live)) }
