package cmd

import (
	"os"
	"path/filepath"
)

// cacheEnv names the directory axc keeps what it computed for later runs
// in (vet's findings of each host, Nix's verdicts); "off" keeps nothing.
const cacheEnv = "AXC_CACHE_DIR"

// cacheDir is the directory for the cache named sub: below $AXC_CACHE_DIR,
// else the user cache directory's axc; "" for none ($AXC_CACHE_DIR is
// "off", or there is no user cache directory).
func cacheDir(sub string) string {
	root := os.Getenv(cacheEnv)
	switch {
	case root == "off":
		return ""
	case root == "":
		dir, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		root = filepath.Join(dir, "axc")
	}
	return filepath.Join(root, sub)
}
