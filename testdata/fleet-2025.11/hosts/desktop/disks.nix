# disko layout of desktop (an example; axc only points to it).
{
  disko.devices.disk.main = {
    device = "/dev/nvme0n1";
    type = "disk";
  };
}
