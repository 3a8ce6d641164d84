package cmd

import (
	"axc.dev/axc/internal/load"
	"axc.dev/axc/internal/vet"
)

// defaultPaths is what vet and build read when given no PATH.
var defaultPaths = []string{"./hosts"}

// loadHosts reads the hosts at paths; unreadable input is a usage error.
func loadHosts(paths []string) (*load.Loader, *load.Result, error) {
	if len(paths) == 0 {
		paths = defaultPaths
	}
	l, err := load.New()
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, msg: err.Error()}
	}
	res, err := l.Load(paths)
	if err != nil {
		// Unreadable input (load.InputErrors) and anything else that stops
		// loading are usage or I/O errors.
		return nil, nil, &exitError{code: exitUsage, msg: err.Error()}
	}
	return l, res, nil
}

// check loads and vets the hosts at paths.
func check(paths []string) ([]vet.Diagnostic, error) {
	l, res, err := loadHosts(paths)
	if err != nil {
		return nil, err
	}
	return vet.Check(l, res), nil
}
