//go:build unix

package release

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestChooseUnreadable(t *testing.T) {
	tab := loadTable(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "flake.lock")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	// A FIFO is refused before it is opened (opening it would block).
	if _, err := tab.Choose(Options{LockFile: fifo}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("FIFO: %v", err)
	}
	big := filepath.Join(dir, "big.lock")
	if err := os.WriteFile(big, make([]byte, MaxLockSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := tab.Choose(Options{LockFile: big}); err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("big: %v", err)
	}
	if os.Getuid() != 0 {
		locked := filepath.Join(dir, "locked.lock")
		if err := os.WriteFile(locked, []byte("{}"), 0o000); err != nil {
			t.Fatal(err)
		}
		if _, err := tab.Choose(Options{LockFile: locked}); err == nil || !strings.Contains(err.Error(), locked) {
			t.Errorf("unreadable: %v", err)
		}
	}
}
