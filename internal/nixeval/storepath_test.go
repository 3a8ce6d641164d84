package nixeval

import "testing"

func TestSourcePath(t *testing.T) {
	// Nix 2.8 added a directory named s1 with this narHash at this path
	// (nix-store --add-fixed --recursive sha256 s1; nix hash path s1).
	got, err := SourcePath("/nix/store", "sha256-JXJWLZohkBMbEV7hSeEtDkfFFfT45EPTdng6Bt4zOzw=", "s1")
	if err != nil {
		t.Fatal(err)
	}
	if want := "/nix/store/76mxviz0lz38xc6y3r79y8nl1snhfii6-s1"; got != want {
		t.Errorf("SourcePath = %s, want %s", got, want)
	}
	for _, bad := range []string{"", "sha1-abc", "sha256-%%%", "sha256-AAAA"} {
		if _, err := SourcePath("/nix/store", bad, "source"); err == nil {
			t.Errorf("SourcePath(%q): no error", bad)
		}
	}
}
