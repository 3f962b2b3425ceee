"""Lots and serials on the pick bench: which lot each scan took, and the lot moves when a
line is finished.

A GS1 scan names its lot (AI 10) or serial (AI 21); a plain EAN names neither, so the
picker is sent to the proposed lot: first to expire first out, never an expired one. What
each scan took is kept per line (pick_line_lots) so a restart loses nothing, and when the
line is finished its units move bin -> packing lot by lot, each move tagged with its lot,
reserved at packing for the order in the same lots (shipping consumes them lot by lot).
A product that tracks nothing pays one cached row read per scan.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import session_cache
from app.core.auth import Actor
from app.core.errors import ValidationError
from app.core.i18n import _
from app.models import Lot, LotLevel, PickLine, PickLineLot, Product
from app.services.stock import inventory, lots
from app.services.stock.lots import NONE, SERIAL, LotInBin
from app.services.stock.scanning import parse_scan


class PickedLine(Protocol):
    """What this module needs of a pick line row (picking.PickLineRow has it)."""

    @property
    def id(self) -> int: ...
    @property
    def product_id(self) -> int: ...
    @property
    def location_id(self) -> int: ...
    @property
    def sku(self) -> str: ...
    @property
    def bin_code(self) -> str: ...


def tracking_of(session: Session, product_id: int) -> str:
    product = session_cache.row(session, Product, product_id)
    return product.tracking if product is not None else NONE


def taken(session: Session, pick_line_id: int) -> dict[int, int]:
    """lot id -> units the line's scans took of it so far."""
    rows = session.execute(
        select(PickLineLot.lot_id, PickLineLot.quantity).where(
            PickLineLot.pick_line_id == pick_line_id
        )
    )
    return {lot_id: quantity for lot_id, quantity in rows}


def _expired(lot: LotInBin | Lot) -> bool:
    return lot.expires_on is not None and lot.expires_on < lots.today()


def proposed(session: Session, line: PickedLine) -> LotInBin | None:
    """The lot to pick next: the first to expire that has units left after what this
    line took already, skipping expired lots; None when the product tracks no lots."""
    if tracking_of(session, line.product_id) == NONE:
        return None
    took = taken(session, line.id)
    for lot in lots.lots_in_bin(session, line.product_id, line.location_id):
        if not _expired(lot) and lot.on_hand > took.get(lot.lot_id, 0):
            return lot
    return None


def _expired_refusal(sku: str, code: str, expires_on: object) -> ValidationError:
    return ValidationError(
        f"Lot {code} of {sku} expired on {expires_on}: put it aside for the stock keeper "
        "and pick another lot.",
        "lot",
    )


def _scanned_lot(session: Session, line: PickedLine, code: str, tracking: str) -> Lot:
    """The lot a scan names, or the proposed one for a plain EAN; refused in words."""
    scan = parse_scan(code)
    wanted = scan.serial if tracking == SERIAL else scan.batch
    if tracking == SERIAL and not wanted:
        raise ValidationError(
            _(
                "{sku} is tracked by serial number: scan the code that carries the "
                "unit's serial (GS1 AI 21)."
            ).format(sku=line.sku),
            "serial",
        )
    if wanted:
        lot = lots.find_lot(session, line.product_id, wanted)
        if lot is None:
            kind = "serial number" if tracking == SERIAL else "lot"
            raise ValidationError(
                _("There is no {kind} {wanted} of {sku}.").format(
                    kind=kind, wanted=wanted, sku=line.sku
                ),
                "lot",
            )
        return lot
    proposal = proposed(session, line)
    if proposal is None:
        in_bin = lots.lots_in_bin(session, line.product_id, line.location_id)
        if in_bin and _expired(in_bin[0]):
            raise _expired_refusal(line.sku, in_bin[0].code, in_bin[0].expires_on)
        raise ValidationError(
            _(
                "The books hold no lot of {sku} in {bin_code} to pick: ask the stock "
                "keeper to count the bin."
            ).format(sku=line.sku, bin_code=line.bin_code),
            "lot",
        )
    return session.get_one(Lot, proposal.lot_id)


def take(session: Session, line: PickedLine, code: str, units: int) -> str:
    """Record which lot `units` scanned for a line came from; the lot's code, or "" for a
    product that tracks none. Refused in words (nothing recorded): an expired lot, a lot
    or serial not in this bin, more of a lot than the bin holds."""
    tracking = tracking_of(session, line.product_id)
    if tracking == NONE:
        return ""
    lot = _scanned_lot(session, line, code, tracking)
    if _expired(lot):
        raise _expired_refusal(line.sku, lot.code, lot.expires_on)
    held = session.scalar(
        select(LotLevel.on_hand).where(
            LotLevel.lot_id == lot.id, LotLevel.location_id == line.location_id
        )
    )
    took = taken(session, line.id).get(lot.id, 0)
    if took + units > (held or 0):
        raise ValidationError(
            _(
                "Only {held} of lot {code} are in {bin_code} and {took} are picked "
                "already: that scan counts {units}."
            ).format(held=held or 0, code=lot.code, bin_code=line.bin_code, took=took, units=units),
            "lot",
        )
    row = session.get(PickLineLot, (line.id, lot.id))
    if row is None:
        session.add(PickLineLot(pick_line_id=line.id, lot_id=lot.id, quantity=units))
    else:
        row.quantity += units
    session.flush()
    return lot.code


def to_packing(
    session: Session,
    actor: Actor,
    pick: PickLine,
    pack_location_id: int,
    reason: str,
    ref: inventory.MoveRef,
) -> bool:
    """Move a finished line's picked units bin -> packing lot by lot and reserve them
    there for the order in the same lots; False (nothing done) when no lot was recorded."""
    if tracking_of(session, pick.product_id) == NONE:
        return False
    recorded = session.scalars(
        select(PickLineLot).where(PickLineLot.pick_line_id == pick.id).order_by(PickLineLot.lot_id)
    ).all()
    if not recorded:
        return False
    left = pick.picked
    for row in recorded:
        quantity = min(row.quantity, left)
        if quantity <= 0:
            break
        lot = session.get_one(Lot, row.lot_id)
        lots.transfer_lot(session, actor, lot, pick.location_id, pack_location_id, quantity, reason)
        move_id = inventory.reserve(
            session, actor, pick.product_id, pack_location_id, quantity, ref
        )
        lots.tag_move(session, move_id, lot)
        left -= quantity
    if left > 0:  # picked before the product tracked lots: the rest moves untagged
        inventory.transfer(
            session, actor, pick.product_id, pick.location_id, pack_location_id, left, reason
        )
        inventory.reserve(session, actor, pick.product_id, pack_location_id, left, ref)
    return True


def write_off(session: Session, actor: Actor, line: PickedLine, shortage: int, reason: str) -> None:
    """Units the bin's count has but the shelf had not (a short pick) go to loss: first
    those without a lot, then the lots the picker was sent to (first to expire first), each
    move tagged, so the lot books never claim more than the bin holds."""
    left = shortage
    if tracking_of(session, line.product_id) != NONE:
        untagged = max(lots.untagged_in_bin(session, line.product_id, line.location_id), 0)
        for held in lots.good_first(session, line.product_id, line.location_id):
            if left <= untagged:
                break
            take = min(held.on_hand, left - untagged)
            lot = session.get_one(Lot, held.lot_id)
            move_id = inventory.write_off(
                session, actor, line.product_id, line.location_id, take, reason
            )
            lots.tag_move(session, move_id, lot)
            lots.change_lot_level(session, lot, line.location_id, -take)
            left -= take
    if left > 0:
        inventory.write_off(session, actor, line.product_id, line.location_id, left, reason)
