package importer

import (
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// cueComment turns a Nix comment group into CUE comment lines: `# x`
// becomes `// x`, and each line of a /* … */ block a line comment.
func cueComment(g *syntax.CommentGroup) []string {
	out := convertComment(g)
	for i, l := range out {
		out[i] = strings.ToValidUTF8(l, "\uFFFD") // CUE source is UTF-8
	}
	return out
}

func convertComment(g *syntax.CommentGroup) []string {
	var out []string
	for _, c := range g.List {
		if !c.Block() {
			out = append(out, "//"+strings.TrimRight(strings.TrimPrefix(c.Text, "#"), " \t\r"))
			continue
		}
		body := strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/")
		lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
		// Drop the blank first and last lines of a block that starts
		// and ends on lines of its own, and the indentation (and the
		// leading * of a decorated block) the lines share.
		if len(lines) > 1 && strings.TrimSpace(lines[0]) == "" {
			lines = lines[1:]
		}
		if len(lines) > 1 && strings.TrimSpace(lines[len(lines)-1]) == "" {
			lines = lines[:len(lines)-1]
		}
		// A first line that follows /* on its line has no indentation of
		// its own to share.
		indent := commonIndent(lines)
		if len(lines) > 1 && strings.TrimSpace(lines[0]) != "" {
			lines[0] = strings.TrimSpace(lines[0])
			indent = commonIndent(lines[1:])
		}
		for _, l := range lines {
			l = strings.TrimRight(l, " \t\r")
			if len(l) >= indent && strings.TrimSpace(l[:indent]) == "" {
				l = l[indent:]
			}
			if strings.HasPrefix(l, "* ") || l == "*" {
				l = strings.TrimPrefix(strings.TrimPrefix(l, "*"), " ")
			}
			if l == "" {
				out = append(out, "//")
				continue
			}
			out = append(out, "// "+l)
		}
	}
	return out
}

// commonIndent is the number of leading blanks the non-blank lines share.
func commonIndent(lines []string) int {
	n := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		i := len(l) - len(strings.TrimLeft(l, " \t"))
		if n < 0 || i < n {
			n = i
		}
	}
	return max(n, 0)
}
