{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = { self, nixpkgs, home-manager, ... }: {
    lib.mkSystem = host: {
      config.assertions = [ { assertion = home-manager.nixosModules ? default; message = "no home-manager"; } ];
    };
  };
}
