package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// softLimit is where axc starts collecting garbage harder than GOGC says.
const softLimit = 200 << 20

// tuneGC trades memory for time the way a short-lived command can: collect
// less often (GOGC 400), under a soft memory limit that keeps small and
// medium runs small. The limit follows the live heap up, so that a large
// input whose live data approaches it does not make the collector run
// without pause (bench/ measures both). GOGC and GOMEMLIMIT, when set, win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(softLimit)
	go followLiveHeap()
}

// followLiveHeap raises the memory limit to three times the live heap
// whenever the live heap passes half of it.
func followLiveHeap() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	limit := uint64(softLimit)
	for range time.Tick(20 * time.Millisecond) {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		if live := sample[0].Value.Uint64(); live > limit/2 {
			limit = 3 * live
			debug.SetMemoryLimit(int64(limit))
		}
	}
}
