"""services/notify/events.py: which timeline entries mail the customer."""

from __future__ import annotations

import pytest

from app.services.notify.events import EVENTS, event_for


@pytest.mark.parametrize(
    ("kind", "to_status", "data", "channel", "expected"),
    [
        ("created", "new", None, "web", "received"),
        ("accepted", "accepted", None, "phone", "accepted"),
        ("shipped", "shipped", None, "web", "shipped"),
        ("shipped", "partly_shipped", None, "web", "partly_shipped"),
        ("delivered", "delivered", None, "web", "delivered"),
        ("delivered", "", None, "web", None),  # one shipment of several: the order is not
        ("exception", "", None, "web", "exception"),
        ("cancelled", "cancelled", None, "email", "cancelled"),
        ("refunded", "", None, "web", "refunded"),
        ("return", "", {"return_received": "RMA-1"}, "web", "return_received"),
        ("return", "", None, "web", None),  # requested, restocked: no e-mail
        ("note", "", None, "web", None),
        ("email", "", None, "web", None),  # its own entry never mails again
        ("completed", "completed", None, "counter", None),
        ("refunded", "refunded", None, "counter", None),  # the customer is at the counter
    ],
)
def test_event_for(kind, to_status, data, channel, expected):
    assert event_for(kind, to_status, data, channel) == expected
    assert expected is None or expected in EVENTS
