# Host: server
{ lib, ... }:
{
  hostConfig = {
    hostname = "server";
    hardwareConfigPath = ./server/hardware.nix;
    users = [ "alice" ];
    hardware = { cpu = "intel"; };
    modules = { ai = false; virt = true; };
    virt.containers.enable = true;
    extraConfig = {
      cairn.system.timeZone = "UTC";
      services.openssh.enable = true;
    };
  };
}
