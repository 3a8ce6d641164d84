# Host: laptop
{ lib, userModulePath, ... }:
{
  hostConfig = {
    hostname = "laptop";
    hardwareConfigPath = ./laptop/hardware.nix;
    formFactor = "laptop";
    hardware = { cpu = "intel"; gpu = "intel"; isLaptop = true; };
    modules = { desktop = true; graphics = true; };
    homeProfile = "laptop";
    inherit userModulePath;
    extraConfig.axios.system.timeZone = "Europe/Berlin";
  };
}
