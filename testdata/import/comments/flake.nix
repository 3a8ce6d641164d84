# Fleet flake: comments everywhere.
{
  inputs.axios.url = "github:kcalvelli/axios"; # the framework
  inputs.nixpkgs.follows = "axios/nixpkgs";

  outputs = { self, axios, nixpkgs, ... }:
    let
      /* The office machine.
         Shared by the whole team. */
      office = {
        hostname = "office"; # must match DNS
        diskConfigPath = ./hosts/office/hardware.nix;
        # hardware is required by mkSystem
        hardware = {
          /* nothing special */
        };

        # flags
        modules = {
          desktop = true;   # Niri
          graphics = true;  /* GPU drivers */
          # gaming = true;
        };

        extraConfig = {
          axios.system.timeZone = "Europe/Berlin"; # Berlin office
          networking.firewall.allowedTCPPorts = [
            # ssh
            22
            443 # https
          ];
          services.openssh.enable = /* the default */ true;
          # services.printing.enable = true;
        };
        # end of office
      };
    in
    {
      nixosConfigurations.office = axios.lib.mkSystem office; # the only inline host

      # The kiosk lives in its own file.
      nixosConfigurations.kiosk = axios.lib.mkSystem (import ./hosts/kiosk.nix { inherit (nixpkgs) lib; }).hostConfig;
      # nixosConfigurations.old = axios.lib.mkSystem { };
    };
}
