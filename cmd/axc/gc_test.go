package main

import "testing"

// The soft memory limit follows the live heap at three times it, at
// twice it above followCap, and never below either.
func TestFollowed(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ live, want uint64 }{
		{100 * mib, 300 * mib},  // three times
		{298 * mib, 894 * mib},  // three times, just below the cap
		{340 * mib, followCap},  // 10,000 failing hosts: capped
		{448 * mib, followCap},  // twice is the cap
		{600 * mib, 1200 * mib}, // twice: the collector keeps room
	} {
		if got := followed(c.live); got != c.want {
			t.Errorf("followed(%d MiB) = %d MiB, want %d MiB", c.live/mib, got/mib, c.want/mib)
		}
	}
}
