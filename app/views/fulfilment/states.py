"""The states of pick lines, packages and returns as the bench shows them: the stored codes stay the
program's, the words are the user's language."""

from __future__ import annotations

from app.core.i18n import N_, label

STATES = {
    "open": N_("open"),
    "done": N_("done"),
    "short": N_("short"),
    "closed": N_("closed"),
    "shipped": N_("shipped"),
    "requested": N_("requested"),
    "receiving": N_("receiving"),
    "received": N_("received"),
    "refunded": N_("refunded"),
}


def state_label(status: str) -> str:
    """A pick line's, a package's or a return's state in words (an unknown one as it is stored)."""
    return label(STATES, status)
