"""Which timeline entries mail the customer, and the shop's switch for each.

The e-mail events are named once here (EVENTS, with their labels for the settings page);
`event_for` maps an entry of the order's timeline (its kind, the status it went to and its
data) to one of them. A shop turns each on or off; all are on until it says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import N_, _
from app.services.notify.stored import notify_settings, store

EVENTS: dict[str, str] = {
    "received": N_("Order received"),
    "accepted": N_("Order accepted"),
    "shipped": N_("Order shipped"),
    "partly_shipped": N_("Order partly shipped"),
    "delivered": N_("Order delivered"),
    "exception": N_("Delivery delayed or a problem"),
    "cancelled": N_("Order cancelled"),
    "refunded": N_("Refund made"),
    "return_received": N_("Return received"),
}
SWITCHES_KEY = "notify.events"
INVOICE_KEY = "notify.invoice_on_shipped"
SETTINGS_CHANGED = "settings"

# timeline kind -> the e-mail event, for kinds that always mean one
_BY_KIND = {
    "accept": "accepted",
    "accepted": "accepted",
    "cancel": "cancelled",
    "cancelled": "cancelled",
    "exception": "exception",
    "refunded": "refunded",
}


def event_for(
    kind: str, to_status: str, data: Mapping[str, object] | None, channel: str
) -> str | None:
    """The e-mail event a timeline entry causes, or None (most entries mail nobody). A
    counter sale mails nobody: the customer is at the counter with the receipt."""
    if channel == "counter":
        return None
    if kind == "created":
        return "received"
    if kind == "shipped":
        return "partly_shipped" if to_status == "partly_shipped" else "shipped"
    if kind == "delivered":
        return "delivered" if to_status == "delivered" else None
    if kind == "return":
        return "return_received" if data and data.get("return_received") else None
    return _BY_KIND.get(kind)


def switches(session: Session) -> dict[str, bool]:
    """Every event with the shop's switch (on unless turned off)."""
    stored = notify_settings(session).get(SWITCHES_KEY)
    off = stored if isinstance(stored, dict) else {}
    return {event: bool(off.get(event, True)) for event in EVENTS}


def is_on(session: Session, event: str) -> bool:
    return switches(session).get(event, False)


def set_switch(session: Session, actor: Actor, event: str, on: bool) -> None:
    """Turn the customer e-mail for one event on or off, for the whole shop."""
    require(actor, Permission.SETTINGS_MANAGE)
    if event not in EVENTS:
        raise ValidationError(
            _("'{event}' is not an e-mail event ({value}).").format(
                event=event, value=", ".join(EVENTS)
            ),
            "event",
        )
    if not isinstance(on, bool):
        raise ValidationError(_("An e-mail event is on or off."), "event")
    current = switches(session)
    current[event] = on
    store(session, SWITCHES_KEY, current)
    audit.record(session, actor, "settings.email", event, "on" if on else "off")
    changes.note(session, kind=SETTINGS_CHANGED)


def attach_invoice(session: Session) -> bool:
    """Whether the "shipped" e-mail carries the invoice PDF (off until the shop says)."""
    return notify_settings(session).get(INVOICE_KEY) is True


def set_attach_invoice(session: Session, actor: Actor, on: bool) -> None:
    require(actor, Permission.SETTINGS_MANAGE)
    if not isinstance(on, bool):
        raise ValidationError(_("Attach the invoice: yes or no."), "invoice")
    store(session, INVOICE_KEY, on)
    audit.record(session, actor, "settings.email", "invoice", "on" if on else "off")
    changes.note(session, kind=SETTINGS_CHANGED)
