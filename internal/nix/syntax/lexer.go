package syntax

// token is a kind of token in Nix's default lexer state. Tokens of one
// character that Nix passes to the parser as themselves are their byte
// value below 128; named tokens start at tokNamed.
type token int

const (
	tEOF     token = 0
	tIllegal token = 1 // a byte no rule of the grammar accepts
	tokNamed token = 256 + iota
	tID
	tInt
	tFloat
	tPath  // PATH, or the PATH_SEG of a path starting with an interpolation
	tHPath // ~/… path
	tSPath // <…>
	tURI
	tIf
	tThen
	tElse
	tAssert
	tWith
	tLet
	tIn
	tRec
	tInherit
	tOrKw
	tEllipsis
	tEq
	tNeq
	tLeq
	tGeq
	tAnd
	tOr
	tImpl
	tUpdate
	tConcat
	tDollarCurly
	tIndOpen
)

var keywords = map[string]token{
	"if": tIf, "then": tThen, "else": tElse, "assert": tAssert, "with": tWith,
	"let": tLet, "in": tIn, "rec": tRec, "inherit": tInherit, "or": tOrKw,
}

var twoChar = map[string]token{
	"==": tEq, "!=": tNeq, "<=": tLeq, ">=": tGeq, "&&": tAnd, "||": tOr,
	"->": tImpl, "//": tUpdate, "++": tConcat,
}

// singles are the one-character tokens the grammar uses.
const singles = "(){}[];:,.=?@!+-*/<>\""

func (t token) String() string {
	switch t {
	case tEOF:
		return "end of input"
	case tIllegal:
		return "unexpected character"
	case tID:
		return "identifier"
	case tInt:
		return "integer"
	case tFloat:
		return "float"
	case tPath, tHPath:
		return "path"
	case tSPath:
		return "search path"
	case tURI:
		return "URI"
	case tEllipsis:
		return "'...'"
	case tDollarCurly:
		return "'${'"
	case tIndOpen:
		return "''"
	}
	for k, v := range keywords {
		if v == t {
			return "'" + k + "'"
		}
	}
	for k, v := range twoChar {
		if v == t {
			return "'" + k + "'"
		}
	}
	if t < 128 {
		return "'" + string(rune(t)) + "'"
	}
	return "token"
}

// tok is a token: its kind and the byte range [off, end) of its text.
type tok struct {
	kind     token
	off, end int
}

// Character classes of Nix 2.8's lexer.
var (
	isPathChar  [256]bool // PATH_CHAR: [a-zA-Z0-9._+-]
	isIDChar    [256]bool // [a-zA-Z0-9_'-]
	isLetter    [256]bool
	isSchemeChr [256]bool // [a-zA-Z0-9+.-]
	isURIChar   [256]bool // [a-zA-Z0-9%/?:@&=+$,_.!~*'-]
)

func init() {
	for c := 0; c < 256; c++ {
		l := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		d := c >= '0' && c <= '9'
		isLetter[c] = l
		isPathChar[c] = l || d || c == '.' || c == '_' || c == '-' || c == '+'
		isIDChar[c] = l || d || c == '_' || c == '\'' || c == '-'
		isSchemeChr[c] = l || d || c == '+' || c == '-' || c == '.'
		isURIChar[c] = l || d || c < 128 && c > 0 && containsByte("%/?:@&=+$,-_.!~*'", byte(c))
	}
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// span caches the end of the run of a character class containing some
// positions, so that rules which scan a run and then fail (PATH needs a
// slash, URI a colon) do not rescan it from every position: lexing stays
// linear.
type span struct{ start, end int }

type scanner struct {
	src []byte
	// Caches for runEnd and chainEnd.
	pathRun, schemeRun, uriRun, chain span
}

// at returns src[i], or 0 past the end (the lexer sees NUL as the end; the
// parser rejects NUL bytes before lexing).
func (s *scanner) at(i int) byte {
	if i < len(s.src) {
		return s.src[i]
	}
	return 0
}

// runEnd returns the end of the run of class characters starting at i.
func (s *scanner) runEnd(i int, class *[256]bool, c *span) int {
	if i >= c.start && i < c.end {
		return c.end
	}
	j := i
	for j < len(s.src) && class[s.src[j]] {
		j++
	}
	if j > i {
		*c = span{i, j}
	}
	return j
}

func (s *scanner) pathRunEnd(i int) int { return s.runEnd(i, &isPathChar, &s.pathRun) }

// chainEnd returns the end of PATH_CHAR+(/PATH_CHAR+)* starting at i, where
// src[i] is a PATH_CHAR.
func (s *scanner) chainEnd(i int) int {
	if i >= s.chain.start && i < s.chain.end {
		return s.chain.end
	}
	j := s.pathRunEnd(i)
	for s.at(j) == '/' && isPathChar[s.at(j+1)] {
		j = s.pathRunEnd(j + 1)
	}
	s.chain = span{i, j}
	return j
}

// pathLen returns the length of PATH = PATH_CHAR*(/PATH_CHAR+)+/? at i, or 0.
func (s *scanner) pathLen(i int) int {
	r := s.pathRunEnd(i)
	if s.at(r) != '/' || !isPathChar[s.at(r+1)] {
		return 0
	}
	e := s.chainEnd(r + 1)
	if s.at(e) == '/' {
		e++
	}
	return e - i
}

// skip skips whitespace and comments from i and returns where the next
// token starts. It calls comment for each comment, if not nil.
func (s *scanner) skip(i int, comment func(off, end int)) int {
	for i < len(s.src) {
		switch c := s.src[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '#':
			j := i
			for j < len(s.src) && s.src[j] != '\n' && s.src[j] != '\r' {
				j++
			}
			if comment != nil {
				comment(i, j)
			}
			i = j
		case c == '/' && s.at(i+1) == '*':
			// /\*([^*]|\*+[^*/])*\*+\/
			j := i + 2
			for {
				if j >= len(s.src) {
					return i // unterminated: lexes as '/' then '*'
				}
				if s.src[j] == '*' {
					for j < len(s.src) && s.src[j] == '*' {
						j++
					}
					if s.at(j) == '/' && j < len(s.src) {
						j++
						break
					}
					continue
				}
				j++
			}
			if comment != nil {
				comment(i, j)
			}
			i = j
		default:
			return i
		}
	}
	return i
}

// scan returns the token at i in Nix's default state, where i is past any
// whitespace and comments: the longest match of all rules, the earliest
// rule on a tie.
func (s *scanner) scan(i int) tok {
	if i >= len(s.src) {
		return tok{tEOF, i, i}
	}
	best, kind := 0, tIllegal
	try := func(k token, n int) {
		if n > best {
			best, kind = n, k
		}
	}
	c := s.src[i]
	// Keywords and ID: a keyword wins a tie with ID, being first.
	if isLetter[c] || c == '_' {
		j := i + 1
		for j < len(s.src) && isIDChar[s.src[j]] {
			j++
		}
		if k, ok := keywords[string(s.src[i:j])]; ok {
			try(k, j-i)
		} else {
			try(tID, j-i)
		}
	}
	if c == '.' && s.at(i+1) == '.' && s.at(i+2) == '.' {
		try(tEllipsis, 3)
	}
	if k, ok := twoChar[string([]byte{c, s.at(i + 1)})]; ok {
		try(k, 2)
	}
	if isDigit(c) {
		j := i
		for j < len(s.src) && isDigit(s.src[j]) {
			j++
		}
		try(tInt, j-i)
	}
	try(tFloat, s.floatLen(i))
	if c == '$' && s.at(i+1) == '{' {
		try(tDollarCurly, 2)
	}
	if c == '}' || c == '{' || c == '"' {
		try(token(c), 1)
	}
	if c == '\'' && s.at(i+1) == '\'' {
		j := i + 2
		for s.at(j) == ' ' {
			j++
		}
		if s.at(j) == '\n' && j < len(s.src) {
			try(tIndOpen, j+1-i)
		} else {
			try(tIndOpen, 2)
		}
	}
	// {PATH_SEG}\$\{ and {HPATH_START}\$\{ start a path whose first segment
	// ends with a slash and is followed by an interpolation.
	if r := s.pathRunEnd(i); s.at(r) == '/' && s.at(r+1) == '$' && s.at(r+2) == '{' {
		try(tPath, r+3-i)
	}
	if c == '~' && s.at(i+1) == '/' && s.at(i+2) == '$' && s.at(i+3) == '{' {
		try(tHPath, 4)
	}
	try(tPath, s.pathLen(i))
	if c == '~' && s.at(i+1) == '/' && isPathChar[s.at(i+2)] {
		e := s.chainEnd(i + 2)
		if s.at(e) == '/' {
			e++
		}
		try(tHPath, e-i)
	}
	if c == '<' && isPathChar[s.at(i+1)] {
		if e := s.chainEnd(i + 1); s.at(e) == '>' {
			try(tSPath, e+1-i)
		}
	}
	if isLetter[c] {
		e := s.runEnd(i+1, &isSchemeChr, &s.schemeRun)
		if s.at(e) == ':' && isURIChar[s.at(e+1)] {
			try(tURI, s.runEnd(e+1, &isURIChar, &s.uriRun)-i)
		}
	}
	if best == 0 {
		if c < 128 && containsByte(singles, c) {
			return tok{token(c), i, i + 1}
		}
		return tok{tIllegal, i, i + 1}
	}
	if kind == tPath || kind == tHPath {
		// The path-start rules match up to and including "${" but give
		// back all after the first segment's slash.
		if t := s.src[i+best-1]; t == '{' {
			best -= 2
		}
	}
	return tok{kind, i, i + best}
}

// floatLen returns the length of FLOAT at i, or 0:
// (([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?
func (s *scanner) floatLen(i int) int {
	j := i
	switch c := s.at(i); {
	case c >= '1' && c <= '9':
		for isDigit(s.at(j)) {
			j++
		}
		if s.at(j) != '.' {
			return 0
		}
		j++
		for isDigit(s.at(j)) {
			j++
		}
	case c == '0' || c == '.':
		if c == '0' {
			j++
		}
		if s.at(j) != '.' || !isDigit(s.at(j+1)) {
			return 0
		}
		j++
		for isDigit(s.at(j)) {
			j++
		}
	default:
		return 0
	}
	if e := s.at(j); e == 'e' || e == 'E' {
		k := j + 1
		if s.at(k) == '+' || s.at(k) == '-' {
			k++
		}
		if isDigit(s.at(k)) {
			for isDigit(s.at(k)) {
				k++
			}
			j = k
		}
	}
	return j - i
}

// pathPart returns the length of the path text at i inside a path after
// its first token ({PATH}|{PATH_SEG}|{PATH_CHAR}+), or 0.
func (s *scanner) pathPart(i int) int {
	if n := s.pathLen(i); n > 0 {
		return n
	}
	r := s.pathRunEnd(i)
	if s.at(r) == '/' && r < len(s.src) {
		return r + 1 - i
	}
	return r - i
}

// stringText returns the end of the text of a "…" string starting at i:
// ([^$"\\]|\$[^{"\\]|\\ANY|\$\\ANY)*, plus a last `$` right before `"`.
func (s *scanner) stringText(i int) int {
	n := len(s.src)
	for i < n {
		switch s.src[i] {
		case '"':
			return i
		case '\\':
			if i+1 >= n {
				return i
			}
			i += 2
		case '$':
			switch {
			case i+1 >= n || s.src[i+1] == '{':
				return i
			case s.src[i+1] == '"':
				return i + 1
			case s.src[i+1] == '\\':
				if i+2 >= n {
					return i
				}
				i += 3
			default:
				i += 2
			}
		default:
			i++
		}
	}
	return i
}

// indText returns the end of a run of plain text in an indented string
// starting at i: ([^$']|\$[^{']|'[^'$])*.
func (s *scanner) indText(i int) int {
	n := len(s.src)
	for i < n {
		switch s.src[i] {
		case '$':
			if i+1 >= n || s.src[i+1] == '{' || s.src[i+1] == '\'' {
				return i
			}
			i += 2
		case '\'':
			if i+1 >= n || s.src[i+1] == '\'' || s.src[i+1] == '$' {
				return i
			}
			i += 2
		default:
			i++
		}
	}
	return i
}

// unescape resolves the escapes of "…" string text as Nix does: \n \r \t,
// any other escaped byte is itself, and a CR or CR LF becomes LF.
func unescape(raw []byte) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw):
			i++
			switch raw[i] {
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			default:
				b = append(b, raw[i])
			}
		case c == '\r':
			b = append(b, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		default:
			b = append(b, c)
		}
	}
	return string(b)
}
