package safeio

import (
	"io/fs"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"
)

// racyWindow is how recently a file may have changed for its contents
// not to be kept: a file's times are coarse (a few milliseconds on
// Linux), so a file written twice within one tick, at the same size,
// would look unchanged; one that has not changed for this long is safe
// to know by its size and times (git's "racily clean" rule).
var racyWindow = 2 * time.Second

// CachingDisk is the files on disk, read with this package's checks,
// keeping the contents of each file read: read again while its size,
// inode and times (of change and of status change) are the same, a file
// costs a stat, not an open and a read. For a long-lived process that
// reads the same files again and again (the language server, which reads
// a whole package of hosts on every change).
func CachingDisk() Files { return &cachingDisk{files: map[string]cachedFile{}} }

type cachingDisk struct {
	mu    sync.Mutex
	files map[string]cachedFile
}

type cachedFile struct {
	stamp fileStamp
	limit int64
	data  []byte
}

// fileStamp is what says that a file changed.
type fileStamp struct {
	size         int64
	mtime, ctime int64 // nanoseconds
	dev, ino     uint64
}

func stampOf(info fs.FileInfo) (fileStamp, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStamp{}, false
	}
	return fileStamp{
		size:  info.Size(),
		mtime: info.ModTime().UnixNano(),
		ctime: time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)).UnixNano(),
		dev:   uint64(st.Dev),
		ino:   uint64(st.Ino),
	}, true
}

func (c *cachingDisk) ReadFile(name string, limit int64) ([]byte, error) {
	data, err := c.readShared(name, limit)
	return slices.Clone(data), err
}

// readShared is ReadFile without the copy: the bytes returned are the
// ones kept (ReadFileShared).
func (c *cachingDisk) readShared(name string, limit int64) ([]byte, error) {
	info, err := os.Stat(name)
	if err == nil && info.Mode().IsRegular() {
		if stamp, ok := stampOf(info); ok {
			c.mu.Lock()
			f, hit := c.files[name]
			c.mu.Unlock()
			if hit && f.stamp == stamp && f.limit == limit {
				return f.data, nil
			}
		}
	}
	data, err := ReadFile(name, limit)
	if err != nil {
		c.mu.Lock()
		delete(c.files, name)
		c.mu.Unlock()
		return nil, err
	}
	// Kept only when the stamp taken before the read still holds after it,
	// and the file did not change within racyWindow of now. The bytes kept
	// are the ones returned: no caller modifies them (ReadFileShared, and
	// ReadFile copies them).
	if after, err := os.Stat(name); err == nil && info != nil {
		before, ok1 := stampOf(info)
		now, ok2 := stampOf(after)
		settled := time.Since(after.ModTime()) > racyWindow && time.Since(time.Unix(0, now.ctime)) > racyWindow
		if ok1 && ok2 && before == now && now.size == int64(len(data)) && settled {
			c.mu.Lock()
			c.files[name] = cachedFile{stamp: now, limit: limit, data: data}
			c.mu.Unlock()
		}
	}
	return data, nil
}

func (c *cachingDisk) ReadDir(name string) ([]fs.DirEntry, error) { return ReadDir(name) }
func (c *cachingDisk) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
