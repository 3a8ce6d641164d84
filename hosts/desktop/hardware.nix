# The desktop's hardware configuration (nixos-generate-config) goes here.
{ }
