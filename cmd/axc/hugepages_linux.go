package main

import (
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// Huge pages for the heap. Where the system leaves transparent huge pages
// to the programs that ask for them (transparent_hugepage "madvise", the
// default of many distributions), Go's heap gets none: Go stopped asking
// in 1.21.1. Every 4 KiB of the heap is then a page fault on first touch
// and a TLB entry of its own: 48,000 faults for a vet of 1000 hosts, 0.4 s
// of its 2.9 s of CPU. Asked for, 2 MiB pages made the same vet 20-25%
// faster (1.33-1.38 s -> 1.01-1.21 s on 2 cores; 1.46-1.63 s -> 1.08-1.24
// s with the system's setting at "always"), for 2-8 MiB more RSS.

// hugeHeap is the heap asked for at start: what a 1000-host vet grows to
// (its soft limit is 200 MiB). More costs a small run: 512 MiB made a
// one-host vet 6 ms slower (the runtime's bookkeeping of the larger heap),
// 256 MiB nothing measurable. And more risks memory: asked for the whole
// heap of 10,000 failing hosts (1 GiB), the run's RSS doubled in two runs
// of five (1882 and 1908 MiB, against 930 without huge pages): the
// runtime gives free pages back to the system (to stay under its memory
// limit) and takes them again one at a time, and under the advice each
// first touch brings back a whole 2 MiB page, which the runtime counts as
// given back. That is why Go itself stopped asking. A first 256 MiB bounds
// what that can add; 10,000 failing hosts stayed at 932 MiB in 3 runs.
const hugeHeap = 256 << 20

// hugePage is the size of a huge page on x86-64 and arm64: what advice is
// aligned to.
const hugePage = 2 << 20

// adviseHugePages asks for huge pages under the next hugeHeap bytes of the
// heap. Go maps its heap as it grows, so axc makes it grow by hugeHeap at
// once, with one large allocation, which Go takes from fresh memory and
// does not touch; advises those addresses (madvise MADV_HUGEPAGE: the
// advice stays with them); and drops it. The collector frees it at its
// first cycle, and the heap's objects are then allocated at those
// addresses, lowest first. Nothing is touched, so a small run's memory
// stays small (TestAdviseHugePages). It does nothing where the kernel has
// no transparent huge pages (madvise fails) or when GODEBUG has
// disablethp=1, Go's own switch for them. It returns the addresses it
// advised, none when it did not.
func adviseHugePages() (from, to uintptr) {
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return 0, 0
	}
	b := make([]byte, hugeHeap)
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	// The huge pages wholly inside b.
	i, j := alignUp(addr)-addr, (addr+hugeHeap)&^(hugePage-1)-addr
	if err := syscall.Madvise(b[i:j], syscall.MADV_HUGEPAGE); err != nil {
		return 0, 0 // EINVAL: no transparent huge pages
	}
	runtime.KeepAlive(b)
	return addr + i, addr + j
}

// alignUp is addr rounded up to a huge page.
func alignUp(addr uintptr) uintptr { return (addr + hugePage - 1) &^ (hugePage - 1) }
