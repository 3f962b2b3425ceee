"""What a product's units are told apart by (nothing, lots with an expiry, serial numbers):
the keys the catalogue stores, and their words for the screens."""

from __future__ import annotations

from app.core.i18n import N_, label

TRACKING = {
    "none": N_("No lots or serials"),
    "lot": N_("Lots with expiry"),
    "serial": N_("Serial numbers"),
}


def tracking_label(key: str) -> str:
    """How a product's stock is tracked, in the user's language (the keys stay English)."""
    return label(TRACKING, key)
