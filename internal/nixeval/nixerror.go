package nixeval

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Kinds of a Nix error.
const (
	// KindAssertion: a failed assertion of config.assertions.
	KindAssertion = "assertion"
	// KindUnknownOption: "The option `X' does not exist".
	KindUnknownOption = "unknown option"
	// KindType: "A definition for option `X' is not of type `T'".
	KindType = "type"
	// KindOption: another error of option X (read-only, conflicting
	// definitions, used but not defined).
	KindOption = "option"
	// KindError: any other evaluation error (a throw, an assert of
	// mkSystem's own, a missing attribute).
	KindError = "error"
	// KindUnavailable: the evaluation needed an input that is not in the
	// store: no verdict.
	KindUnavailable = "unavailable"
)

// Error is one error Nix reported about a host.
type Error struct {
	Kind string `json:"kind"`
	// Msg is Nix's message, on one line, without the definitions it lists.
	Msg string `json:"msg"`
	// Option is the option path the message names (Kind unknown option,
	// type or option), one element a name.
	Option []string `json:"option,omitempty"`
}

// unavailableMark starts the message of a stubbed input's throw (the
// driver's stub).
const unavailableMark = "axc-unavailable: "

// maxMessage bounds a message kept from Nix's output, in bytes.
const maxMessage = 2000

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// ParseStderr finds the error in what nix-instantiate wrote on stderr:
// the text after the first "error: " to the end of its indented
// continuation lines, joined on one line, without ANSI colours. ok is
// false when there is none.
func ParseStderr(stderr string) (e Error, ok bool) {
	lines := strings.Split(ansi.ReplaceAllString(stderr, ""), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "error: ") || l == "error:" {
			start = i
			break
		}
	}
	if start < 0 {
		return Error{}, false
	}
	var parts []string
	first := strings.TrimSpace(strings.TrimPrefix(lines[start], "error:"))
	if first != "" {
		parts = append(parts, first)
	}
	for _, l := range lines[start+1:] {
		if l == "" || (l[0] != ' ' && l[0] != '\t') {
			break
		}
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "… ") || strings.HasPrefix(t, "at ") {
			break // a trace (--show-trace), or a position
		}
		parts = append(parts, t)
	}
	return Classify(strings.Join(parts, " ")), true
}

var optionMsg = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile("^The option `(.*?)' does not exist"), KindUnknownOption},
	{regexp.MustCompile("^A definition for option `(.*?)' is not of type `"), KindType},
	{regexp.MustCompile("^The option `(.*?)' (?:is read-only|has conflicting definition values|is used but not defined|is defined multiple times)"), KindOption},
}

// Classify makes msg (one error's text) an Error: its kind, the option it
// names, and the message without the list of definitions.
func Classify(msg string) Error {
	msg = oneLine(msg)
	if i := strings.Index(msg, unavailableMark); i >= 0 {
		return Error{Kind: KindUnavailable, Msg: bounded(msg[i+len(unavailableMark):])}
	}
	short := msg
	for _, cut := range []string{" Definition values:", " Definitions:", " Definition values "} {
		if i := strings.Index(short, cut); i >= 0 {
			short = short[:i]
		}
	}
	for _, om := range optionMsg {
		if m := om.re.FindStringSubmatch(short); m != nil {
			if opt := SplitOption(m[1]); len(opt) > 0 {
				return Error{Kind: om.kind, Msg: bounded(short), Option: opt}
			}
		}
	}
	return Error{Kind: KindError, Msg: bounded(short)}
}

// oneLine joins msg's lines with single spaces.
func oneLine(msg string) string { return strings.Join(strings.Fields(msg), " ") }

func bounded(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " …"
}

// SplitOption splits an option path as Nix shows it (lib.showOption:
// names joined by dots, a name that is no identifier in double quotes
// with Nix escapes) into its names. A name that does not close is kept
// as written.
func SplitOption(s string) []string {
	var out []string
	for len(s) > 0 {
		if s[0] == '"' {
			var b strings.Builder
			i := 1
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(c)
				i++
			}
			if !closed {
				return append(out, s)
			}
			out = append(out, b.String())
			s = s[i:]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				return append(out, s)
			}
			out = append(out, s[:i])
			s = s[i:]
		}
		if !strings.HasPrefix(s, ".") {
			if s != "" {
				out = append(out, s)
			}
			return out
		}
		s = s[1:]
	}
	return out
}
