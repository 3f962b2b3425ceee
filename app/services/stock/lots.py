"""Lots and serial numbers in the ledger: which lot a move carried and how many of each lot
sit in each bin (lot_levels, kept in the same transaction as the moves).

The product-level ledger (inventory.py) stays the one place stock moves; the functions
here run an inventory move and then tag it with its lot and move the lot's level, so a
product that tracks nothing pays nothing. A serial-tracked product's serials are lots of
one unit: received once, never twice while it is in the building.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ConflictError, OutOfStock, ValidationError
from app.core.i18n import _
from app.core.validation import check_quantity, clean_text
from app.models import Location, Lot, LotLevel, Product, StockLevel, StockMove
from app.services.stock import inventory
from app.services.stock.inventory import MoveRef

NONE, LOT, SERIAL = "none", "lot", "serial"
TRACKING = (NONE, LOT, SERIAL)

_LEVELS = LotLevel.__table__
_NEW = _LEVELS.c.on_hand + bindparam("delta")
_CHANGE = (
    update(_LEVELS)
    .where(
        _LEVELS.c.lot_id == bindparam("b_lot"),
        _LEVELS.c.location_id == bindparam("b_location"),
        _NEW >= 0,
    )
    .values(on_hand=_NEW)
)
_TAG = (
    update(StockMove.__table__)
    .where(StockMove.__table__.c.id == bindparam("b_move"))
    .values(lot_id=bindparam("lot"))
)


@dataclass(frozen=True)
class LotInBin:
    lot_id: int
    code: str
    expires_on: date | None
    on_hand: int


def today() -> date:
    return datetime.now(UTC).date()


def _label(product: Product) -> str:
    return f"{product.sku} '{product.name}'"


def find_lot(session: Session, product_id: int, code: str) -> Lot | None:
    return session.scalar(select(Lot).where(Lot.product_id == product_id, Lot.code == code))


def lot_for_receipt(
    session: Session, product: Product, code: str, expires_on: date | None, quantity: int
) -> Lot | None:
    """The lot (or serial) these units arrive in, made on its first receipt; None for a
    product that tracks neither. Refuses in words: a lot for a product without lots, no
    lot for one with, an expiry in the past, an expiry that contradicts the lot's, a
    serial for more than one unit or one already received."""
    code = clean_text(code, "Lot", max_length=40).strip()
    if product.tracking == NONE:
        if code:
            raise ValidationError(
                _("{value} does not track lots or serials.").format(value=_label(product)), "lot"
            )
        return None
    kind = "serial number" if product.tracking == SERIAL else "lot"
    if not code:
        raise ValidationError(
            _("{value} needs a {kind} on receipt.").format(value=_label(product), kind=kind), "lot"
        )
    if expires_on is not None and expires_on < today():
        raise ValidationError(
            _("Lot {code} of {sku} expired on {value}; expired goods are not received.").format(
                code=code, sku=product.sku, value=expires_on.isoformat()
            ),
            "expiry",
        )
    if product.tracking == SERIAL and quantity != 1:
        raise ValidationError(
            _("A serial number stands for one unit: {quantity} received as {code}.").format(
                quantity=quantity, code=code
            ),
            "quantity",
        )
    lot = find_lot(session, product.id, code)
    if lot is None:
        lot = Lot(
            product_id=product.id,
            code=code,
            expires_on=expires_on,
            is_serial=product.tracking == SERIAL,
        )
        session.add(lot)
        session.flush()
        return lot
    if product.tracking == SERIAL:
        raise ConflictError(
            _("Serial number {code} of {sku} was received already.").format(
                code=code, sku=product.sku
            )
        )
    if expires_on is not None and lot.expires_on not in (None, expires_on):
        raise ValidationError(
            _("Lot {code} of {sku} expires on {expires_on}, not {expires_on2}.").format(
                code=code, sku=product.sku, expires_on=lot.expires_on, expires_on2=expires_on
            ),
            "expiry",
        )
    if lot.expires_on is None and expires_on is not None:
        lot.expires_on = expires_on
    return lot


def _ensure_row(session: Session, lot_id: int, location_id: int) -> None:
    values = {"lot_id": lot_id, "location_id": location_id, "on_hand": 0}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(_LEVELS).values(values).on_conflict_do_nothing())


def change_lot_level(session: Session, lot: Lot, location_id: int, delta: int) -> None:
    """Move one lot's count in one bin, never below zero (one conditional UPDATE)."""
    if delta > 0:
        _ensure_row(session, lot.id, location_id)
    result = session.execute(_CHANGE, {"b_lot": lot.id, "b_location": location_id, "delta": delta})
    if result.rowcount != 1:  # type: ignore[attr-defined]
        held = session.scalar(
            select(LotLevel.on_hand).where(
                LotLevel.lot_id == lot.id, LotLevel.location_id == location_id
            )
        )
        code = session.get(Location, location_id)
        raise OutOfStock(
            _("Only {held} of lot {code} in {code2}; {value} needed.").format(
                held=held or 0,
                code=lot.code,
                code2=code.code if code else location_id,
                value=-delta,
            )
        )


def tag_move(session: Session, move_id: int, lot: Lot | None) -> None:
    if lot is not None:
        session.execute(_TAG, {"b_move": move_id, "lot": lot.id})


def receive_lot(
    session: Session,
    actor: Actor,
    product: Product,
    location_id: int,
    quantity: int,
    code: str,
    expires_on: date | None,
    ref: MoveRef,
) -> tuple[int, Lot | None]:
    """Units arrive from a supplier into a bin, in their lot: (move id, lot or None)."""
    require(actor, Permission.STOCK_RECEIVE)
    quantity = check_quantity(quantity)
    lot = lot_for_receipt(session, product, code, expires_on, quantity)
    move_id = inventory.receive(session, actor, product.id, location_id, quantity, ref)
    if lot is not None:
        tag_move(session, move_id, lot)
        change_lot_level(session, lot, location_id, quantity)
    return move_id, lot


def transfer_lot(
    session: Session,
    actor: Actor,
    lot: Lot,
    from_location_id: int,
    to_location_id: int,
    quantity: int,
    reason: str = "",
) -> int:
    """Units of one lot move bin to bin (put-away, a transfer): product and lot levels."""
    require(actor, Permission.STOCK_TRANSFER)
    move_id = inventory.transfer(
        session, actor, lot.product_id, from_location_id, to_location_id, quantity, reason
    )
    tag_move(session, move_id, lot)
    change_lot_level(session, lot, from_location_id, -quantity)
    change_lot_level(session, lot, to_location_id, quantity)
    return move_id


def lots_in_bin(session: Session, product_id: int, location_id: int) -> list[LotInBin]:
    """The lots of a product in a bin with what is left of each, first to expire first
    (no expiry last), then oldest lot first."""
    rows = session.execute(
        select(Lot.id, Lot.code, Lot.expires_on, LotLevel.on_hand)
        .join(LotLevel, LotLevel.lot_id == Lot.id)
        .where(
            Lot.product_id == product_id,
            LotLevel.location_id == location_id,
            LotLevel.on_hand > 0,
        )
        .order_by(Lot.expires_on.is_(None), Lot.expires_on, Lot.id)
    ).all()
    return [LotInBin(r.id, r.code, r.expires_on, r.on_hand) for r in rows]


def consumed(session: Session, lot_id: int | None, location_id: int, quantity: int) -> None:
    """A reserved move tagged with a lot left the building (shipped): the lot leaves the
    location too. Nothing for an untagged move."""
    if lot_id is not None:
        change_lot_level(session, session.get_one(Lot, lot_id), location_id, -quantity)


def untagged_in_bin(session: Session, product_id: int, location_id: int) -> int:
    """Units of a product in a bin that carry no lot: its level less its lots' levels."""
    on_hand = session.scalar(
        select(StockLevel.on_hand).where(
            StockLevel.product_id == product_id, StockLevel.location_id == location_id
        )
    )
    in_lots = sum(x.on_hand for x in lots_in_bin(session, product_id, location_id))
    return (on_hand or 0) - in_lots


def lot_for_adjustment(
    session: Session, product: Product, location_id: int, code: str, delta: int
) -> Lot | None:
    """The lot an adjustment names (None when it names none). Units found may be in a lot
    the books do not know yet (it is made, without expiry); units taken away must be in
    a known lot that holds them in this bin (checked before anything is written)."""
    code = clean_text(code, "Lot", max_length=40).strip()
    if not code:
        return None
    if product.tracking == NONE:
        raise ValidationError(
            _("{value} does not track lots or serials.").format(value=_label(product)), "lot"
        )
    lot = find_lot(session, product.id, code)
    if lot is None and delta < 0:
        raise ValidationError(
            _("{sku} has no lot or serial {code}.").format(sku=product.sku, code=code), "lot"
        )
    if lot is None:
        return lot_for_receipt(session, product, code, None, delta)
    if delta < 0:
        held = session.scalar(
            select(LotLevel.on_hand).where(
                LotLevel.lot_id == lot.id, LotLevel.location_id == location_id
            )
        )
        if (held or 0) < -delta:
            raise OutOfStock(
                _("Only {held} of lot {code} in this bin; {value} needed.").format(
                    held=held or 0, code=lot.code, value=-delta
                )
            )
    return lot


def good_first(session: Session, product_id: int, location_id: int) -> list[LotInBin]:
    """The lots in a bin in the order units are taken from them: those still good first to
    expire first, then the expired ones (on the shelf though they should not be)."""
    held = lots_in_bin(session, product_id, location_id)
    now = today()
    good = [x for x in held if x.expires_on is None or x.expires_on >= now]
    return good + [x for x in held if x not in good]


def ensure_no_lots_on_hand(session: Session, product: Product) -> None:
    """Lots or serials on a shelf keep the product's tracking: switched off or to the other
    kind, they would be units the books can no longer tell apart."""
    held = session.scalar(
        select(func.coalesce(func.sum(LotLevel.on_hand), 0))
        .join(Lot, Lot.id == LotLevel.lot_id)
        .where(Lot.product_id == product.id)
    )
    if held:
        kind = "serial numbers" if product.tracking == "serial" else "lots"
        raise ValidationError(
            _(
                "{sku} has {held} unit(s) on hand in {kind}: its tracking changes only "
                "when none are left (sell, adjust or count them out first)."
            ).format(sku=product.sku, held=held, kind=kind),
            "tracking",
        )


def prepare_gs1_scans(session: Session) -> bool:
    """Where the shop keeps lots, its codes come as GS1 scans: load their reader now, on
    the caller's worker, rather than on the first scan at the counter (scanning.py says
    why it is not loaded with the services). True when it was loaded."""
    if session.scalar(select(Lot.id).limit(1)) is None:
        return False
    from app.services.stock.scanning import load_gs1_reader

    load_gs1_reader()
    return True
