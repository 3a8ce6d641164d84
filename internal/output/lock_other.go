//go:build !unix

package output

import "os"

// lock does nothing: without flock(2), concurrent builds are not excluded.
func lock(f *os.File, dir string, shared bool) error { return nil }

func exclusive(f *os.File, dir string) error { return nil }
