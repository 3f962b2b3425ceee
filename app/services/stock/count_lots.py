"""Counting lots: a GS1 scan in a count names the lot (AI 10) or serial (AI 21) of what
was counted, each scan row keeps it, and approval settles the lots as well as the bin.

The rule at approval, for a line of a lot-tracked product where at least one scan named
a lot: each lot's count is the sum of its scans, and a lot the books hold in the bin but
nobody scanned was not found (counted zero). Each lot's difference to its level now is
one adjustment move tagged with the lot (gains first, so the bin never dips below zero on
the way); what is left of the line's variance (`counted - expected`, the count's rule for
stock that moved meanwhile) is one untagged adjustment. A line whose scans named no lot
(plain EANs) is settled for the bin only, as for any product: the count said nothing
about which lots are there.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import session_cache
from app.core.auth import Actor
from app.models import Lot, Product, StockCountLine, StockCountScan
from app.services.stock import inventory, lots
from app.services.stock.lots import NONE, SERIAL
from app.services.stock.scanning import Scan


def lot_of_scan(session: Session, product_id: int, scan: Scan | None) -> Lot | None:
    """The lot a count scan names, made if the books do not know it (it is on the shelf,
    whatever its date); None for a plain code or a product that tracks no lots."""
    product = session_cache.row(session, Product, product_id)
    if scan is None or product is None or product.tracking == NONE:
        return None
    code = scan.serial if product.tracking == SERIAL else scan.batch
    if not code:
        return None
    lot = lots.find_lot(session, product_id, code)
    if lot is None:
        lot = Lot(
            product_id=product_id,
            code=code,
            expires_on=scan.expiry,
            is_serial=product.tracking == SERIAL,
        )
        session.add(lot)
        session.flush()
    return lot


def counted_lots(session: Session, line_id: int) -> dict[int, int]:
    """lot id -> units counted in it on this line (scans that named a lot)."""
    rows = session.execute(
        select(StockCountScan.lot_id, func.sum(StockCountScan.quantity))
        .where(StockCountScan.line_id == line_id, StockCountScan.lot_id.is_not(None))
        .group_by(StockCountScan.lot_id)
    ).all()
    return {lot_id: int(n) for lot_id, n in rows if lot_id is not None}


def settle(
    session: Session, actor: Actor, line: StockCountLine, counted: int, expected: int
) -> int | None:
    """Apply a lot-counted line (the module's rule); the number of adjustments made, or
    None when the line's scans named no lot (the caller settles it for the bin)."""
    per_lot = counted_lots(session, line.id)
    if not per_lot:
        return None
    held = {
        x.lot_id: x.on_hand for x in lots.lots_in_bin(session, line.product_id, line.location_id)
    }
    deltas = [(lot_id, per_lot.get(lot_id, 0) - held.get(lot_id, 0)) for lot_id in per_lot | held]
    made = tagged = 0
    for lot_id, delta in sorted(deltas, key=lambda d: -d[1]):
        if delta == 0:
            continue
        lot = session.get_one(Lot, lot_id)
        move_id = inventory.adjust(
            session, actor, line.product_id, line.location_id, delta, f"count (lot {lot.code})"
        )
        lots.tag_move(session, move_id, lot)
        lots.change_lot_level(session, lot, line.location_id, delta)
        made, tagged = made + 1, tagged + delta
    rest = counted - expected - tagged
    if rest:
        inventory.adjust(session, actor, line.product_id, line.location_id, rest, "count")
        made += 1
    return made
