# Bob only uses the desktop.
{ ... }:
{
  cairn.users.users.bob = {
    fullName = "Bob Builder";
    homeProfile = "normie";
  };

  home-manager.users.bob = {
    cairn.wallpapers.enable = false;
  };

  # Bob's shell of choice: not something a user holds
  programs.fish.enable = true;
}
