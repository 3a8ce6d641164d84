{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }: {
    lib.mkSystem = import ./modsys.nix {
      options = {
        "axios.system.timeZone" = "string";
        "fileSystems" = "attribute set";
        "programs.tuner.level" = "signed integer";
      };
      sections = [ { field = "virt"; flag = "virt"; } ];
      assertions = host: [ ];
      check = host:
        if host.hardware.gpu or null == "nvidia" && !(host.modules.graphics or false) then
          throw "axios: hardware.gpu = \"nvidia\" needs modules.graphics = true"
        else if host.hardware.cpu or null == "intel" then
          builtins.seq host.hardware.cpu.vendor host
        else host;
    };
  };
}
