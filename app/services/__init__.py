"""The domain: everything the business does, Qt-free (DESIGN.md "Layers")."""
