// Command peakrss runs a command and reports its wall time, peak resident set
// size and CPU time, for bench/run.sh:
//
//	peakrss -o FILE -- CMD [ARG...]
//
// The command's stdin, stdout and stderr are peakrss's own. FILE gets one line,
// "WALL_MS PEAK_KIB CPU_MS" (CPU: user + system); peakrss exits with the command's exit code (125 if it
// cannot be started). Linux and the BSDs report Maxrss in KiB (macOS in
// bytes; this tool is for Linux).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	out := flag.String("o", "", "file to write \"WALL_MS PEAK_KIB CPU_MS\" to")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: peakrss -o FILE -- CMD [ARG...]")
		os.Exit(125)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(125)
	}
	var kib int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		kib = int64(ru.Maxrss)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	line := fmt.Sprintf("%.1f %d %.1f\n", ms(wall), kib, ms(cpu))
	if err := os.WriteFile(*out, []byte(line), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(125)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
