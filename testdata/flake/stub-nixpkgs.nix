# A stand-in for nixpkgs, enough to evaluate axc's flake.nix where no nixpkgs
# can be fetched (CI, tests): lib.genAttrs, and per system the functions and
# packages the flake calls, each a derivation-like set that keeps its
# arguments so that what the flake passes can be checked.
let
  # Each system's outputs have their own paths, so that an app pointing at
  # another system's package shows.
  pkgsFor = system: let
    drv = name: extra: {
      type = "derivation";
      inherit name;
      outPath = "/nix/store/00000000000000000000000000000000-${name}-${system}";
    } // extra;
  in {
    stdenv.hostPlatform.system = system;
    buildGoModule = args: drv "${args.pname}-${args.version}" { inherit args system; };
    mkShell = args: drv "shell" { inherit args system; };
    go = drv "go" { };
    cue = drv "cue" { };
    nix = drv "nix" { };
    git = drv "git" { };
    installShellFiles = drv "installShellFiles" { };
  };
in
{
  lib.genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
  legacyPackages = builtins.listToAttrs (
    map (s: { name = s; value = pkgsFor s; }) [
      "x86_64-linux"
      "aarch64-linux"
      "x86_64-darwin"
      "aarch64-darwin"
      "riscv64-linux"
    ]
  );
  inherit pkgsFor;
}
