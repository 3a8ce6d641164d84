# What axc's flake.nix gives, evaluated against the stub nixpkgs: its
# inputs, and per system what its package, app and shell are made of, as
# plain data (nix-instantiate --eval --strict --json). self is the flake's
# outputs, as Nix passes them, with a rev.
let
  root = ../..;
  flake = import (root + "/flake.nix");
  nixpkgs = import ./stub-nixpkgs.nix;
  self = outputs // { rev = "0123456789abcdef0123456789abcdef01234567"; };
  outputs = flake.outputs { inherit self nixpkgs; };
  package = p: {
    inherit (p.args) pname version vendorHash subPackages ldflags doCheck postInstall;
    nativeBuildInputs = map (d: d.name) p.args.nativeBuildInputs;
    inherit (p) system;
    cgo = p.args.env.CGO_ENABLED;
    mainProgram = p.args.meta.mainProgram;
    srcIsRoot = p.args.src == root;
  };
  overlaid = (outputs.overlays.default (nixpkgs.pkgsFor "riscv64-linux") { }).axc;
in
{
  description = flake.description;
  inputs = builtins.mapAttrs (_: i: i.url) flake.inputs;
  outputs = builtins.attrNames outputs;
  packages = builtins.mapAttrs (_: ps: builtins.mapAttrs (_: package) ps) outputs.packages;
  apps = outputs.apps;
  overlay = package overlaid;
  devShells = builtins.mapAttrs (_: s: map (p: p.name) s.default.args.packages) outputs.devShells;
}
