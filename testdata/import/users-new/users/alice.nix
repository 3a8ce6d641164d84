{ ... }:
{
  cairn.users.users.alice = {
    fullName = "Alice Liddell";
    email = "alice@example.org";
    isAdmin = true;
    homeProfile = "standard";
    extraGroups = [ "libvirtd" ];
    linger = true;
  };

  # Alice's home is a module of its own: it needs pkgs.
  home-manager.users.alice = { pkgs, ... }: {
    cairn.home.flakePath = "/etc/nixos";
    cairn.wallpapers.enable = true;
    cairn.terminal.neovim.enable = true;
    home.packages = [ pkgs.ripgrep ];
  };
}
