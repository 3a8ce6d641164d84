package compile

import (
	"reflect"
	"testing"

	"github.com/axc-dev/axc/internal/load/loadtest"
	"github.com/axc-dev/axc/schema"
)

// The options a compiler knows, kept by the text of the generated schema
// file, are those of that text: whatever texts came before it, each
// release's after the others', and again.
func TestOptionFactsMatchScan(t *testing.T) {
	texts := loadtest.OptionTexts(t)
	if len(texts) < 2 {
		t.Fatalf("%d releases", len(texts))
	}
	for round := range 2 {
		for i, src := range texts {
			got, err := optionFactsOf(src)
			if err != nil {
				t.Fatal(err)
			}
			opts, err := schema.ScanOptions(src)
			if err != nil {
				t.Fatal(err)
			}
			want := &optionFacts{
				pathTypes: schema.NewPathOptions(opts, "nixos"), homePathTypes: schema.NewPathOptions(opts, "home"),
				nixosNames: nixosNames(opts), homeNames: schema.NewOptionNames(opts, "home"),
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round %d, release %d: kept options differ from the scan's", round, i)
			}
		}
	}
}
