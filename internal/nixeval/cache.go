package nixeval

import (
	"encoding/json"
	"path/filepath"

	"github.com/axc-dev/axc/internal/atomicfile"
	"github.com/axc-dev/axc/internal/safeio"
)

// Cache keeps verdicts on disk, one file a host verdict, named by the hash
// of everything the verdict depends on: the source and its inputs (their
// narHashes), the driver, axc's version, and the host's file. A file that
// cannot be read or decoded is no entry; entries are written atomically.
type Cache struct{ Dir string }

// maxEntry bounds a cache file read.
const maxEntry = 1 << 20

type entry struct {
	Version string  `json:"version"`
	Errors  []Error `json:"errors"`
}

func (c *Cache) path(key string) string { return filepath.Join(c.Dir, key[:2], key+".json") }

func (c *Cache) get(key string) (Verdict, bool) {
	if c == nil || c.Dir == "" {
		return Verdict{}, false
	}
	data, err := safeio.ReadFile(c.path(key), maxEntry)
	if err != nil {
		return Verdict{}, false
	}
	var e entry
	if err := json.Unmarshal(data, &e); err != nil || e.Version != DriverVersion {
		return Verdict{}, false
	}
	for _, x := range e.Errors {
		switch x.Kind {
		case KindAssertion, KindUnknownOption, KindType, KindOption, KindError:
		default:
			return Verdict{}, false
		}
	}
	return Verdict{Errors: e.Errors}, true
}

// put stores v; a cache that cannot be written is no cache.
func (c *Cache) put(key string, v Verdict) {
	if c == nil || c.Dir == "" {
		return
	}
	data, err := json.Marshal(entry{Version: DriverVersion, Errors: v.Errors})
	if err != nil {
		return
	}
	_ = atomicfile.Write(c.path(key), data)
}
