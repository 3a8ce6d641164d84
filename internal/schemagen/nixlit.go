package schemagen

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseNixLiteral parses the text of a Nix expression that is plain data:
// strings without interpolation, numbers, booleans, null, lists and attribute
// sets of those. It returns the value as encoding/json would decode it
// (string, int64, float64, bool, nil, []any, map[string]any); ok is false when
// the text is anything else (a function call, a reference, an interpolation).
func ParseNixLiteral(text string) (v any, ok bool) {
	p := &nixLitParser{s: text}
	v, err := p.value()
	if err != nil {
		return nil, false
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, false
	}
	return v, true
}

type nixLitParser struct {
	s string
	i int
}

func (p *nixLitParser) skipSpace() {
	for p.i < len(p.s) {
		switch {
		case strings.ContainsRune(" \t\r\n", rune(p.s[p.i])):
			p.i++
		case p.s[p.i] == '#':
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *nixLitParser) value() (any, error) {
	p.skipSpace()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == '[':
		p.i++
		list := []any{}
		for {
			p.skipSpace()
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return list, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case c == '{':
		p.i++
		attrs := map[string]any{}
		for {
			p.skipSpace()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return attrs, nil
			}
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if !p.eat('=') {
				return nil, fmt.Errorf("expected =")
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if !p.eat(';') {
				return nil, fmt.Errorf("expected ;")
			}
			if _, dup := attrs[key]; dup {
				return nil, fmt.Errorf("duplicate key")
			}
			attrs[key] = v
		}
	case c == '-' || c >= '0' && c <= '9':
		j := p.i + 1
		for j < len(p.s) && strings.IndexByte("0123456789.eE+-", p.s[j]) >= 0 {
			j++
		}
		num := p.s[p.i:j]
		p.i = j
		if n, err := strconv.ParseInt(num, 10, 64); err == nil {
			return n, nil
		}
		if strings.ContainsAny(num, ".eE") {
			if f, err := strconv.ParseFloat(num, 64); err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("bad number")
	default:
		word := p.ident()
		switch word {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return nil, fmt.Errorf("not a literal")
	}
}

func (p *nixLitParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *nixLitParser) ident() string {
	j := p.i
	for j < len(p.s) {
		c := p.s[j]
		if c == '_' || c == '\'' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && j > p.i {
			j++
			continue
		}
		break
	}
	w := p.s[p.i:j]
	p.i = j
	return w
}

func (p *nixLitParser) key() (string, error) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		return p.str()
	}
	k := p.ident()
	if k == "" {
		return "", fmt.Errorf("expected key")
	}
	return k, nil
}

// str reads a double-quoted Nix string; an interpolation makes it code, not data.
func (p *nixLitParser) str() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(e)
			}
		case c == '$' && p.i+1 < len(p.s) && p.s[p.i+1] == '{':
			return "", fmt.Errorf("interpolation")
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", fmt.Errorf("unterminated string")
}
