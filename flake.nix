# axc's own flake: the axc command (nix run, nix profile install), an
# overlay that adds it to nixpkgs, and a shell to develop it in. The example
# configuration repository, what axc build writes for it included, is
# examples/fleet, a flake of its own.
{
  description = "axc: check axiOS hosts written in CUE before Nix runs, and compile them to Nix";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # The newest release in CHANGELOG.md (a test holds them equal): what
      # axc --version prints when built here, where no module version or
      # .git is there to tell.
      version = "0.1.0";

      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      axcFor =
        pkgs:
        pkgs.buildGoModule {
          pname = "axc";
          inherit version;
          src = ./.;
          # The NAR hash of `go mod vendor`'s output: .ci/run recomputes it
          # (nix-hash) and fails when a dependency change left it stale.
          vendorHash = "sha256-9/I0V0I3VPTbE5MkDtkJkXsST7VnjlPBLMe/Ci+l4TU=";
          subPackages = [ "cmd/axc" ];
          # The man pages made from the commands' help (docs/man, kept
          # exact by TestManPages).
          nativeBuildInputs = [ pkgs.installShellFiles ];
          postInstall = "installManPage docs/man/*.1";
          env.CGO_ENABLED = 0;
          ldflags = [
            "-s"
            "-w"
            "-X github.com/axc-dev/axc/cmd/axc/cmd.Version=v${version}"
            "-X github.com/axc-dev/axc/cmd/axc/cmd.Revision=${self.rev or "dirty"}"
          ];
          # The tests drive nix-instantiate, git, pre-commit, npm and neovim,
          # and the example fleet: .ci/run runs them with all of those.
          doCheck = false;
          meta = {
            description = "Check axiOS hosts written in CUE and compile them to Nix";
            homepage = "https://github.com/axc-dev/axc";
            mainProgram = "axc";
          };
        };
    in
    {
      packages = forAllSystems (pkgs: {
        default = axcFor pkgs;
        axc = axcFor pkgs;
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/axc";
        };
      });

      overlays.default = final: prev: { axc = axcFor final; };

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.go
            pkgs.cue
            pkgs.nix
            pkgs.git
          ];
        };
      });
    };
}
