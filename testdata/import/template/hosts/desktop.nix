# Host: desktop (desktop)
{ lib, userModulePath, ... }:
{
  hostConfig = {
    # Basic identification
    hostname = "desktop";
    system = "x86_64-linux";
    formFactor = "desktop"; # desktop, laptop, or server
    
    # Hardware configuration
    hardware = {
      # vendor = "msi";      # Optional: Only for MSI motherboards
      # vendor = "system76"; # Optional: Only for System76 laptops
      cpu = "amd";    # For nixos-hardware modules
      gpu = "amd";    # For nixos-hardware modules
      hasSSD = true;  # For nixos-hardware SSD optimizations
      isLaptop = false;
    };
    
    # NixOS modules to enable
    modules = {
      system = true;
      desktop = true;
      development = true;
      graphics = true;
      networking = true;
      users = true;
      virt = true;
      gaming = false;
      ai = false;
      secrets = false;
    };
    
    # Virtualization (if virt module enabled)
    virt = {
      libvirt.enable = true;
      containers.enable = false;
    };
    
    # Home-manager profile (from home/profiles/)
    homeProfile = "workstation";
    
    # User module path
    userModulePath = userModulePath;
    
    # Optional: Extra NixOS configuration
    extraConfig = {
      # System timezone (required)
      axios.system.timeZone = "Europe/Berlin";

      # Add any additional NixOS configuration here
      # Examples:
      # services.openssh.enable = true;

    };
    
    # Disk configuration path
    diskConfigPath = ./desktop/disks.nix;
  };
}
