{
  hostname = "db";
  hardwareConfigPath = ./db/hardware.nix;
  hardware = { cpu = "amd"; hasSSD = true; };
  modules = { virt = true; };
  virt.containers.enable = true;
  extraConfig = {
    axios.system.timeZone = "UTC";
    services.postgresql.enable = if true then true else false;
  };
}
