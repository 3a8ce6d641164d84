{
  outputs = { self, ... }: {
    # From v2026.03.07 on, mkSystem imports configDir/users/NAME.nix for
    # each name in users: here, it checks that each is a module.
    lib.mkSystem = host: {
      config.assertions = map
        (u: {
          assertion = builtins.isFunction (import (host.configDir + "/users/${u}.nix"));
          message = "users/${u}.nix is no NixOS module";
        })
        (host.users or [ ]);
    };
  };
}
