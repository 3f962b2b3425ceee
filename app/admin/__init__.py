"""Tools around the product, not the domain: the demo store, move-to, the printer emulator."""
