{
  description = "Two hosts sharing one user module (userModulePath, up to v2026.01.13)";

  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };

  outputs = { self, axios, nixpkgs, ... }:
    let
      # Every host gets the same user module
      mkHost = name: axios.lib.mkSystem (import ./hosts/${name}.nix {
        inherit (nixpkgs) lib;
        userModulePath = ./user.nix;
      }).hostConfig;
    in
    {
      nixosConfigurations = {
        desktop = mkHost "desktop";
        laptop = mkHost "laptop";
      };
    };
}
