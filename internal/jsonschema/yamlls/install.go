// Package yamlls runs yaml-language-server, the YAML language server of
// VS Code, Neovim and Helix, on YAML hosts for axc's tests: what it says
// of a host with the schema axc schema export writes is what an author
// sees in their editor.
//
// The server is an npm package, pinned (package.json and package-lock.json
// beside this file) and installed once into the user cache directory;
// tests that need it skip when node or npm is absent, and fail instead
// under AXC_REQUIRE_NPM=1 (CI).
package yamlls

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/axc-dev/axc/internal/safeio"
)

// Version is the yaml-language-server the tests run: the newest 1.x.
// 2.0.0 needs Node.js 22.13 or later (its engines field), and the machines
// have Node.js 20 (Debian's own is 18); 1.25.0 declares no engines and runs
// on both. package-lock.json pins its dependencies too.
const Version = "1.25.0"

// RequireEnv names the variable that turns a missing node or npm from a
// skip into a failure.
const RequireEnv = "AXC_REQUIRE_NPM"

//go:embed package.json package-lock.json
var packageFiles embed.FS

// Available reports whether node and npm are on PATH. It returns an error
// when they are not and AXC_REQUIRE_NPM=1, so that CI cannot skip.
func Available() (bool, error) {
	for _, bin := range []string{"node", "npm"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv(RequireEnv) == "1" {
				return false, fmt.Errorf("%s=1 but %s is unavailable: %v", RequireEnv, bin, err)
			}
			return false, nil
		}
	}
	return true, nil
}

// installedMarker is written last into an installation: a directory
// without it is an interrupted one.
const installedMarker = ".axc-installed"

// Install returns the path of the pinned yaml-language-server's script
// (run with node), installing it with npm ci unless the user cache
// directory already holds it: a test run after the first needs no
// network. cacheDir overrides the user cache directory when not empty.
func Install(ctx context.Context, cacheDir string) (string, error) {
	lock, err := packageFiles.ReadFile("package-lock.json")
	if err != nil {
		return "", err
	}
	if cacheDir == "" {
		if cacheDir, err = os.UserCacheDir(); err != nil {
			cacheDir = os.TempDir() // no HOME: still once a boot
		}
	}
	// Keyed by the lock: another pin installs anew, beside this one.
	sum := sha256.Sum256(lock)
	parent := filepath.Join(cacheDir, "axc", "yaml-language-server")
	dir := filepath.Join(parent, Version+"-"+hex.EncodeToString(sum[:6]))
	if err := checkInstalled(dir); err == nil {
		return script(dir), nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	// Installed into a directory of its own, then renamed: another test
	// process installing at the same time cannot see half of it.
	tmp, err := os.MkdirTemp(parent, ".install-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for _, name := range []string{"package.json", "package-lock.json"} {
		data, err := packageFiles.ReadFile(name)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", err
		}
	}
	// --ignore-scripts: nothing the packages ship runs at install.
	cmd := exec.CommandContext(ctx, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm ci of yaml-language-server %s: %v\n%s", Version, err, strings.TrimSpace(out.String()))
	}
	if err := checkVersion(tmp); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, installedMarker), nil, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process installed it first: use theirs.
		if checkInstalled(dir) == nil {
			return script(dir), nil
		}
		if err := os.RemoveAll(dir); err != nil { // an interrupted one
			return "", err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return "", err
		}
	}
	return script(dir), nil
}

// script is the server's entry point in an installation.
func script(dir string) string {
	return filepath.Join(dir, "node_modules", "yaml-language-server", "bin", "yaml-language-server")
}

// checkInstalled reports why dir is not a whole installation of Version.
func checkInstalled(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, installedMarker)); err != nil {
		return err
	}
	if _, err := os.Stat(script(dir)); err != nil {
		return err
	}
	return checkVersion(dir)
}

// checkVersion reports whether dir's node_modules holds Version.
func checkVersion(dir string) error {
	data, err := safeio.ReadFile(filepath.Join(dir, "node_modules", "yaml-language-server", "package.json"), 1<<20)
	if err != nil {
		return err
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(data, &pkg); err != nil {
		return err
	}
	if pkg.Version != Version {
		return fmt.Errorf("yaml-language-server: installed %q, want %s", pkg.Version, Version)
	}
	return nil
}
