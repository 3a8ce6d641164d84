// Package options describes what a host of an axios release can set: every
// field of #Host and every option of the generated schema, with its type,
// default, allowed values, what brings it onto a host (a modules flag, a
// condition, every host) and the releases that have it. `axc options` and
// docs/options/<release>.md are written from it.
//
// Everything is read from the syntax of the schema's files, never by
// evaluating the schema: the command lists options for an editor's picker,
// and must answer in a few milliseconds.
package options

//go:generate go test -run TestDocs -update

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/axc-dev/axc/internal/schemagen"
	"github.com/axc-dev/axc/schema"
)

// Kind says what an entry is.
type Kind string

const (
	// HostField is a field of #Host (hardware.cpu, modules.ai).
	HostField Kind = "host field"
	// NixOSOption is an option of the NixOS modules, set in extraConfig
	// (or in the host's section of that name).
	NixOSOption Kind = "option"
	// HomeOption is an option of the home-manager modules, set in a
	// user's home.
	HomeOption Kind = "home option"
)

// Entry is one host field or option.
type Entry struct {
	Name string `json:"name"` // dotted: hardware.cpu, cairn.immich.port
	Kind Kind   `json:"kind"`
	// Type is the NixOS type of an option, the CUE type of a host field.
	Type string `json:"type"`
	// Default is the JSON of the default, when it is a literal;
	// DefaultText says what one that is not is (an option's: Nix text).
	Default     json.RawMessage `json:"default,omitempty"`
	DefaultText string          `json:"defaultText,omitempty"`
	// Example is the JSON of the example an option's author gives, when
	// it is a literal; ExampleText the Nix text of one that is not.
	Example     json.RawMessage `json:"example,omitempty"`
	ExampleText string          `json:"exampleText,omitempty"`
	Required    bool            `json:"required,omitempty"`
	ReadOnly    bool            `json:"readOnly,omitempty"`
	// Values are the allowed values, when the type lists them; Min and
	// Max bound an integer type.
	Values []json.RawMessage `json:"values,omitempty"`
	Min    *int64            `json:"min,omitempty"`
	Max    *int64            `json:"max,omitempty"`
	// Flag is the modules flag that brings the option (a host field:
	// that copies the section to the options); Condition what brings it
	// when no flag does. From says it in words (empty for a plain host
	// field).
	Flag      string `json:"flag,omitempty"`
	Condition string `json:"condition,omitempty"`
	From      string `json:"from,omitempty"`
	// Releases are the releases that have the entry, oldest first.
	Releases []string `json:"releases"`
	// Doc is an option's description (its author's markdown), a host
	// field's doc comment.
	Doc string `json:"doc,omitempty"`
}

// Read describes the schema in fsys. tags are the releases, oldest first,
// whose schemas (files(tag); nil files means schema.Release) say which
// releases have each entry.
func Read(fsys fs.FS, tags []string, files func(tag string) (fs.FS, error)) ([]Entry, error) {
	if files == nil {
		files = schema.Release
	}
	c, err := schema.ReadContract(fsys)
	if err != nil {
		return nil, err
	}
	entries, err := hostFields(fsys, c)
	if err != nil {
		return nil, err
	}
	gen, err := fs.ReadFile(fsys, schema.GenFile)
	if err != nil {
		return nil, err
	}
	opts, err := schema.ScanOptions(gen)
	if err != nil {
		return nil, err
	}
	flags, err := optionFlags(gen)
	if err != nil {
		return nil, err
	}
	conds, err := optionConditions(fsys, c.ConfigField)
	if err != nil {
		return nil, err
	}
	var optEntries []Entry
	for _, o := range opts {
		e := Entry{
			Name:        o.Name,
			Kind:        NixOSOption,
			Type:        o.Type,
			DefaultText: o.DefaultText,
			ExampleText: o.ExampleText,
			ReadOnly:    o.ReadOnly,
			Doc:         o.Doc,
		}
		for _, v := range []struct {
			what, js string
			to       *json.RawMessage
		}{{"default", o.Default, &e.Default}, {"example", o.Example, &e.Example}} {
			if v.js == "" {
				continue
			}
			if !json.Valid([]byte(v.js)) {
				return nil, fmt.Errorf("%s: option %s: %s %q is not JSON", schema.GenFile, o.Name, v.what, v.js)
			}
			*v.to = json.RawMessage(v.js)
		}
		if t, err := schemagen.ParseType(o.Type); err == nil {
			e.Values, e.Min, e.Max = typeValues(t)
		}
		if o.Set == "home" {
			e.Kind = HomeOption
		} else {
			e.Flag = flags[o.Name]
			if e.Flag == "" {
				e.Condition = conditionOf(conds, o.Name)
			}
		}
		optEntries = append(optEntries, e)
	}
	// The generated file lists the closed namespaces first: sort, as the
	// NixOS manual does.
	slices.SortStableFunc(optEntries, func(a, b Entry) int {
		if a.Kind != b.Kind {
			return cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind))
		}
		return strings.Compare(a.Name, b.Name)
	})
	entries = append(entries, optEntries...)
	for i := range entries {
		entries[i].From = from(&entries[i])
	}
	if err := addReleases(entries, tags, files); err != nil {
		return nil, err
	}
	return entries, nil
}

// kindOrder orders the kinds as a host is written: its fields, NixOS
// options, then its users' home options.
func kindOrder(k Kind) int { return slices.Index([]Kind{HostField, NixOSOption, HomeOption}, k) }

// conditionOf is the condition that brings an option below one of the
// prefixes in conds.
func conditionOf(conds map[string]string, name string) string {
	for p := name; ; {
		if c, ok := conds[p]; ok {
			return c
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return ""
		}
		p = p[:i]
	}
}

// from says what brings an entry onto a host.
func from(e *Entry) string {
	switch {
	case e.Kind == HomeOption:
		return "a user's home (home-manager)"
	case e.Kind == HostField && e.Flag != "":
		return "copied to the options with modules." + e.Flag
	case e.Kind == HostField:
		return "" // a field of every host
	case strings.HasPrefix(e.Flag, "_"):
		// A hidden flag is always false: its module is not for hosts.
		return "no host (modules." + e.Flag + " is always false)"
	case e.Flag != "":
		return "modules." + e.Flag
	case e.Condition != "":
		return e.Condition
	}
	return "every host"
}

// ReleasesMatching lists the releases of tags (files as for Read) that
// have an option or host field matching query.
func ReleasesMatching(query string, tags []string, files func(tag string) (fs.FS, error)) ([]string, error) {
	if files == nil {
		files = schema.Release
	}
	var out []string
	for _, tag := range tags {
		names, err := releaseNames(tag, files)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if Matches(n.name, query) {
				out = append(out, tag)
				break
			}
		}
	}
	return out, nil
}

// entryKey is an entry's identity: its kind and name.
type entryKey struct {
	kind Kind
	name string
}

// releaseNames lists the entries of a release, cheaply: only their names.
func releaseNames(tag string, files func(string) (fs.FS, error)) ([]entryKey, error) {
	fsys, err := files(tag)
	if err != nil {
		return nil, err
	}
	gen, err := fs.ReadFile(fsys, schema.GenFile)
	if err != nil {
		return nil, fmt.Errorf("release %s: %v", tag, err)
	}
	opts, err := schema.ScanOptions(gen)
	if err != nil {
		return nil, fmt.Errorf("release %s: %v", tag, err)
	}
	hostNames, err := hostFieldNames(fsys)
	if err != nil {
		return nil, fmt.Errorf("release %s: %v", tag, err)
	}
	var out []entryKey
	for _, n := range hostNames {
		out = append(out, entryKey{HostField, n})
	}
	for _, o := range opts {
		k := NixOSOption
		if o.Set == "home" {
			k = HomeOption
		}
		out = append(out, entryKey{k, o.Name})
	}
	return out, nil
}

// addReleases sets the releases that have each entry.
func addReleases(entries []Entry, tags []string, files func(string) (fs.FS, error)) error {
	have := map[entryKey][]string{}
	for _, tag := range tags {
		names, err := releaseNames(tag, files)
		if err != nil {
			return err
		}
		for _, n := range names {
			have[n] = append(have[n], tag)
		}
	}
	for i := range entries {
		entries[i].Releases = have[entryKey{entries[i].Kind, entries[i].Name}]
		if entries[i].Releases == nil {
			entries[i].Releases = []string{}
		}
	}
	return nil
}

// typeValues are the values a NixOS type lists, or its integer bounds.
func typeValues(t *schemagen.Type) (vals []json.RawMessage, min, max *int64) {
	switch t.Kind {
	case schemagen.Bool:
		return []json.RawMessage{json.RawMessage("true"), json.RawMessage("false")}, nil, nil
	case schemagen.Enum:
		for _, v := range t.Values {
			js, _ := json.Marshal(v)
			vals = append(vals, js)
		}
		return vals, nil, nil
	case schemagen.IntRange:
		lo := t.Min
		if t.Max == 1<<63-1 {
			return nil, &lo, nil
		}
		hi := t.Max
		return nil, &lo, &hi
	case schemagen.NullOr:
		vals, min, max = typeValues(t.Elem)
		if vals != nil || min != nil {
			vals = append([]json.RawMessage{json.RawMessage("null")}, vals...)
		}
		return vals, min, max
	}
	return nil, nil, nil
}
