"""Shelf labels for products chosen on the catalogue screen, a quantity for each.

The same label as an order's "product-labels" document (documents.product_label_data:
name, SKU, price, the product's unit barcode), drawn in the label printer's language and
queued as one job, so a batch comes out in the order it was chosen.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.printing import documents as layouts
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.printing.document_data import product_label_data
from app.services.printing.label_render import label_payload

MAX_COPIES = 999  # labels of one product in one batch (a roll, not a typo's worth)
MAX_PRODUCTS = 1_000


def print_product_labels(
    session: Session, actor: Actor, workstation: str, quantities: list[tuple[int, int]]
) -> int:
    """Queue labels for (product id, how many) on the workstation's label printer; a
    quantity of 0 skips that product. Returns the print job's id."""
    require(actor, Permission.CATALOGUE_VIEW)
    wanted = [(pid, qty) for pid, qty in quantities if qty]
    if not wanted:
        raise ValidationError(
            _("Say how many labels to print for at least one product."), "quantity"
        )
    if len(wanted) > MAX_PRODUCTS:
        raise ValidationError(
            _("One batch prints labels for at most {max_products:,} products.").format(
                max_products=MAX_PRODUCTS
            )
        )
    for _pid, qty in wanted:
        if isinstance(qty, bool) or not isinstance(qty, int) or not 0 < qty <= MAX_COPIES:
            raise ValidationError(
                _("A quantity of labels is between 1 and {max_copies}.").format(
                    max_copies=MAX_COPIES
                ),
                "quantity",
            )
    printer = printers.default_printer(session, workstation, "label")
    labels = [
        replace(layouts.product_label(product_label_data(session, pid)), copies=qty)
        for pid, qty in wanted
    ]
    payload = label_payload(labels, printer)
    return printing._enqueue(session, actor, printer.id, "product-labels", payload)
