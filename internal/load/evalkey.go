package load

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"strconv"

	"cuelang.org/go/cue/ast"
)

// EvalKey is a fingerprint of everything the value of host h depends on
// besides the schema it is checked against, and its position in its file:
// "" unless h is evaluated apart from the other hosts (in chunks: its
// package's hosts are all known from the syntax and refer to none of each
// other; see staticHosts). Two hosts with the same key, in two Loads
// against the same schema, have the same value; their errors are at the
// same places relative to the host's declaration, which starts Line()
// lines further down in one than in the other. A long-lived process (the
// language server) keeps what it found of a host by this key and checks
// again only the hosts whose key changed.
//
// What it covers: the host's declarations (text, file, column; their
// lines too when there are several), and every other declaration of the
// files its chunk is built from (text, file, line and column), which is
// all a chunk holds (lazyPackage.only). Comments are left out: they do
// not change a value.
func (h *Host) EvalKey() string {
	if h.lazy == nil {
		return ""
	}
	return h.evalKey
}

// evalKeys sets the EvalKey of hosts, all of lp, whose files are files.
func (lp *lazyPackage) evalKeys(kind *Kind, hosts []*Host, files []*ast.File) {
	ctx := sha256.New()
	word(ctx, kind.Noun)
	count := map[string]int{}
	for _, f := range files {
		src, ok := lp.src[f.Filename]
		if !ok {
			return // no keys: every host is evaluated
		}
		word(ctx, f.Filename)
		for _, d := range f.Decls {
			if name, ok := hostLabel(d); ok && lp.hosts[name] {
				count[name]++
				continue
			}
			if _, ok := d.(*ast.CommentGroup); ok {
				continue
			}
			text, ok := declText(src, d)
			if !ok {
				return
			}
			p := d.Pos().Position()
			word(ctx, strconv.Itoa(p.Line)+":"+strconv.Itoa(p.Column))
			word(ctx, text)
		}
	}
	base := ctx.Sum(nil)
	// Each host's declarations, in file order: one walk, not one a host.
	type hostDecl struct {
		file string
		src  []byte
		d    ast.Decl
	}
	decls := map[string][]hostDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			if name, isHost := hostLabel(d); isHost {
				decls[name] = append(decls[name], hostDecl{f.Filename, lp.src[f.Filename], d})
			}
		}
	}
	for _, h := range hosts {
		k := sha256.New()
		k.Write(base)
		word(k, h.Name)
		ok := true
		for _, hd := range decls[h.Name] {
			text, good := declText(hd.src, hd.d)
			ok = ok && good
			p := hd.d.Pos().Position()
			word(k, hd.file)
			word(k, strconv.Itoa(p.Column))
			if count[h.Name] > 1 {
				// Declared in several places: where each is, too (a
				// line shift would have to be the same for all).
				word(k, strconv.Itoa(p.Line))
			}
			word(k, text)
		}
		if ok {
			h.evalKey = string(k.Sum(nil))
		}
	}
}

// declText is the source text of the declaration d in src.
func declText(src []byte, d ast.Decl) (string, bool) {
	start, end := d.Pos(), d.End()
	if !start.IsValid() || !end.IsValid() {
		return "", false
	}
	s, e := start.Offset(), end.Offset()
	if s < 0 || e < s || e > len(src) {
		return "", false
	}
	return string(src[s:e]), true
}

// word writes s to h so that no two sequences of words run together.
func word(h hash.Hash, s string) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}
