# The one person of this fleet.
{ lib, ... }:
let
  username = "alice";
  fullName = "Alice Liddell";
in
{
  # Who I am (axios creates the account)
  axios.user = {
    name = username;
    inherit fullName;
    email = "alice@example.org";
  };

  # My home
  home-manager.users.${username} = {
    home.stateVersion = "24.05";
    programs.git.settings.user.name = fullName; # same name everywhere
    axios.pwa.enable = true;
  };

  # Not a user's: these go to the hosts' extraConfig
  users.users.${username}.extraGroups = [ "video" "audio" ];
  nix.settings.trusted-users = [ username ];
}
