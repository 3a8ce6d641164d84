{ ... }:
{
  # the laptop disk layout (disko)
  disko.devices = { };
}
