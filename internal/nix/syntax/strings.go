package syntax

import (
	"bytes"
	"strings"
)

// Parsing of strings, indented strings and paths, which the parser lexes
// itself in the lexer states Nix uses for them.

// parseString parses a "…" string at p.tok.
func (p *parser) parseString() *String {
	open := p.tok
	s := &String{Open: p.pos(open.off)}
	i := open.end
	for {
		switch {
		case i < len(p.src) && p.src[i] == '"':
			s.Close = p.pos(i)
			p.next(i + 1)
			return s
		case i+1 < len(p.src) && p.src[i] == '$' && p.src[i+1] == '{':
			s.Parts = append(s.Parts, p.parseInterp(i, i+2))
			i = p.tok.end
			continue
		}
		j := p.stringText(i)
		if j == i {
			p.errorf(open.off, "unterminated string")
		}
		raw := p.src[i:j]
		s.Parts = append(s.Parts, &Text{ValuePos: p.pos(i), Raw: string(raw), Value: unescape(raw)})
		i = j
	}
}

// indToken is a token of an indented string: raw text subject to
// indentation stripping, an escape (not subject to it), or an interpolation.
type indToken struct {
	text   *Text
	interp *Interp
	indent bool // text is raw string text (IND_STR), not an escape
}

// parseIndString parses an indented string at p.tok.
func (p *parser) parseIndString() *String {
	open := p.tok
	s := &String{Open: p.pos(open.off), Indented: true}
	var toks []indToken
	i := open.end
	addText := func(j int, value string, indent bool) {
		toks = append(toks, indToken{text: &Text{ValuePos: p.pos(i), Raw: string(p.src[i:j]), Value: value}, indent: indent})
		i = j
	}
	for {
		at := func(k int) byte { return p.at(k) }
		switch {
		case i >= len(p.src):
			p.errorf(open.off, "unterminated indented string")
		case at(i) == '\'' && at(i+1) == '\'' && i+1 < len(p.src):
			switch {
			case at(i+2) == '\'' && i+2 < len(p.src):
				addText(i+3, "''", false)
			case at(i+2) == '$' && i+2 < len(p.src):
				addText(i+3, "$", false)
			case at(i+2) == '\\' && i+3 < len(p.src):
				addText(i+4, unescape(p.src[i+2:i+4]), false)
			default:
				s.Close = p.pos(i)
				s.Parts = stripIndentation(toks)
				p.next(i + 2)
				return s
			}
		case at(i) == '$' && at(i+1) == '{' && i+1 < len(p.src):
			toks = append(toks, indToken{interp: p.parseInterp(i, i+2)})
			i = p.tok.end
		default:
			if j := p.indText(i); j > i {
				addText(j, string(p.src[i:j]), true)
			} else {
				// A lone $ or ' that no longer rule takes.
				addText(i+1, string(p.src[i:i+1]), false)
			}
		}
	}
}

// stripIndentation is Nix 2.8's stripIndentation: it removes the smallest
// indentation of the lines from the text tokens, and the last line if it
// holds only spaces.
func stripIndentation(toks []indToken) []StringPart {
	atStart := true
	minIndent := 1000000
	cur := 0
	for _, t := range toks {
		if !t.indent {
			if atStart {
				atStart = false
				minIndent = min(minIndent, cur)
			}
			continue
		}
		v := t.text.Value
		for j := 0; j < len(v); j++ {
			if atStart {
				switch v[j] {
				case ' ':
					cur++
				case '\n':
					cur = 0
				default:
					atStart = false
					minIndent = min(minIndent, cur)
				}
			} else if v[j] == '\n' {
				atStart = true
				cur = 0
			}
		}
	}
	parts := make([]StringPart, 0, len(toks))
	atStart = true
	dropped := 0
	for n, t := range toks {
		if t.interp != nil {
			atStart = false
			dropped = 0
			parts = append(parts, t.interp)
			continue
		}
		v := t.text.Value
		var b []byte
		for j := 0; j < len(v); j++ {
			c := v[j]
			if atStart {
				switch c {
				case ' ':
					if dropped >= minIndent {
						b = append(b, c)
					}
					dropped++
				case '\n':
					dropped = 0
					b = append(b, c)
				default:
					atStart = false
					dropped = 0
					b = append(b, c)
				}
			} else {
				b = append(b, c)
				if c == '\n' {
					atStart = true
				}
			}
		}
		if n == len(toks)-1 {
			if k := bytes.LastIndexByte(b, '\n'); k >= 0 && len(bytes.TrimLeft(b[k+1:], " ")) == 0 {
				b = b[:k+1]
			}
		}
		t.text.Value = string(b)
		parts = append(parts, t.text)
	}
	return parts
}

// parsePath parses a path at p.tok, with its interpolations.
func (p *parser) parsePath() *Path {
	t := p.tok
	first := p.text(t)
	path := &Path{Parts: []StringPart{&Text{ValuePos: p.pos(t.off), Raw: first, Value: first}}}
	slash := strings.HasSuffix(first, "/")
	// Text can follow the first token only after a trailing slash, and
	// Nix's grammar then requires an interpolation after at most one
	// token of text: ./a//b${x} is a path, ./a//b and ./a//b//c${x} are
	// errors.
	interps, texts := 0, 0
	i := t.end
	for {
		if p.at(i) == '$' && p.at(i+1) == '{' && i+1 < len(p.src) {
			path.Parts = append(path.Parts, p.parseInterp(i, i+2))
			i = p.tok.end
			slash = false
			interps++
			continue
		}
		if n := p.pathPart(i); n > 0 {
			if interps == 0 {
				if texts++; texts == 2 {
					p.errorf(i, "unexpected path text, expecting '${'")
				}
			}
			s := string(p.src[i : i+n])
			path.Parts = append(path.Parts, &Text{ValuePos: p.pos(i), Raw: s, Value: s})
			i += n
			slash = strings.HasSuffix(s, "/")
			continue
		}
		if slash {
			p.errorf(i, "path has a trailing slash")
		}
		if interps == 0 && texts > 0 {
			p.errorf(i, "unexpected end of path, expecting '${'")
		}
		p.next(i)
		return path
	}
}
