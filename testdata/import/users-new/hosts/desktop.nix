# Host: desktop (desktop)
{ lib, ... }:
{
  hostConfig = {
    hostname = "desktop";
    hardwareConfigPath = ./desktop/hardware.nix;
    system = "x86_64-linux";
    formFactor = "desktop"; # desktop or laptop

    # Users on this host (references users/<name>.nix)
    users = [ "alice" "bob" ];

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
      graphics = true;
      networking = true;
      users = true;
      ai = false;
    };

    homeProfile = "standard";

    extraConfig = {
      # System timezone (required)
      cairn.system.timeZone = "America/New_York";
    };
  };
}
