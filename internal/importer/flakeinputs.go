package importer

// FlakeInput is a flake input whose URL a flake.nix sets: inputs.NAME.url.
type FlakeInput struct {
	Name string
	URL  string
	// At is where the URL is written, as messages show it: file:line:col.
	At string
}

// FlakeInputs are the inputs with a URL of the flakes that Import reads
// for paths, in the order of their flake.nix files and, in each, of the
// inputs' names. A flake.nix that cannot be read or parsed, or whose
// inputs are not data, gives none: Import says what is wrong with it.
// Paths that cannot be resolved are an *IOError, as for Import.
func FlakeInputs(paths []string) (out []FlakeInput, err error) {
	inputs, err := resolveInputs(paths)
	if err != nil {
		return nil, err
	}
	// Read as Import reads them: a flake.nix that leads out of its tree
	// is not read.
	im := &importer{ev: newEvaluator()}
	ev := im.ev
	defer func() {
		// A syntax error in a file the flake imports: no inputs from it.
		if r := recover(); r != nil {
			if _, ok := r.(fatal); !ok {
				panic(r)
			}
		}
	}()
	for _, in := range inputs {
		if !in.flake {
			continue
		}
		file, ok := im.file(in)
		if !ok {
			continue
		}
		s, err := ev.source(file)
		if err != nil {
			continue
		}
		top, ok := ev.eval(s.file.Expr, nil, s).(*attrSet)
		if !ok {
			continue
		}
		iv, ok := ev.lookup(top, "inputs")
		ins, isSet := iv.(*attrSet)
		if !ok || !isSet {
			continue
		}
		for _, name := range ins.names() {
			v, _ := ev.lookup(ins, name)
			set, ok := v.(*attrSet)
			if !ok {
				continue
			}
			whole, _ := ev.defs(set, "url")
			if len(whole) != 1 {
				continue
			}
			e := whole[0]
			u, ok := ev.force(e.val).(strVal)
			if !ok {
				continue
			}
			var at string
			switch {
			case e.val.expr != nil && e.val.file != nil:
				at = e.val.file.at(e.val.expr)
			case e.file != nil:
				at = e.file.at(e.def)
			}
			out = append(out, FlakeInput{Name: name, URL: string(u), At: at})
		}
	}
	return out, nil
}
