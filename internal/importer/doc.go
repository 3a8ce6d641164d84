// Package importer reads an existing axiOS configuration written in Nix (a
// flake.nix calling mkSystem, host files, user modules) and writes the CUE
// files axc reads: hosts/NAME.cue (package hosts) and users/NAME.cue
// (package users), for one axios release, meaning what the Nix meant.
//
// The Nix is parsed by internal/nix/syntax and evaluated statically and
// lazily (eval.go, sets.go): sets (rec, dotted keys, inherit), lists,
// strings and their ${…} of known strings, indented strings, paths,
// numbers, booleans, null, let … in, //, functions and their application,
// import of files in the same tree (paths.go), and the framework's
// mkSystem, with the flake's inputs standing for themselves. What it
// yields:
//
//   - Data becomes CUE data, each binding of a set literal a field (a.b = 1
//     is a: b: 1), in the author's order, blank lines and comments kept:
//     each comment goes to the field or element made from the node it
//     annotates (attach.go).
//   - A set several hosts use or update (base // { … }) is one hidden
//     value they embed (share.go); CUE embedding unifies where // replaces,
//     so the fields a use replaces are not in it.
//   - Paths stay paths: relative strings in the schema's path fields (axc
//     build writes path literals again), verbatim Nix elsewhere; both are
//     rebased to the new files' directory (pathtypes.go). A path means
//     what it means to Nix (paths.go): relative to the file Nix read (a
//     host file reached through a symbolic link resolves its paths against
//     where the link leads), an absolute path stays absolute, and in a
//     flake a path outside the flake's source tree, which pure evaluation
//     cannot read, is a problem at the path.
//   - What is not data (lib.mkForce x, with pkgs; […], if, arithmetic) is
//     kept as Nix ({$nix: "…"}): the author's text, with relative paths
//     rebased, common indentation removed outside strings, and the
//     variables it takes from around it bound in a recursive let around it
//     (raw.go). A module function in extraConfig or a user's home keeps as
//     data what does not use its arguments (module.go).
//   - Users are read as the release reads them, following the schema's
//     contract (users.go): one module a host by userModulePath up to
//     v2026.01.13, configDir/users/NAME.nix from v2026.03.07. What a user
//     module sets besides the user moves to the extraConfig of the hosts
//     importing it.
//
// Everything kept as Nix, moved or left out is a Note of the Result. Nix
// that a built file could not mean the same way (it uses pkgs or a flake
// input, which axc's built host files do not receive), a syntax error, or
// anything else import cannot write is an *Error listing every problem at
// its place, and nothing is written. No input makes import run forever:
// evaluation depth and steps, and nesting, are bounded.
package importer
