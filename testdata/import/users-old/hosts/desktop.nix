# Host: desktop
{ lib, userModulePath, ... }:
{
  hostConfig = {
    hostname = "desktop";
    hardwareConfigPath = ./desktop/hardware.nix;
    formFactor = "desktop";
    hardware = { cpu = "amd"; gpu = "amd"; hasSSD = true; };
    modules = { desktop = true; graphics = true; development = true; };
    userModulePath = userModulePath;
    extraConfig = {
      axios.system.timeZone = "Europe/Berlin";
      services.openssh.enable = true;
    };
  };
}
