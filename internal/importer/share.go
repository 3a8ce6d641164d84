package importer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A set that several hosts (or users) use, whole or as the base they
// update (`base // { … }`), is written once, as a hidden value they embed,
// rather than copied into each. CUE embedding unifies while // replaces, so
// the hidden value leaves out every field that a use embedding it
// replaces, and the embedding uses that keep such a field get it back
// inline. Which uses embed it is chosen so that the most fields are shared:
// a host that replaces much of the base writes what it keeps of it inline,
// rather than shrinking the base of all the others.

// sharedVal is a set written as a hidden value.
type sharedVal struct {
	name    string
	set     *attrSet
	exclude map[string]bool // fields some embedding use replaces
	ctx     ctx
	uses    int
	mixed   bool // used at different places: not shareable
	// sigs count the uses by what they replace (excludeSig), and embed
	// says which of those embed the hidden value.
	sigs  map[string]int
	excl  map[string]map[string]bool
	embed map[string]bool
}

// excludeSig is a key for the set of fields a use replaces.
func excludeSig(exclude map[string]bool) string {
	return strings.Join(sortedKeys(exclude), "\x00")
}

// embeds reports whether the use of sh that replaces exclude embeds it.
func (sh *sharedVal) embeds(exclude map[string]bool) bool {
	return sh.embed[excludeSig(exclude)]
}

// chooseEmbedding picks the uses that embed sh: starting from all, it
// drops the kind of use whose leaving most raises fields shared times uses
// sharing them, while that rises. It reports false when fewer than two uses
// would share a field.
func (sh *sharedVal) chooseEmbedding() bool {
	fields := sh.set.names()
	score := func(emb map[string]bool) (int, map[string]bool) {
		ex, n := map[string]bool{}, 0
		for sig := range emb {
			n += sh.sigs[sig]
			for k := range sh.excl[sig] {
				ex[k] = true
			}
		}
		kept := 0
		for _, f := range fields {
			if !ex[f] {
				kept++
			}
		}
		if n < 2 {
			return 0, ex
		}
		return kept * n, ex
	}
	emb := map[string]bool{}
	for sig := range sh.sigs {
		emb[sig] = true
	}
	best, ex := score(emb)
	for {
		var drop string
		improved := false
		for _, sig := range sortedKeys(emb) {
			delete(emb, sig)
			if sc, _ := score(emb); sc > best {
				best, drop, improved = sc, sig, true
			}
			emb[sig] = true
		}
		if !improved {
			break
		}
		delete(emb, drop)
		_, ex = score(emb)
	}
	if best == 0 {
		return false
	}
	sh.embed, sh.exclude = emb, ex
	return true
}

// findShared counts the uses of every set below roots, as emission walks
// them, and makes those used twice or more at one place shared values.
// taken are names the hidden values must not have.
func (em *emitter) findShared(roots []*attrSet, ctxs []ctx, taken map[string]bool) []*sharedVal {
	seen := map[*attrSet]*sharedVal{}
	var order []*sharedVal
	var walkSet func(s *attrSet, exclude map[string]bool, c ctx)
	var walkValue func(v value, c ctx)
	walkSet = func(s *attrSet, exclude map[string]bool, c ctx) {
		u := seen[s]
		if u == nil {
			u = &sharedVal{set: s, ctx: c, sigs: map[string]int{}, excl: map[string]map[string]bool{}}
			seen[s] = u
			order = append(order, u)
		} else if u.ctx.user != c.user || !slices.Equal(u.ctx.pos, c.pos) {
			u.mixed = true
		}
		u.uses++
		sig := excludeSig(exclude)
		u.sigs[sig]++
		u.excl[sig] = exclude
		if u.uses > 1 {
			return // its insides were counted once: they are written once
		}
		for _, emb := range s.embeds {
			walkSet(emb.base, emb.exclude, c)
		}
		for _, e := range s.entries {
			walkValue(em.ev.force(e.val), c.with(e.path...))
		}
	}
	walked := int64(0)
	walkValue = func(v value, c ctx) {
		if len(c.pos) > maxNest || walked > maxImportTotal {
			return // too deep, too much: emission says so
		}
		switch v.(type) {
		case *attrSet, *listVal:
			// Lists are walked at each use: what is walked is at most
			// what emission writes, which it bounds.
			n := em.ev.size(v).at(c.depth())
			if n > maxImportValue {
				return // emission says so
			}
			walked += n
		}
		switch v := v.(type) {
		case *attrSet:
			walkSet(v, nil, c)
		case *listVal:
			for i, t := range v.elems {
				walkValue(em.ev.force(t), c.with(strconv.Itoa(i)))
			}
		}
	}
	for i, r := range roots {
		walkSet(r, nil, ctxs[i])
	}
	var out []*sharedVal
	for _, u := range order {
		if u.uses < 2 || u.mixed || !u.chooseEmbedding() {
			continue
		}
		u.name = hiddenName(u.set, taken)
		taken[u.name] = true
		em.shared[u.set] = u
		out = append(out, u)
	}
	return out
}

var notIdent = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// hiddenName is a CUE hidden identifier for s, from the binding that named
// it, unique among taken.
func hiddenName(s *attrSet, taken map[string]bool) string {
	base := "shared"
	if s.origin != nil && s.origin.name != "" {
		base = strings.Trim(notIdent.ReplaceAllString(s.origin.name, "_"), "_")
		if base == "" {
			base = "shared"
		}
	}
	name := "_" + base
	for i := 2; taken[name]; i++ {
		name = "_" + base + strconv.Itoa(i)
	}
	return name
}
