"""Purchasing screens: for now the daily reorder run at sign-in."""
