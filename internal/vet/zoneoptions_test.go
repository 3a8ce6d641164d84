package vet

import (
	"reflect"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/load/loadtest"
	"github.com/axc-dev/axc/schema"
)

// The time zone options kept by schema text and config field are those a
// scan of that text finds, whatever was kept before: every release's, for
// two config fields, in turn and again.
func TestZoneOptionsMatchScan(t *testing.T) {
	texts := loadtest.OptionTexts(t)
	// A text whose zone options differ from every release's.
	texts = append(texts, []byte("#NixosOptions: {\n\tfoo: zone: string @option(name=\"foo.timeZone\",type=\"string\")\n}\n"))
	for round := range 2 {
		for i, src := range texts {
			for _, config := range []string{"extraConfig", "nixos"} {
				got := zoneOptionsOf(config, src)
				want := [][]string{{config, "time", "timeZone"}}
				opts, err := schema.ScanOptions(src)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range opts {
					if o.Set == "nixos" && strings.HasSuffix(o.Name, ".timeZone") && strings.Contains(o.Type, "string") {
						want = append(want, append([]string{config}, strings.Split(o.Name, ".")...))
					}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("round %d, text %d, %s: kept %v, scan %v", round, i, config, got, want)
				}
			}
		}
	}
}
