// Package atomicfile writes a single file so that a reader, or a crash, sees
// either the old content or the new one, never a mix. (A set of files that
// must change together, as axc build writes, is internal/output's job.)
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/axc-dev/axc/internal/load"
)

// Write replaces name with data atomically: data is written to a temporary
// file in name's directory (created if missing), synced, and renamed over
// name. On an error, name is as it was and the temporary file is removed.
func Write(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create directory: %s", dir, load.IOReason(err))
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("%s: cannot write: %s", name, load.IOReason(err))
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
		if le, ok := err.(*os.LinkError); ok {
			err = le.Err
		}
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: cannot write: %s", name, load.IOReason(err))
	}
	return nil
}
