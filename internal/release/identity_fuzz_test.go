package release

import (
	"encoding/json"
	"testing"
)

// FuzzLockIdentity: a flake.lock input is the framework exactly when its
// owner and repository are kcalvelli/axios or kcalvelli/cairn in ASCII,
// whatever the case of their ASCII letters; a name that only Unicode case
// folding makes one of them is a lookalike, never the framework.
func FuzzLockIdentity(f *testing.F) {
	for _, s := range [][2]string{
		{"kcalvelli", "axios"}, {"KCalvelli", "AXIOS"}, {"kcalvelli", "cairn"},
		{"\u212acalvelli", "axios"}, {"kcalvelli", "axio\u017f"}, {"kcalvelli", "axiosx"},
		{"kcalvell\u0130", "axios"}, {"", ""},
	} {
		f.Add(s[0], s[1])
	}
	repos := []string{"kcalvelli/axios", "kcalvelli/cairn"}
	f.Fuzz(func(t *testing.T, owner, repo string) {
		lock, err := json.Marshal(map[string]any{
			"version": 7, "root": "root",
			"nodes": map[string]any{
				"root": map[string]any{"inputs": map[string]any{"in": "x"}},
				"x": map[string]any{"locked": map[string]any{
					"type": "github", "owner": owner, "repo": repo,
					"rev": "96990f9dadc30a94ca18f26f901cfef98550de07",
				}},
			},
		})
		if err != nil {
			t.Skip() // not JSON-encodable
		}
		found, lookalikes, err := parseLock("flake.lock", lock, repos)
		if err != nil {
			t.Fatal(err)
		}
		want := lowerASCII(owner) == "kcalvelli" && (lowerASCII(repo) == "axios" || lowerASCII(repo) == "cairn")
		if got := len(found) == 1; got != want {
			t.Fatalf("%q/%q: framework %v, want %v", owner, repo, got, want)
		}
		if want && len(lookalikes) > 0 {
			t.Fatalf("%q/%q: the framework and a lookalike", owner, repo)
		}
	})
}
