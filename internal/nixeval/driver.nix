# axc vet --nix: a flake source's own lib.mkSystem, on each host.
#
# nodes: lock node key -> { dir = store path or checkout (string), or null
#   when not in the store; inputs = { input name -> node key }; }
# root: the key of the source's node. hosts: name -> the host file as axc
# build writes it (a function of { lib, ... }). configDir: name -> the
# output directory, for hosts whose release reads configDir, else absent.
#
# Hosts are judged one after the other, each between two traces on
# stderr: "axc-host: NAME" before, "axc-verdict: {name, failed}" after (JSON).
# The first host whose evaluation fails stops the run with Nix's own
# error (tryEval would lose its message, and does not catch every error):
# the host traced last without a verdict is the one, and the caller runs
# the hosts after it again.
{ nodes, root, hosts, configDir }:
let
  notInStore = key: throw "axc-unavailable: flake.lock node ${key} is not in the Nix store; fetch it (nix flake archive) for Nix to judge";
  notLocked = name: throw "axc-unavailable: the source's input ${name} is locked by no flake.lock node axc read";

  # A flake called as Nix calls it: its outputs with self and its inputs.
  callFlake = dir: inputs:
    let
      flake = import (dir + "/flake.nix");
      names = builtins.attrNames (flake.inputs or { }) ++ builtins.attrNames (builtins.functionArgs flake.outputs);
      args = builtins.listToAttrs (map (n: { name = n; value = inputs.${n} or (notLocked n); }) names);
      outputs = flake.outputs (args // { inherit self; });
      self = outputs // {
        outPath = dir;
        inputs = args;
        inherit outputs;
        sourceInfo = { outPath = dir; };
        _type = "flake";
      };
    in
    self;

  node = key:
    let
      n = nodes.${key};
      dir = /. + n.dir;
    in
    if n.dir == null then notInStore key
    else if builtins.pathExists (dir + "/flake.nix") then callFlake dir (builtins.mapAttrs (_: k: values.${k}) n.inputs)
    else { outPath = dir; };

  values = builtins.mapAttrs (key: _: node key) nodes;

  src = values.${root};
  lib = (src.inputs.nixpkgs or (notLocked "nixpkgs")).lib;

  failedAssertions = host:
    let sys = src.lib.mkSystem host;
    in map (a: a.message) (builtins.filter (a: !a.assertion) (sys.config.assertions or [ ]));

  forced = v: builtins.deepSeq v v;

  verdict = name: file:
    let
      host = (file { inherit lib; }).hostConfig // (if configDir ? ${name} then { ${configDir.${name}.field} = /. + configDir.${name}.dir; } else { });
    in
    forced (failedAssertions host);

  judge = n: name:
    builtins.seq (builtins.trace "axc-host: ${builtins.toJSON name}" null) (
      let failed = verdict name hosts.${name};
      in builtins.seq (builtins.trace "axc-verdict: ${builtins.toJSON { inherit name failed; }}" null) (n + 1));
in
builtins.foldl' judge 0 (builtins.attrNames hosts)
