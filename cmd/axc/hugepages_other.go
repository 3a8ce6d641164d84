//go:build !linux

package main

// Huge pages are asked for on Linux only (hugepages_linux.go).

func adviseHugePages() (from, to uintptr) { return 0, 0 }
