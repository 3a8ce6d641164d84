package load

// skipNested finds the bracket that closes the one just before src[off:]
// (closer is '}', ']' or ')'). It reads bytes, not tokens: scanTopLevel
// needs nothing from inside a top-level value but where it ends, and
// tokenizing every host of a large package was most of a one-file vet's
// scan. It follows what CUE's scanner does with brackets, comments, and
// strings with their escapes and interpolations, and gives up (ok false)
// at what it does not follow: raw strings (#"…"#), byte strings ('…'),
// attributes, a string not closed on its line, unbalanced brackets. The
// caller then scans the same bytes with CUE's scanner.
//
// Only valid CUE must be skipped right: the scan's answer for a file the
// parser refuses does not matter (FuzzSkipNested, FuzzTopLevelLabels).
func skipNested(src []byte, off int, closer byte) (end int, ok bool) {
	// closers is the stack of open brackets, by the byte closing each; 0
	// marks an open interpolation, whose ')' goes back into its string.
	closers := []byte{closer}
	var multi []bool // for each open interpolation, whether its string is multi-line
	i := off
	for i < len(src) {
		switch c := src[i]; c {
		case '{':
			closers = append(closers, '}')
			i++
		case '[':
			closers = append(closers, ']')
			i++
		case '(':
			closers = append(closers, ')')
			i++
		case '}', ']', ')':
			top := closers[len(closers)-1]
			closers = closers[:len(closers)-1]
			if top == 0 && c == ')' {
				// The end of \( … ): the string goes on, mid-line.
				m := multi[len(multi)-1]
				multi = multi[:len(multi)-1]
				var interp bool
				if i, interp, ok = skipString(src, i+1, m, false); !ok {
					return 0, false
				}
				if interp {
					closers, multi = append(closers, 0), append(multi, m)
				}
				continue
			}
			if top != c {
				return 0, false
			}
			if len(closers) == 0 {
				return i, true
			}
			i++
		case '"':
			m := len(src)-i >= 3 && src[i+1] == '"' && src[i+2] == '"'
			switch {
			case m:
				// The opening quotes end their line.
				i += 3
				if i < len(src) && src[i] == '\r' {
					i++
				}
				if i >= len(src) || src[i] != '\n' {
					return 0, false
				}
				i++
			case i+1 < len(src) && src[i+1] == '"':
				i += 2 // the empty string
				continue
			default:
				i++
			}
			var interp bool
			if i, interp, ok = skipString(src, i, m, m); !ok {
				return 0, false
			}
			if interp {
				closers, multi = append(closers, 0), append(multi, m)
			}
		case '#':
			if i+1 < len(src) && (src[i+1] == '"' || src[i+1] == '\'' || src[i+1] == '#') {
				return 0, false // a raw string
			}
			i++
		case '\'', '@', '`':
			return 0, false // a byte string, an attribute, not CUE
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				for i < len(src) && src[i] != '\n' {
					i++
				}
				continue
			}
			i++
		default:
			i++
		}
	}
	return 0, false
}

// skipString skips the rest of a double-quoted string from src[i:], after
// its opening quotes or an interpolation's ')', to just after its closing
// quotes (interp false) or just after the \( of its next interpolation
// (interp true). A multi-line string closes only with """ that follows
// nothing but spaces and tabs on its line, as in CUE's scanner;
// closeAllowed says whether the string is at such a place at src[i].
func skipString(src []byte, i int, multi, closeAllowed bool) (next int, interp, ok bool) {
	for i < len(src) {
		c := src[i]
		if !multi {
			switch c {
			case '\n':
				return 0, false, false
			case '"':
				return i + 1, false, true
			}
		} else if closeAllowed && c == '"' && len(src)-i >= 3 && src[i+1] == '"' && src[i+2] == '"' {
			return i + 3, false, true
		}
		switch c {
		case '\r':
			// Stripped from multi-line strings: no bearing on where
			// the string may close.
		case '\n':
			closeAllowed = true
		case ' ', '\t':
		default:
			closeAllowed = false
		}
		if c == '\\' {
			if i+1 < len(src) && src[i+1] == '(' {
				return i + 2, true, true
			}
			i++ // the escaped byte: whatever it is, not the string's end
		}
		i++
	}
	return 0, false, false
}
