{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }: {
    lib.mkSystem = import ./modsys.nix {
      options = {
        "cairn.system.timeZone" = "string";
        "fileSystems" = "attribute set";
        "programs.bar.enable" = "boolean";
      };
      assertions = host: [ ];
    };
  };
}
