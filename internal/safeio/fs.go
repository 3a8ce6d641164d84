package safeio

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
)

// DirFS is os.DirFS(dir) read the way ReadFile and ReadDir read: regular
// files of at most limit bytes and directories, nothing else, without
// blocking. Errors name the files by their paths on disk.
func DirFS(dir string, limit int64) fs.FS { return &dirFS{dir: dir, limit: limit} }

type dirFS struct {
	dir   string
	limit int64
}

var (
	_ fs.ReadFileFS = (*dirFS)(nil)
	_ fs.ReadDirFS  = (*dirFS)(nil)
	_ fs.StatFS     = (*dirFS)(nil)
)

// path is the file on disk that name stands for.
func (d *dirFS) path(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(d.dir, filepath.FromSlash(name)), nil
}

func (d *dirFS) Open(name string) (fs.File, error) {
	p, err := d.path("open", name)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(p)
	if err != nil {
		return nil, &Error{Path: p, Err: err}
	}
	if info.IsDir() {
		return openDir(p)
	}
	data, err := ReadFile(p, d.limit)
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(data), info: info}, nil
}

func (d *dirFS) ReadFile(name string) ([]byte, error) {
	p, err := d.path("read", name)
	if err != nil {
		return nil, err
	}
	return ReadFile(p, d.limit)
}

func (d *dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := d.path("readdir", name)
	if err != nil {
		return nil, err
	}
	return ReadDir(p)
}

func (d *dirFS) Stat(name string) (fs.FileInfo, error) {
	p, err := d.path("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(p)
	if err != nil {
		return nil, &Error{Path: p, Err: err}
	}
	return info, nil
}

// memFile is a regular file read whole.
type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }
