"""Receiving by scan: the call a goods-in screen makes once per scan, and the feedback it
shows (what it was, how many of how many on that line, an over-receipt warning).

The code goes through the scan parser (EAN/UPC check digits; GS1 with lot, expiry,
serial and count) and the barcode table (a case code with a pack quantity counts as
that many units). The lot, expiry or serial the code carries wins over an empty field
of the screen; a field the clerk filled wins over the code. Each scan is its own
transaction (the screen's operation), so a refused scan leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.validation import check_quantity, clean_text
from app.models import Product
from app.services.purchasing.receiving import print_labels, receivable, receive_into
from app.services.stock.catalogue import find_by_code
from app.services.stock.scanning import parse_scan

MAX_SCAN_QUANTITY = 10_000


@dataclass(frozen=True)
class ScanFeedback:
    number: str
    status: str  # the PO's status after the scan
    product_id: int
    sku: str
    name: str
    added: int
    received: int  # on the product's line, after the scan
    ordered: int
    over_receipt: bool
    lot: str
    location: str
    message: str


def _product(session: Session, code: str) -> tuple[Product, int, str, date | None, str]:
    """(product, units, lot, expiry, serial) the code stands for, or refused in words."""
    scan = parse_scan(code)
    if not scan.ok:
        raise ValidationError(scan.error, "code")
    if scan.kind == "order":
        raise ValidationError(
            _("{order_number} is a sales order number, not an item: scan the item.").format(
                order_number=scan.order_number
            ),
            "code",
        )
    for candidate in scan.codes or (scan.raw,):
        hit = find_by_code(session, candidate)
        if hit is not None:
            product = session.get(Product, hit.product_id)
            assert product is not None
            units = hit.pack_qty * scan.quantity
            return product, units, scan.batch, scan.expiry, scan.serial
    raise ValidationError(_("Unknown code {raw}: no product has it.").format(raw=scan.raw), "code")


def scan_receipt(
    session: Session,
    actor: Actor,
    ref: int | str,
    code: str,
    quantity: int = 1,
    lot: str = "",
    expires_on: date | None = None,
    serial: str = "",
    labels: bool = False,
) -> ScanFeedback:
    """Receive what one scan stands for (times `quantity`) on a sent PO, into the
    warehouse's receiving location; `labels` queues a shelf label per unit received."""
    require(actor, Permission.STOCK_RECEIVE)
    times = check_quantity(quantity, "Quantity")
    if times > MAX_SCAN_QUANTITY:
        raise ValidationError(
            _("One scan counts at most {max_scan_quantity:,} times.").format(
                max_scan_quantity=MAX_SCAN_QUANTITY
            ),
            "quantity",
        )
    lot = clean_text(lot, "Lot", max_length=40).strip()
    serial = clean_text(serial, "Serial number", max_length=40).strip()
    order = receivable(session, ref)
    product, units, code_lot, code_expiry, code_serial = _product(session, code)
    if product.tracking == "serial":
        tag = serial or code_serial or lot or code_lot
    else:
        tag = lot or code_lot
    expiry = expires_on or code_expiry
    done = receive_into(session, actor, order, product, units * times, tag, expiry)
    if labels:
        print_labels(session, actor, [done])
    message = f"{done.sku} {done.name}: {done.received} of {done.ordered} received"
    if done.lot:
        message += f" (lot {done.lot})" if product.tracking != "serial" else f" ({done.lot})"
    if done.over_receipt:
        message += f" — {done.received - done.ordered} more than ordered"
    return ScanFeedback(
        done.number,
        done.status,
        done.product_id,
        done.sku,
        done.name,
        done.added,
        done.received,
        done.ordered,
        done.over_receipt,
        done.lot,
        done.location,
        message,
    )
