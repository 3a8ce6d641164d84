package compile

import (
	"strings"
	"testing"

	"github.com/axc-dev/axc/schema"
)

// The fields whose relative values become Nix path literals come from the
// schema's "absolute path" options, plus the host's own path fields.
func TestIsPath(t *testing.T) {
	fsys, err := schema.Release("96990f9") // the paths below are its
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(t.TempDir(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"diskConfigPath":                              true,
		"userModulePath":                              true,
		"secrets.secretsDir":                          true,
		"secrets.identityPaths.1":                     true,
		"extraConfig.secrets.identityPaths.0":         true,
		"extraConfig.selfHosted.immich.mediaLocation": true,
		"selfHosted.immich.mediaLocation":             true,
		"extraConfig.axios.system.timeZone":           false,
		"extraConfig.services.openssh.settings.path":  false,
		"hostname": false,
		"extraConfig.networking.samba.sharedDirectories.0": false,
	} {
		if got := c.isPath(&hostState{}, strings.Split(path, ".")); got != want {
			t.Errorf("%s: isPath %v, want %v", path, got, want)
		}
	}
}
