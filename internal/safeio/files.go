package safeio

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Files is where axc reads the inputs of a run (hosts, users), by their
// paths on disk: the disk itself (Disk), or the disk under the texts an
// editor holds unsaved (Overlay), so that the language server checks what
// is being typed through the same pipeline vet runs on what is saved.
type Files interface {
	// ReadFile is ReadFile of name: a regular file of at most limit bytes.
	ReadFile(name string, limit int64) ([]byte, error)
	// ReadDir is ReadDir of name.
	ReadDir(name string) ([]fs.DirEntry, error)
	// Stat is os.Stat of name.
	Stat(name string) (fs.FileInfo, error)
}

// Disk is the files on disk, read with this package's checks.
var Disk Files = disk{}

type disk struct{}

func (disk) ReadFile(name string, limit int64) ([]byte, error) { return ReadFile(name, limit) }
func (disk) ReadDir(name string) ([]fs.DirEntry, error)        { return ReadDir(name) }
func (disk) Stat(name string) (fs.FileInfo, error)             { return os.Stat(name) }

// ReadFileShared is in.ReadFile(name, limit), without a copy of what in
// keeps (CachingDisk's contents, Overlay's texts): the bytes returned may
// be shared with in and with other callers, and must not be modified. For
// the reads of every file of a package on every change of one of them
// (the language server), where the copies were a fifth of what a check
// allocated.
func ReadFileShared(in Files, name string, limit int64) ([]byte, error) {
	if s, ok := in.(sharedReader); ok {
		return s.readShared(name, limit)
	}
	return in.ReadFile(name, limit)
}

// sharedReader is a Files that can read without copying what it keeps.
type sharedReader interface {
	readShared(name string, limit int64) ([]byte, error)
}

// Overlay is base with texts (by absolute path) read in place of the files
// at those paths, and listed in their directories even when not on disk (a
// file being written that was never saved).
func Overlay(base Files, texts map[string][]byte) Files {
	o := &overlay{base: base, texts: map[string][]byte{}}
	for p, data := range texts {
		o.texts[filepath.Clean(p)] = data
	}
	return o
}

type overlay struct {
	base  Files
	texts map[string][]byte
}

// text is the overlay's text for name (made absolute as the working
// directory says), if it has one.
func (o *overlay) text(name string) ([]byte, bool) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, false
	}
	data, ok := o.texts[abs]
	return data, ok
}

func (o *overlay) ReadFile(name string, limit int64) ([]byte, error) {
	data, ok := o.text(name)
	if !ok {
		return o.base.ReadFile(name, limit)
	}
	if int64(len(data)) > limit {
		return nil, TooLarge(name, limit)
	}
	return slices.Clone(data), nil
}

// readShared is ReadFile without the copy (ReadFileShared).
func (o *overlay) readShared(name string, limit int64) ([]byte, error) {
	data, ok := o.text(name)
	if !ok {
		return ReadFileShared(o.base, name, limit)
	}
	if int64(len(data)) > limit {
		return nil, TooLarge(name, limit)
	}
	return data, nil
}

func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := o.base.ReadDir(name)
	abs, aerr := filepath.Abs(name)
	if aerr != nil {
		return entries, err
	}
	var added []fs.DirEntry
	for p, data := range o.texts {
		if filepath.Dir(p) != abs {
			continue
		}
		base := filepath.Base(p)
		if slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == base }) {
			continue
		}
		added = append(added, fs.FileInfoToDirEntry(textInfo{name: base, size: int64(len(data))}))
	}
	if err != nil && len(added) == 0 {
		return nil, err
	}
	entries = append(entries, added...)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

func (o *overlay) Stat(name string) (fs.FileInfo, error) {
	info, err := o.base.Stat(name)
	data, ok := o.text(name)
	if !ok || err == nil && info.IsDir() {
		return info, err
	}
	return textInfo{name: filepath.Base(name), size: int64(len(data))}, nil
}

// textInfo describes a text of an overlay: a regular file.
type textInfo struct {
	name string
	size int64
}

func (i textInfo) Name() string       { return i.name }
func (i textInfo) Size() int64        { return i.size }
func (i textInfo) Mode() fs.FileMode  { return 0o644 }
func (i textInfo) ModTime() time.Time { return time.Time{} }
func (i textInfo) IsDir() bool        { return false }
func (i textInfo) Sys() any           { return nil }
