{
  description = "Hosts using lib.mkForce and pkgs in extraConfig";

  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };

  outputs = { self, axios, nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      sshPort = 2222;
      admins = [ "alice" "bob" ];
    in
    {
      nixosConfigurations = {
        web = axios.lib.mkSystem {
          hostname = "web";
          formFactor = "desktop";
          hardware = { cpu = "intel"; };
          extraConfig = {
            axios.system.timeZone = "Europe/Paris";
            services.openssh.enable = lib.mkForce true;
            services.openssh.ports = lib.mkForce [ sshPort ];
            networking.firewall.allowedTCPPorts = [ (sshPort + 1) 443 ];
            nix.settings.trusted-users = admins;
            environment.etc."motd".source = ./motd;
            # A module of its own: pkgs is its argument
            imports = [
              ({ pkgs, ... }: { environment.systemPackages = with pkgs; [ htop git ]; })
            ];
          };
        };

        # Function-valued extraConfig (from v2026.01.13 a whole module)
        builder = axios.lib.mkSystem {
          hostname = "builder";
          hardware = { };
          modules.development = true;
          extraConfig = { pkgs, lib, ... }: {
            axios.system.timeZone = "UTC";
            environment.systemPackages = [ pkgs.curl pkgs.ripgrep ];
            services.openssh.enable = lib.mkDefault true;
          };
        };

        # A plain attribute-set host file
        db = axios.lib.mkSystem (import ./hosts/db.nix);
      };
    };
}
