"""Lots and serials on returns: a GS1 scan at goods-in names the lot (AI 10) or serial
(AI 21) of the unit coming back, the customer -> returns move carries it, and what is
restocked or scrapped later leaves the returns area in the lots it came back in (the
restocked lots' bin levels go up with them), oldest first. A plain EAN names no lot: the
unit comes back untagged, as before. Apart from returns.py to keep that module on its
one subject; this one imports nothing of it (the ref says which return line)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import session_cache
from app.core.auth import Actor
from app.core.bootstrap import virtual_location_id
from app.core.errors import ValidationError
from app.core.i18n import _
from app.models import LocationKind, Lot, Product, StockMove
from app.services.stock import inventory, lots
from app.services.stock.inventory import MoveRef
from app.services.stock.lots import NONE, SERIAL
from app.services.stock.scanning import parse_scan


def scanned_lot(session: Session, product_id: int, code: str) -> Lot | None:
    """The lot or serial a returned item's GS1 scan names (None when it names none or the
    product tracks none); refused in words when the lot was never ours."""
    product = session_cache.row(session, Product, product_id)
    if product is None or product.tracking == NONE:
        return None
    scan = parse_scan(code)
    wanted = scan.serial if product.tracking == SERIAL else scan.batch
    if not wanted:
        return None
    lot = lots.find_lot(session, product_id, wanted)
    if lot is None:
        kind = "serial number" if product.tracking == SERIAL else "lot"
        raise ValidationError(
            _(
                "{sku} has no {kind} {wanted}: it was never received here. Check the "
                "label, or scan the item's plain barcode to take it back without one."
            ).format(sku=product.sku, kind=kind, wanted=wanted),
            "lot",
        )
    return lot


def _waiting(session: Session, ref: MoveRef) -> list[tuple[int | None, int]]:
    """(lot id, units) of a return line still in the returns area, oldest lot first and
    untagged units (None) last."""
    area = virtual_location_id(session, LocationKind.RETURNS)
    base = select(StockMove.lot_id, func.sum(StockMove.quantity)).where(
        StockMove.origin_type == ref.type, StockMove.origin_id == ref.id
    )
    came = session.execute(
        base.where(StockMove.to_location_id == area).group_by(StockMove.lot_id)
    ).all()
    went = dict(
        session.execute(
            base.where(StockMove.from_location_id == area).group_by(StockMove.lot_id)
        ).all()
    )
    left = [(lot_id, int(n) - int(went.get(lot_id) or 0)) for lot_id, n in came]
    return sorted(
        ((lot_id, n) for lot_id, n in left if n > 0), key=lambda p: (p[0] is None, p[0] or 0)
    )


def restock(
    session: Session, actor: Actor, product_id: int, bin_id: int, quantity: int, ref: MoveRef
) -> None:
    """Returned units go back on a shelf in the lots they came back in (returns -> bin),
    the lots' bin levels with them; units that came back without a lot stay untagged."""
    left = quantity
    for lot_id, units in _waiting(session, ref):
        take = min(units, left)
        if take <= 0:
            break
        move_id = inventory.restock_return(session, actor, product_id, bin_id, take, ref)
        if lot_id is not None:
            lot = session.get_one(Lot, lot_id)
            lots.tag_move(session, move_id, lot)
            lots.change_lot_level(session, lot, bin_id, take)
        left -= take
    if left > 0:
        inventory.restock_return(session, actor, product_id, bin_id, left, ref)


def scrap(session: Session, actor: Actor, product_id: int, quantity: int, ref: MoveRef) -> None:
    """Returned units written off (returns -> loss) in the lots they came back in, so a
    lot's trace shows what became of them."""
    left = quantity
    for lot_id, units in _waiting(session, ref):
        take = min(units, left)
        if take <= 0:
            break
        move_id = inventory.record_virtual_move(
            session, actor, product_id, take, LocationKind.RETURNS, LocationKind.LOSS, ref
        )
        if lot_id is not None:
            lots.tag_move(session, move_id, session.get_one(Lot, lot_id))
        left -= take
    if left > 0:
        inventory.record_virtual_move(
            session, actor, product_id, left, LocationKind.RETURNS, LocationKind.LOSS, ref
        )
