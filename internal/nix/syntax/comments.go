package syntax

// groupComments groups comments: consecutive comments separated by at most
// one line break and nothing else are a group, except that a comment
// after code on its line does not group with comments on later lines.
func groupComments(src []byte, cs []*Comment) []*CommentGroup {
	var groups []*CommentGroup
	var g *CommentGroup
	trailing := false // g started after code on its line
	lineStart, firstCode := -1, 0
	for _, c := range cs {
		// The comment is on its own line if it is the first non-blank
		// byte of its line, found once per line.
		if ls := c.Slash.Offset - c.Slash.Col + 1; ls != lineStart {
			lineStart, firstCode = ls, ls
			for src[firstCode] == ' ' || src[firstCode] == '\t' {
				firstCode++
			}
		}
		own := firstCode == c.Slash.Offset
		if g != nil {
			prev := g.List[len(g.List)-1]
			gap := src[prev.End().Offset:c.Slash.Offset]
			breaks := lineBreaks(gap)
			if onlySpace(gap) && breaks <= 1 && (breaks == 0 || !trailing && own) {
				g.List = append(g.List, c)
				continue
			}
		}
		g = &CommentGroup{List: []*Comment{c}}
		trailing = !own
		groups = append(groups, g)
	}
	return groups
}

func onlySpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func lineBreaks(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			n++
		case '\n':
			n++
		}
	}
	return n
}

// attachComments attaches each group to a node, in one walk of the tree.
// A group between two children of a node is a trailing comment of the
// first if it starts on the line where the first ends (unless it is a
// block comment followed on its line by the second), and a leading comment
// of the second otherwise; a group after the last child trails it, and a
// group in a node without children is an inner comment of that node.
// Groups before or after the whole expression lead or trail it.
func attachComments(root Expr, groups []*CommentGroup) {
	i := 0
	assign := func(g *CommentGroup, prev, next, parent Node) {
		switch {
		case prev != nil && prev.End().Line == g.Pos().Line &&
			!(next != nil && g.List[len(g.List)-1].Block() && next.Pos().Line == g.End().Line):
			g.Node, g.Placement = prev, Trailing
		case next != nil:
			g.Node, g.Placement = next, Leading
		case prev != nil:
			g.Node, g.Placement = prev, Trailing
		default:
			g.Node, g.Placement = parent, Inner
		}
	}
	var visit func(n Node)
	visit = func(n Node) {
		var prev Node
		for _, k := range Children(n) {
			for i < len(groups) && groups[i].Pos().Offset < k.Pos().Offset {
				assign(groups[i], prev, k, n)
				i++
			}
			visit(k)
			prev = k
		}
		for i < len(groups) && groups[i].End().Offset <= n.End().Offset {
			assign(groups[i], prev, nil, n)
			i++
		}
	}
	for i < len(groups) && groups[i].Pos().Offset < root.Pos().Offset {
		groups[i].Node, groups[i].Placement = root, Leading
		i++
	}
	visit(root)
	for ; i < len(groups); i++ {
		groups[i].Node, groups[i].Placement = root, Trailing
	}
}

// CommentMap returns the comment groups of f by the node they are
// attached to, in source order.
func (f *File) CommentMap() map[Node][]*CommentGroup {
	m := map[Node][]*CommentGroup{}
	for _, g := range f.Comments {
		m[g.Node] = append(m[g.Node], g)
	}
	return m
}
