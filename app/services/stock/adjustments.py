"""Adjustments with a reason code and bin-to-bin transfers, named by SKU and bin code (the
command line and scanners know codes, not ids). The ledger (inventory.py) does the moving;
this adds the reason codes, the refusals in words and the audit entry.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_, _, label
from app.core.validation import clean_text
from app.models import Location, LocationKind, Lot, Product
from app.services.stock import inventory, lots
from app.services.stock.overview import product_by_sku

REASONS = {
    "damaged": N_("Damaged"),
    "lost": N_("Lost"),
    "found": N_("Found"),
    "correction": N_("Count correction"),
}


def reason_label(code: str) -> str:
    """An adjustment's reason in the user's language (the codes stay the program's)."""
    return label(REASONS, code)


def bin_by_code(session: Session, code: str) -> Location:
    """A bin that holds stock, by its code (case as printed on the label), or NotFound."""
    wanted = clean_text(code, "Bin", max_length=40, required=True)
    location = session.scalar(select(Location).where(Location.code == wanted.upper()))
    location = location or session.scalar(select(Location).where(Location.code == wanted))
    if location is None or location.kind != LocationKind.INTERNAL or not location.active:
        raise NotFound(_("There is no bin {wanted!r} that holds stock.").format(wanted=wanted))
    return location


def adjust_by_code(  # noqa: PLR0913 (the command line's options, one each)
    session: Session,
    actor: Actor,
    sku: str,
    bin_code: str,
    delta: int,
    reason: str,
    note: str = "",
    lot: str = "",
) -> int:
    """Add (found) or take away (damaged, lost) units in a bin; never below zero. `lot`
    names the lot or serial the units are in (the lot's level moves with the bin's); a
    product that tracks lots may lose untagged units without one, never its lots'."""
    require(actor, Permission.STOCK_ADJUST)
    code = clean_text(reason, "Reason", max_length=20, required=True).lower()
    if code not in REASONS:
        raise ValidationError(
            _("Reason {reason!r} is not one of: {value}.").format(
                reason=reason, value=", ".join(REASONS)
            ),
            "reason",
        )
    if code in ("damaged", "lost") and isinstance(delta, int) and delta > 0:
        raise ValidationError(
            _("A {code} adjustment takes units away: give a negative number.").format(code=code)
        )
    if code == "found" and isinstance(delta, int) and delta < 0:
        raise ValidationError(_("A found adjustment adds units: give a positive number."), "qty")
    note = clean_text(note, "Note", max_length=150)
    product, location = product_by_sku(session, sku), bin_by_code(session, bin_code)
    text = f"{code}: {note}" if note else code
    tagged = (
        lots.lot_for_adjustment(session, product, location.id, lot, delta)
        if isinstance(delta, int)
        else None
    )
    if tagged is None and product.tracking != lots.NONE and isinstance(delta, int) and delta < 0:
        free = lots.untagged_in_bin(session, product.id, location.id)
        if free < -delta:
            raise ValidationError(
                _(
                    "Only {value} of {sku} in {code} carry no lot: name the lot the units "
                    "are taken from."
                ).format(value=max(free, 0), sku=product.sku, code=location.code),
                "lot",
            )
    move_id = inventory.adjust(session, actor, product.id, location.id, delta, text)
    if tagged is not None:
        lots.tag_move(session, move_id, tagged)
        lots.change_lot_level(session, tagged, location.id, delta)
        text += f" (lot {tagged.code})"
    audit.record(session, actor, "stock.adjust", product.sku, f"{location.code} {delta:+d} {text}")
    return move_id


def transfer_by_code(  # noqa: PLR0913 (the command line's options, one each)
    session: Session,
    actor: Actor,
    sku: str,
    from_code: str,
    to_code: str,
    quantity: int,
    lot: str = "",
) -> int:
    """Move units from one bin to another at once (both in stock-holding bins); `lot`
    names the lot or serial they are in, whose levels move too. A lot-tracked product's
    lots move only by name, so the lot books never claim more than a bin holds."""
    require(actor, Permission.STOCK_TRANSFER)
    product = product_by_sku(session, sku)
    src, dst = bin_by_code(session, from_code), bin_by_code(session, to_code)
    if src.id == dst.id:
        raise ValidationError(
            _(
                "{code} is both the bin to take from and the bin to put into: choose "
                "another destination."
            ).format(code=src.code),
            "to",
        )
    tagged = _lot_to_move(session, product, src, lot, quantity)
    if tagged is not None:
        move_id = lots.transfer_lot(session, actor, tagged, src.id, dst.id, quantity)
    else:
        move_id = inventory.transfer(session, actor, product.id, src.id, dst.id, quantity)
    audit.record(
        session, actor, "stock.transfer", product.sku, f"{src.code} -> {dst.code} {quantity}"
    )
    return move_id


def _lot_to_move(
    session: Session, product: Product, src: Location, code: str, quantity: int
) -> Lot | None:
    """The lot a transfer names, checked to be in the bin in that number before anything
    moves; None for untagged units (refused when the bin has too few of those)."""
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        return None  # the ledger refuses it in words
    if clean_text(code, "Lot", max_length=40).strip():
        lot = lots.lot_for_adjustment(session, product, src.id, code, -quantity)
        if lot is None:
            raise ValidationError(
                _("{sku} has no lot or serial {value}.").format(
                    sku=product.sku, value=code.strip()
                ),
                "lot",
            )
        return lot
    if product.tracking != lots.NONE:
        free = lots.untagged_in_bin(session, product.id, src.id)
        if free < quantity:
            raise ValidationError(
                _(
                    "Only {value} of {sku} in {code} carry no lot: name the lot the units "
                    "are moved in."
                ).format(value=max(free, 0), sku=product.sku, code=src.code),
                "lot",
            )
    return None
