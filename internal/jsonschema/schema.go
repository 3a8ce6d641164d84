package jsonschema

import (
	"bytes"
	"encoding/json"
)

// Schema is a JSON Schema, written with its keywords in a fixed order.
type Schema struct {
	// False is the schema no value satisfies, written as false.
	False bool `json:"-"`

	Ref                  string            `json:"$ref,omitempty"`
	Description          string            `json:"description,omitempty"`
	Type                 Types             `json:"type,omitempty"`
	Const                json.RawMessage   `json:"const,omitempty"`
	Enum                 []json.RawMessage `json:"enum,omitempty"`
	Pattern              string            `json:"pattern,omitempty"`
	PatternErrorMessage  string            `json:"patternErrorMessage,omitempty"`
	Minimum              json.RawMessage   `json:"minimum,omitempty"`
	ExclusiveMinimum     json.RawMessage   `json:"exclusiveMinimum,omitempty"`
	Maximum              json.RawMessage   `json:"maximum,omitempty"`
	ExclusiveMaximum     json.RawMessage   `json:"exclusiveMaximum,omitempty"`
	Items                *Schema           `json:"items,omitempty"`
	Properties           Properties        `json:"properties,omitempty"`
	Required             []string          `json:"required,omitempty"`
	AdditionalProperties *Schema           `json:"additionalProperties,omitempty"`
	AnyOf                []*Schema         `json:"anyOf,omitempty"`
	AllOf                []*Schema         `json:"allOf,omitempty"`
	Not                  *Schema           `json:"not,omitempty"`
	Default              json.RawMessage   `json:"default,omitempty"`
	Examples             []json.RawMessage `json:"examples,omitempty"`
}

// MarshalJSON writes false for the false schema.
func (s *Schema) MarshalJSON() ([]byte, error) {
	if s.False {
		return []byte("false"), nil
	}
	type plain Schema // without this method
	return marshal((*plain)(s))
}

// isAny reports whether s admits every value and says nothing.
func (s *Schema) isAny() bool {
	b, _ := json.Marshal(s)
	return string(b) == "{}"
}

// onlyType reports whether s says nothing but its type.
func (s *Schema) onlyType() bool {
	t := s.Type
	if len(t) == 0 {
		return false
	}
	c := *s
	c.Type = nil
	return c.isAny()
}

// Types is the type keyword: one name, or a list.
type Types []string

// MarshalJSON writes one type as a string.
func (t Types) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		return json.Marshal(t[0])
	}
	return json.Marshal([]string(t))
}

// Property is one entry of properties or $defs.
type Property struct {
	Name   string
	Schema *Schema
}

// Properties keeps the order properties are written in.
type Properties []Property

// MarshalJSON writes an object in the order of p.
func (p Properties) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, prop := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(prop.Name)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(prop.Schema)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping: patterns keep their < and
// >, descriptions their &.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
