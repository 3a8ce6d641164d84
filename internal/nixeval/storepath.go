package nixeval

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A locked flake input with a narHash is, once fetched, the store path
// Nix computes from that hash alone (a fixed-output path, recursive
// sha256, named "source"): axc computes it and looks for it on disk, so
// that finding a source needs neither Nix nor the network.

// StoreDir is the Nix store: $NIX_STORE_DIR, else /nix/store.
func StoreDir() string {
	if d := os.Getenv("NIX_STORE_DIR"); d != "" {
		return filepath.Clean(d)
	}
	return "/nix/store"
}

// SourcePath is the store path of a tree fetched with narHash (SRI,
// "sha256-…" base64) under name ("source", as every fetcher names it),
// in store dir.
func SourcePath(store, narHash, name string) (string, error) {
	b64, ok := strings.CutPrefix(narHash, "sha256-")
	if !ok {
		return "", fmt.Errorf("narHash %q is not a sha256 SRI hash", narHash)
	}
	sum, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(sum) != sha256.Size {
		return "", fmt.Errorf("narHash %q is not a sha256 SRI hash", narHash)
	}
	// Nix's makeFixedOutputPath for (recursive, sha256): makeStorePath
	// of type "source".
	s := "source:sha256:" + hex.EncodeToString(sum) + ":" + store + ":" + name
	h := sha256.Sum256([]byte(s))
	var short [20]byte
	for i, b := range h {
		short[i%20] ^= b
	}
	return store + "/" + base32(short[:]) + "-" + name, nil
}

// base32 is Nix's base32 (its own alphabet, least significant bits first).
func base32(b []byte) string {
	const alphabet = "0123456789abcdfghijklmnpqrsvwxyz"
	n := (len(b)*8-1)/5 + 1
	out := make([]byte, 0, n)
	for i := n - 1; i >= 0; i-- {
		bit := i * 5
		j, k := bit/8, uint(bit%8)
		c := b[j] >> k
		if j+1 < len(b) {
			c |= b[j+1] << (8 - k)
		}
		out = append(out, alphabet[c&0x1f])
	}
	return string(out)
}
