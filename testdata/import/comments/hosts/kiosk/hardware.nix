# The kiosk's hardware configuration (nixos-generate-config writes it).
{ ... }:
{
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
}
