package nixeval

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Stderr as nix-instantiate 2.8 writes it (captured), and what axc makes
// of it.
var stderrCases = []struct {
	name, stderr string
	want         Error
	ok           bool
}{
	{"unknown option", "error: The option `programs.bar.enable' does not exist. Definition values:\n       - In `<unknown-file>': true\n",
		Error{Kind: KindUnknownOption, Msg: "The option `programs.bar.enable' does not exist.", Option: []string{"programs", "bar", "enable"}}, true},
	{"quoted name", "error: The option `a.\"b.c\".d' does not exist. Definition values:\n       - In `x': 1\n",
		Error{Kind: KindUnknownOption, Msg: "The option `a.\"b.c\".d' does not exist.", Option: []string{"a", "b.c", "d"}}, true},
	{"type", "error: A definition for option `programs.tuner.level' is not of type `signed integer'. Definition values:\n       - In `<unknown-file>': \"high\"\n",
		Error{Kind: KindType, Msg: "A definition for option `programs.tuner.level' is not of type `signed integer'.", Option: []string{"programs", "tuner", "level"}}, true},
	{"read-only", "error: The option `axios.users.defaultExtraGroups' is read-only, but it's set multiple times. Definition values:\n       - In `a': [ ]\n",
		Error{Kind: KindOption, Msg: "The option `axios.users.defaultExtraGroups' is read-only, but it's set multiple times.", Option: []string{"axios", "users", "defaultExtraGroups"}}, true},
	{"position and trace", "error: value is a string while a set was expected\n\n       at «string»:1:12:\n\n            1| let f = x: x.y; in f \"a\"\n             |            ^\n\n       … while evaluating 'f'\n",
		Error{Kind: KindError, Msg: "value is a string while a set was expected"}, true},
	{"colours and a warning first", "warning: Git tree '/x' is dirty\n\x1b[31;1merror:\x1b[0m assertion '\x1b[35;1mfalse\x1b[0m' failed\n\n       at «string»:1:1:\n",
		Error{Kind: KindError, Msg: "assertion 'false' failed"}, true},
	{"stub", "error: axc-unavailable: flake.lock node nixpkgs is not in the Nix store; fetch it (nix flake archive) for Nix to judge\n",
		Error{Kind: KindUnavailable, Msg: "flake.lock node nixpkgs is not in the Nix store; fetch it (nix flake archive) for Nix to judge"}, true},
	{"no error", "warning: unknown setting 'foo'\n", Error{}, false},
	{"empty", "", Error{}, false},
}

func TestParseStderr(t *testing.T) {
	for _, c := range stderrCases {
		got, ok := ParseStderr(c.stderr)
		if ok != c.ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: ParseStderr = %#v, %v; want %#v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestSplitOption(t *testing.T) {
	for in, want := range map[string][]string{
		"a.b.c":                                  {"a", "b", "c"},
		`boot.kernel.sysctl."net.core.rmem_max"`: {"boot", "kernel", "sysctl", "net.core.rmem_max"},
		`users."a\"b".x`:                         {"users", `a"b`, "x"},
		`a."open`:                                {"a", `"open`},
		`a."b"c`:                                 {"a", "b", "c"},
		"x":                                      {"x"},
		"":                                       nil,
	} {
		if got := SplitOption(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitOption(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMessageBounded(t *testing.T) {
	long := "error: " + strings.Repeat("é", 5000) + "\n"
	e, ok := ParseStderr(long)
	if !ok || len(e.Msg) > maxMessage+len(" …") || !utf8.ValidString(e.Msg) {
		t.Errorf("a long message is kept whole or cut inside a character: %d bytes", len(e.Msg))
	}
}

// FuzzParseStderr: whatever Nix (or a source's throw) prints, the parser
// neither panics nor keeps more than maxMessage bytes on one line, in
// valid UTF-8, and an option it names is one it found in the message.
func FuzzParseStderr(f *testing.F) {
	for _, c := range stderrCases {
		f.Add(c.stderr)
	}
	f.Add("error: The option `\x00\xff' does not exist.")
	f.Add("error: The option `a.\"\\")
	f.Fuzz(func(t *testing.T, stderr string) {
		e, ok := ParseStderr(stderr)
		if !ok {
			return
		}
		if len(e.Msg) > maxMessage+len(" …") || !utf8.ValidString(e.Msg) || strings.ContainsAny(e.Msg, "\n\r") {
			t.Fatalf("message %q: too long, not UTF-8, or on several lines", e.Msg)
		}
		switch e.Kind {
		case KindUnknownOption, KindType, KindOption:
			if len(e.Option) == 0 {
				t.Fatalf("kind %s without an option: %q", e.Kind, e.Msg)
			}
		case KindError, KindUnavailable:
			if e.Option != nil {
				t.Fatalf("kind %s with an option", e.Kind)
			}
		default:
			t.Fatalf("unknown kind %q", e.Kind)
		}
	})
}
