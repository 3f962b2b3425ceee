"""Buying: suppliers and what they sell us (purchase orders and reorder rules follow)."""
