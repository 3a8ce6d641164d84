{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }: {
    lib.mkSystem = import ./modsys.nix {
      options = {
        "axios.system.timeZone" = "string";
        "fileSystems" = "attribute set";
        "services.openssh.enable" = "boolean";
      };
      assertions = host: [
        {
          assertion = host.formFactor or null != "laptop" || host.homeProfile or "laptop" == "laptop";
          message = "axios: a laptop needs homeProfile = \"laptop\", not \"${host.homeProfile or ""}\"";
        }
      ];
    };
  };
}
