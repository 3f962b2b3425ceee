"""Kestrel: order management for shops and small warehouses."""

__version__ = "0.1.0"
