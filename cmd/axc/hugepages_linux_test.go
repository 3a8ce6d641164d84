package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestAdviseHugePages holds adviseHugePages to what it says, in a process
// of its own that calls it first, as axc's main does: the advised
// addresses are one mapping with the huge-page advice (VmFlags hg), and
// nothing of them is touched (a small run's memory stays small). Where the
// kernel has no transparent huge pages, nothing is advised.
func TestAdviseHugePages(t *testing.T) {
	if os.Getenv("AXC_HUGEPAGES_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdviseHugePages$", "-test.v")
		cmd.Env = append(os.Environ(), "AXC_HUGEPAGES_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		t.Logf("%s", out)
		return
	}
	from, to := adviseHugePages()
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage"); err != nil {
		// A kernel without them refuses the advice (EINVAL). (With them
		// set to never, the advice is taken and has no effect.)
		if from != to {
			t.Fatalf("advised %#x-%#x where the kernel has no transparent huge pages", from, to)
		}
		return
	}
	if to-from < hugeHeap-2*hugePage {
		t.Fatalf("advised %#x-%#x: %d MiB, want about %d", from, to, (to-from)>>20, hugeHeap>>20)
	}
	rss, flags, err := mapping(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("VmFlags %q: no huge-page advice (hg)", flags)
	}
	// The collector has not run over the block yet; nothing but the
	// runtime's own first touch of a page or two may be resident.
	if rss > 2<<10 {
		t.Errorf("%d KiB of the advised %d MiB resident: the block was touched", rss, (to-from)>>20)
	}
	t.Logf("advised %d MiB, %d KiB resident, VmFlags %s", (to-from)>>20, rss, flags)
}

// mapping is the resident KiB and the VmFlags of the one mapping of this
// process that holds the addresses from-to (/proc/self/smaps).
func mapping(from, to uintptr) (rssKiB int, flags string, err error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := addrRange(line); ok {
			if in {
				break // the next mapping
			}
			in = lo <= from && to <= hi
			continue
		}
		if !in {
			continue
		}
		if v, ok := strings.CutPrefix(line, "Rss:"); ok {
			rssKiB, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
		if v, ok := strings.CutPrefix(line, "VmFlags:"); ok {
			return rssKiB, strings.TrimSpace(v), nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, "", err
	}
	return 0, "", fmt.Errorf("no one mapping holds %#x-%#x", from, to)
}

// addrRange parses the first field of an smaps mapping line, "lo-hi".
func addrRange(line string) (lo, hi uintptr, ok bool) {
	field, _, _ := strings.Cut(line, " ")
	a, b, found := strings.Cut(field, "-")
	if !found {
		return 0, 0, false
	}
	l, err1 := strconv.ParseUint(a, 16, 64)
	h, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(l), uintptr(h), true
}
