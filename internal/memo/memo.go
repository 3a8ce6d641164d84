// Package memo keeps values derived from a text (a schema file) by that
// text, so that what the language server makes for every check (a
// compiler, a checker) does not derive them again.
package memo

import "sync"

// maxKept is how many texts a ByText keeps: a few releases' schemas, or a
// schema directory being edited again and again (then it starts over).
const maxKept = 8

// ByText keeps values of type T by the text they were derived from. The
// values are shared: callers only read them. The zero value is ready.
type ByText[T any] struct {
	mu   sync.Mutex
	kept map[string]T
}

// Get is the value kept for key, else make's, kept when make succeeds.
func (m *ByText[T]) Get(key string, make func() (T, error)) (T, error) {
	m.mu.Lock()
	v, ok := m.kept[key]
	m.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := make()
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.kept) >= maxKept {
		m.kept = nil
	}
	if m.kept == nil {
		m.kept = map[string]T{}
	}
	m.kept[key] = v
	return v, nil
}
