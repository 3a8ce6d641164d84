package cmd

import (
	"runtime/debug"
	"testing"
)

// Every source of a version, and what wins when several are there: the
// version never falls back to a bare "devel" while any source knows more.
func TestVersionOf(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	vcs := func(main string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/axc-dev/axc", Version: main}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	for _, tc := range []struct {
		name                  string
		ldVersion, ldRevision string
		bi                    *debug.BuildInfo
		want                  string
	}{
		{"go install @tag", "", "", vcs("v0.1.0"), "v0.1.0"},
		{"go build in a checkout (Go's pseudo-version)", "", "", vcs("v0.0.0-20261206120000-0123456789ab+dirty", "vcs.revision", rev, "vcs.modified", "true"), "v0.0.0-20261206120000-0123456789ab+dirty"},
		{"-X Version over Go's pseudo-version", "v0.1.0", "", vcs("v0.0.0-20261206120000-0123456789ab", "vcs.revision", rev), "v0.1.0"},
		{"-X Version, no module version (flake build)", "v0.1.0", rev, vcs("(devel)"), "v0.1.0"},
		{"-X Revision only", "", rev, vcs("(devel)"), "devel-0123456789ab"},
		{"-X Revision over the recorded one", "", "fedcba9876543210", vcs("(devel)", "vcs.revision", rev, "vcs.modified", "true"), "devel-fedcba987654"},
		{"VCS revision recorded", "", "", vcs("(devel)", "vcs.revision", rev, "vcs.modified", "false"), "devel-0123456789ab"},
		{"VCS revision, dirty tree", "", "", vcs("(devel)", "vcs.revision", rev, "vcs.modified", "true"), "devel-0123456789ab-dirty"},
		{"short revision", "", "abc", vcs(""), "devel-abc"},
		{"nothing known", "", "", vcs("(devel)"), "devel"},
		{"no build information", "", "", nil, "devel"},
	} {
		if got := versionOf(tc.ldVersion, tc.ldRevision, tc.bi); got != tc.want {
			t.Errorf("%s: versionOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}
