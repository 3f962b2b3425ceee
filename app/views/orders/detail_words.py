"""The order page's words for program values (actions, documents, shipment states), marked
where they are defined and translated where shown; also used by its Print menu."""

from __future__ import annotations

from app.core.i18n import N_, _

ACTION_LABELS = {  # marked here, translated where shown
    "accept": N_("&Accept"),
    "confirm": N_("&Confirm"),
    "hold": N_("&Hold"),
    "release": N_("&Release hold"),
    "cancel": N_("Cance&l order"),
}
# The reason titles of hold and cancel (ask_reason): one whole phrase per action
REASON_TITLES = {"hold": N_("Hold {number}"), "cancel": N_("Cancel order {number}")}
DOCUMENT_NAMES = {  # printing.ORDER_DOCUMENTS as the Print menu names them
    "receipt": N_("Receipt"),
    "invoice": N_("Invoice"),
    "packing-slip": N_("Packing slip"),
    "delivery-note": N_("Delivery note"),
    "pick-list": N_("Pick list"),
    "shipping-label": N_("Shipping label"),
    "product-labels": N_("Product labels"),
}
SHIPMENT_LABELS = {
    "shipped": N_("shipped"),
    "delivered": N_("delivered"),
    "exception": N_("exception"),
}
NO_PRINT_SELECTED = N_("Select a printed document in the timeline to print it again.")
NO_EMAIL_SELECTED = N_("Select an e-mail in the timeline to send it again.")


def document_name(doc: str) -> str:
    """A printable document's name in the process's language."""
    return _(DOCUMENT_NAMES[doc]) if doc in DOCUMENT_NAMES else doc.replace("-", " ").capitalize()


def shipment_label(status: str) -> str:
    return _(SHIPMENT_LABELS[status]) if status in SHIPMENT_LABELS else status
