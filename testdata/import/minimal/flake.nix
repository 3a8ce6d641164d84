{
  description = "Minimal axiOS configuration: one host, inline";

  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };

  outputs = { self, axios, nixpkgs, ... }: {
    nixosConfigurations.mycomputer = axios.lib.mkSystem {
      hostname = "mycomputer";
      system = "x86_64-linux";
      formFactor = "desktop";

      hardware = {
        cpu = "amd";
        gpu = "amd";
        hasSSD = true;
        isLaptop = false;
      };

      modules = {
        system = true;
        desktop = true;
        development = true;
        services = false;
        graphics = true;
        networking = true;
        users = true;
        virt = false;
        gaming = false;
      };

      homeProfile = "workstation";
      hardwareConfigPath = ./hardware.nix;

      extraConfig = {
        axios.system.timeZone = "America/New_York";
        time.hardwareClockInLocalTime = true;
      };
    };
  };
}
