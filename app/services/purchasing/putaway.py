"""Put-away: received units leave the warehouse's receiving location for a bin.

The suggested bin is the product's usual one: the bin of that warehouse holding most of
it (receiving left out), else the warehouse's first bin in pick sequence. A lot-tracked
product moves lot by lot (lots.transfer_lot), first to expire first, unless the clerk
names the lot.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, OutOfStock, ValidationError
from app.core.i18n import _
from app.core.validation import check_quantity, clean_text
from app.models import Location, LocationKind, Lot, Product, StockLevel, Warehouse
from app.services.purchasing.receiving import find_receiving
from app.services.stock import inventory, lots
from app.services.stock.adjustments import bin_by_code
from app.services.stock.overview import product_by_sku


@dataclass(frozen=True)
class Waiting:
    """Units in a receiving location waiting for a shelf, and where they should go."""

    product_id: int
    sku: str
    name: str
    quantity: int
    suggested_bin: str


@dataclass(frozen=True)
class PutAway:
    sku: str
    quantity: int
    source: str
    target: str
    lots: tuple[tuple[str, int], ...]  # (lot code, units) moved


def _warehouse(session: Session, code: str) -> Warehouse:
    wanted = clean_text(code, "Warehouse", max_length=20, required=True).strip().upper()
    warehouse = session.scalar(select(Warehouse).where(func.upper(Warehouse.code) == wanted))
    if warehouse is None:
        raise NotFound(_("There is no warehouse {code!r}.").format(code=code))
    return warehouse


def suggest_bin(session: Session, product_id: int, warehouse_id: int) -> Location:
    """The product's usual bin in the warehouse (most on hand, receiving left out), else
    the warehouse's first bin in pick sequence."""
    receiving = find_receiving(session, warehouse_id)
    bins = (
        Location.warehouse_id == warehouse_id,
        Location.kind == LocationKind.INTERNAL,
        Location.active.is_(True),
        Location.id != (receiving.id if receiving is not None else -1),
    )
    usual = session.scalar(
        select(Location)
        .join(StockLevel, StockLevel.location_id == Location.id)
        .where(*bins, StockLevel.product_id == product_id, StockLevel.on_hand > 0)
        .order_by(StockLevel.on_hand.desc(), Location.pick_sequence, Location.id)
        .limit(1)
    )
    if usual is not None:
        return usual
    first = session.scalar(
        select(Location).where(*bins).order_by(Location.pick_sequence, Location.id).limit(1)
    )
    if first is None:
        raise NotFound(_("This warehouse has no bin to put stock away to: add one first."))
    return first


def waiting(session: Session, actor: Actor, warehouse_code: str) -> list[Waiting]:
    """What sits in the warehouse's receiving location, by SKU, with a bin for each."""
    require(actor, Permission.STOCK_RECEIVE)
    warehouse = _warehouse(session, warehouse_code)
    receiving = find_receiving(session, warehouse.id)
    if receiving is None:
        return []
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, StockLevel.on_hand - StockLevel.reserved)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(
            StockLevel.location_id == receiving.id,
            StockLevel.on_hand > StockLevel.reserved,
        )
        .order_by(Product.sku)
        .limit(1000)
    ).all()
    return [
        Waiting(pid, sku, name, qty, suggest_bin(session, pid, warehouse.id).code)
        for pid, sku, name, qty in rows
    ]


def _lot_plan(
    session: Session, product: Product, source: int, quantity: int, lot_code: str
) -> list[tuple[lots.LotInBin, int]]:
    held = lots.lots_in_bin(session, product.id, source)
    if lot_code:
        held = [lot for lot in held if lot.code == lot_code]
        if not held:
            raise NotFound(
                _("Lot {lot_code} of {sku} is not waiting in receiving.").format(
                    lot_code=lot_code, sku=product.sku
                )
            )
    plan, left = [], quantity
    for lot in held:
        take = min(lot.on_hand, left)
        plan.append((lot, take))
        left -= take
        if not left:
            return plan
    have = quantity - left
    raise OutOfStock(
        _("Only {have} of {sku}{lot_code} waiting in receiving; {quantity} to put away.").format(
            have=have,
            sku=product.sku,
            lot_code=" lot " + lot_code if lot_code else "",
            quantity=quantity,
        )
    )


def put_away(
    session: Session,
    actor: Actor,
    warehouse_code: str,
    sku: str,
    quantity: int,
    bin_code: str = "",
    lot_code: str = "",
) -> PutAway:
    """Move `quantity` of a product from the warehouse's receiving location to a bin (the
    suggested one when no bin is given)."""
    require(actor, Permission.STOCK_RECEIVE)
    quantity = check_quantity(quantity, "Quantity to put away")
    lot_code = clean_text(lot_code, "Lot", max_length=40).strip()
    warehouse = _warehouse(session, warehouse_code)
    product = product_by_sku(session, sku)
    source = find_receiving(session, warehouse.id)
    if source is None:
        raise NotFound(
            _("Nothing was received in {code} yet: nothing to put away.").format(
                code=warehouse.code
            )
        )
    if clean_text(bin_code, "Bin", max_length=40).strip():
        target = bin_by_code(session, bin_code)
    else:
        target = suggest_bin(session, product.id, warehouse.id)
    if target.id == source.id:
        raise ValidationError(
            _("Put-away takes goods out of receiving: choose a shelf bin."), "bin"
        )
    if target.warehouse_id != warehouse.id:
        raise ValidationError(
            _("{code} is not in warehouse {code2}.").format(code=target.code, code2=warehouse.code),
            "bin",
        )
    moved: list[tuple[str, int]] = []
    if product.tracking == lots.NONE:
        if lot_code:
            raise ValidationError(
                _("{sku} does not track lots or serials.").format(sku=product.sku), "lot"
            )
        inventory.transfer(session, actor, product.id, source.id, target.id, quantity, "put-away")
    else:
        for held, take in _lot_plan(session, product, source.id, quantity, lot_code):
            lot = session.get_one(Lot, held.lot_id)
            lots.transfer_lot(session, actor, lot, source.id, target.id, take, "put-away")
            moved.append((held.code, take))
    audit.record(
        session, actor, "stock.putaway", product.sku, f"{quantity} {source.code} -> {target.code}"
    )
    changes.note(session, products=[product.id], kind="purchasing")
    return PutAway(product.sku, quantity, source.code, target.code, tuple(moved))
