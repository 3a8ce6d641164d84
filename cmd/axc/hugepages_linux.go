package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"unsafe"

	"github.com/axc-dev/axc/internal/safeio"
)

// Huge pages for the heap. Where the system leaves transparent huge pages
// to the programs that ask for them (transparent_hugepage "madvise", the
// default of many distributions), Go's heap gets none: Go stopped asking
// in 1.21.1. Every 4 KiB of the heap is then a page fault on first touch
// and a TLB entry of its own: 48,000 faults for a vet of 1000 hosts, 0.4 s
// of its 2.9 s of CPU. Asked for, 2 MiB pages made the same vet 20-25%
// faster (1.33-1.38 s -> 1.01-1.21 s on 2 cores; 1.46-1.63 s -> 1.08-1.24
// s with the system's setting at "always"), for 2-8 MiB more RSS.

// hugeHeap is the least of the heap asked for at start: what a 1000-host
// vet grows to (its soft limit is 200 MiB). More costs a small run: 512
// MiB made a one-host vet 6 ms slower (the runtime's bookkeeping of the
// larger heap), 256 MiB nothing measurable.
const hugeHeap = 256 << 20

// hugeHeapMax is the most asked for: the heap of 10,000 hosts.
const hugeHeapMax = 1 << 30

// heapPerInputByte is about how much heap a vet takes per byte of the
// hosts' files when they all fail (the most): 1000 generated hosts, 0.7 MB
// of CUE, peak at 400-440 MiB against the newest release (valid, at 200
// MiB). 10,000 take the most asked for.
const heapPerInputByte = 640

// hugeHeapFor is the heap to ask huge pages for, for inputBytes of input:
// what it will grow to, so that the pages of a large fleet are huge too
// (advised at start only: Go maps the heap as it grows, and a mapping
// advised later has been touched by then).
func hugeHeapFor(inputBytes int64) int {
	return int(min(max(inputBytes*heapPerInputByte, hugeHeap), hugeHeapMax)) &^ (hugePage - 1)
}

// inputBytes is about what the command line has axc read: the .cue,
// .json and .yaml files of each argument that is a directory (not below
// it) or such a file, or of ./hosts and ./users when none is (vet's and
// build's default). It only sizes the heap advised at start, so a wrong
// guess (a flag's value that names a directory) costs no more than time.
func inputBytes(args []string) int64 {
	var dirs, files []string
	for _, a := range args {
		if st, err := os.Stat(a); err == nil {
			if st.IsDir() {
				dirs = append(dirs, a)
			} else if inputFile(a) {
				files = append(files, a)
			}
		}
	}
	if len(dirs)+len(files) == 0 {
		dirs = []string{"hosts", "users"}
	}
	var n int64
	for _, d := range dirs {
		entries, _ := safeio.ReadDir(d) // a FIFO named hosts: an error, not a wait
		for _, e := range entries {
			if inputFile(e.Name()) && e.Type().IsRegular() {
				if info, err := e.Info(); err == nil {
					n += info.Size()
				}
			}
		}
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// inputFile reports whether name is a file axc reads hosts or users from.
func inputFile(name string) bool {
	switch filepath.Ext(name) {
	case ".cue", ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// hugePage is the size of a huge page on x86-64 and arm64: what advice is
// aligned to.
const hugePage = 2 << 20

// adviseHugePages asks for huge pages under the next size bytes of the
// heap. Go maps its heap as it grows, so axc makes it grow by size at
// once, with one large allocation, which Go takes from fresh memory and
// does not touch; advises those addresses (madvise MADV_HUGEPAGE: the
// advice stays with them); and drops it. The collector frees it at its
// first cycle, and the heap's objects are then allocated at those
// addresses, lowest first. Nothing is touched, so a small run's memory
// stays small (TestAdviseHugePages). It does nothing where the kernel has
// no transparent huge pages (madvise fails) or when GODEBUG has
// disablethp=1, Go's own switch for them. It returns the addresses it
// advised, none when it did not.
func adviseHugePages(size int) (from, to uintptr) {
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return 0, 0
	}
	b := make([]byte, size)
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	// The huge pages wholly inside b.
	i, j := alignUp(addr)-addr, (addr+uintptr(size))&^(hugePage-1)-addr
	if err := syscall.Madvise(b[i:j], syscall.MADV_HUGEPAGE); err != nil {
		return 0, 0 // EINVAL: no transparent huge pages
	}
	runtime.KeepAlive(b)
	return addr + i, addr + j
}

// alignUp is addr rounded up to a huge page.
func alignUp(addr uintptr) uintptr { return (addr + hugePage - 1) &^ (hugePage - 1) }
