{ ... }:
{
  # the server disk layout (disko)
  disko.devices = { };
}
