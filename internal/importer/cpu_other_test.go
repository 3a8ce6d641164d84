//go:build !linux

package importer

import "time"

// threadCPU is not measured but on Linux: FuzzImportFlake then checks
// memory only.
func threadCPU() time.Duration { return 0 }
