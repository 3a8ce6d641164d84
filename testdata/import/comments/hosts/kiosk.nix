# Host: kiosk
#
# A locked-down machine in the lobby.
{ lib, ... }:
{
  hostConfig = {
    hostname = "kiosk";
    diskConfigPath = ./kiosk/hardware.nix;

    formFactor = "desktop"; /* no battery */

    hardware = {
      cpu = "intel"; # Celeron
      hasSSD = true;
    };

    /*
     * Only what the kiosk needs:
     *   - a desktop
     *   - graphics
     */
    modules = { desktop = true; graphics = true; networking = true; };

    extraConfig = {
      axios.system.timeZone = "UTC";
      # Auto-login for the kiosk user
      services.displayManager.autoLogin = {
        enable = true; # no password prompt
        user = "kiosk";
      };
      /* Browser only */
      services.cage.program = "/run/current-system/sw/bin/firefox";
    };
    # nothing else
  };
}
