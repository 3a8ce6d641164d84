package memo

import (
	"errors"
	"fmt"
	"testing"
)

// Get makes a value once per key, keeps no error, and keeps at most
// maxKept keys: past that it starts over and makes them again.
func TestByText(t *testing.T) {
	var m ByText[string]
	made := 0
	get := func(key string) string {
		v, err := m.Get(key, func() (string, error) { made++; return "v" + key, nil })
		if err != nil || v != "v"+key {
			t.Fatalf("Get(%q) = %q, %v", key, v, err)
		}
		return v
	}
	get("a")
	get("a")
	if made != 1 {
		t.Errorf("made %d times for one key", made)
	}
	if _, err := m.Get("bad", func() (string, error) { return "", errors.New("no") }); err == nil {
		t.Error("the error was not returned")
	}
	if v, _ := m.Get("bad", func() (string, error) { return "ok", nil }); v != "ok" {
		t.Errorf("a failure was kept: %q", v)
	}
	for i := range maxKept {
		get(fmt.Sprint(i))
	}
	made = 0
	get("a")
	if made != 1 || len(m.kept) > maxKept {
		t.Errorf("after %d more keys: made %d, %d kept", maxKept, made, len(m.kept))
	}
}
