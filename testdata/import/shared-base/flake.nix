{
  description = "Three hosts sharing a base, in the style of upstream's multi-host example";

  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };

  outputs = { self, axios, nixpkgs, ... }:
    let
      # Shared configuration across all hosts
      sharedConfig = {
        system = "x86_64-linux";
        modules = {
          system = true;
          desktop = true;
          development = true;
          graphics = true;
          networking = true;
          users = true;
          virt = false;
          gaming = false;
        };
        homeProfile = "workstation";
        extraConfig = {
          axios.system.timeZone = "America/New_York";
        };
      };

      # Desktop workstation configuration
      desktopConfig = sharedConfig // {
        hostname = "desktop";
        formFactor = "desktop";

        hardware = {
          cpu = "amd";
          gpu = "amd";
          hasSSD = true;
          isLaptop = false;
        };

        diskConfigPath = ./hosts/desktop/disks.nix;
      };

      # Laptop configuration: replaces the shared profile
      laptopConfig = sharedConfig // {
        hostname = "laptop";
        formFactor = "laptop";
        hardware = {
          cpu = "intel";
          gpu = "intel";
          hasSSD = true;
          isLaptop = true;
        };
        homeProfile = "laptop";
        diskConfigPath = ./hosts/laptop/disks.nix;
      };

      # Server: no desktop, so it replaces the shared modules and extraConfig
      serverConfig = sharedConfig // {
        hostname = "server";
        hardware = { cpu = "intel"; hasSSD = true; };
        modules = {
          system = true;
          networking = true;
          users = true;
          services = true;
          virt = true;
        };
        virt = {
          containers.enable = true;
          libvirt.enable = true;
        };
        diskConfigPath = ./hosts/server/disks.nix;
        extraConfig = {
          axios.system.timeZone = "UTC";
          networking.tailscale.domain = "example-tailnet.ts.net";
          services.openssh.enable = true;
        };
      };
    in
    {
      # Build all host configurations
      nixosConfigurations = {
        desktop = axios.lib.mkSystem desktopConfig;
        laptop = axios.lib.mkSystem laptopConfig;
        server = axios.lib.mkSystem serverConfig;
      };
    };
}
