{ ... }:
{
  # the desktop disk layout (disko)
  disko.devices = { };
}
