"""The inventory ledger: every change of stock is a StockMove, and the StockLevel cache
changes with it in the same transaction.

Levels are changed by one conditional UPDATE each, whose WHERE clause carries the rule
(never below zero, never reserve more than is free). Two workstations racing for the last
unit therefore cannot both win, on SQLite or on PostgreSQL, without any read-then-write gap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, insert, select
from sqlalchemy.orm import Session

from app.core import audit, session_cache
from app.core.auth import Actor, Permission, require, require_any
from app.core.bootstrap import virtual_location_id
from app.core.errors import InvalidTransition, NotFound, OutOfStock, ValidationError
from app.core.i18n import _
from app.core.validation import check_quantity, clean_text
from app.models import (
    Location,
    LocationKind,
    MoveState,
    Product,
    StockLevel,
    StockMove,
    utcnow,
)
from app.services.stock import levels


@dataclass(frozen=True)
class MoveRef:
    """Where a move comes from in the business: an order line, a purchase line, a count."""

    type: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Allocation:
    move_id: int
    location_id: int
    quantity: int


def _location(session: Session, location_id: int) -> Location:
    location = session_cache.row(session, Location, location_id)
    if location is None:
        raise NotFound(_("Location {location_id} does not exist.").format(location_id=location_id))
    return location


def _internal(session: Session, location_id: int) -> Location:
    location = _location(session, location_id)
    if location.kind != LocationKind.INTERNAL:
        raise ValidationError(
            _("{code} is not a bin that can hold stock.").format(code=location.code), "location"
        )
    if not location.active:
        raise ValidationError(
            _("{code} is not in use any more.").format(code=location.code), "location"
        )
    return location


def _product(session: Session, product_id: int) -> Product:
    product = session_cache.row(session, Product, product_id)
    if product is None:
        raise NotFound(_("Product {product_id} does not exist.").format(product_id=product_id))
    if not product.track_stock:
        raise ValidationError(
            _("{sku} is not a stock-tracked product.").format(sku=product.sku), "product"
        )
    return product


_INSERT_MOVE = insert(StockMove.__table__).returning(StockMove.__table__.c.id)


def _change_level(
    session: Session, product: Product, location: Location, d_on_hand: int, d_reserved: int
) -> None:
    """Apply a change to one level, or raise OutOfStock without changing anything: one
    conditional UPDATE whose WHERE carries the rule."""
    if d_on_hand > 0:
        levels.ensure_row(session, product.id, location.id)
    levels.change_level(
        session,
        product.id,
        location.id,
        d_on_hand,
        d_reserved,
        f"{product.sku} '{product.name}'",
        location.code,
    )


def _move(
    session: Session,
    actor: Actor,
    product_id: int,
    quantity: int,
    from_id: int,
    to_id: int,
    state: MoveState,
    ref: MoveRef,
    reason: str = "",
) -> int:
    """Write one ledger line (Core insert: no unit-of-work flush); returns its id."""
    codes = (_location(session, from_id).code, _location(session, to_id).code)
    row = move_row(
        session, actor, product_id, quantity, (from_id, to_id), codes, state, ref, reason
    )
    move_id: int = session.execute(_INSERT_MOVE, row).scalar_one()
    return move_id


def move_row(  # noqa: PLR0913
    session: Session,
    actor: Actor,
    product_id: int,
    quantity: int,
    between: tuple[int, int],
    codes: tuple[str, str],
    state: MoveState,
    ref: MoveRef,
    reason: str = "",
) -> dict[str, object]:
    """One ledger line's columns (from, to: `between`, their `codes`), its audit line
    noted: _move inserts one, a counter sale all of its moves in one executemany."""
    audit.record(
        session,
        actor,
        "stock.move",
        f"product {product_id}",
        f"{quantity} from {codes[0]} to {codes[1]}"
        f" ({state.value}; {ref.type or 'manual'} {ref.id or ''}) {reason}".strip(),
    )
    return {
        "product_id": product_id,
        "quantity": quantity,
        "from_location_id": between[0],
        "to_location_id": between[1],
        "state": state.value,
        "origin_type": ref.type,
        "origin_id": ref.id,
        "reason": reason,
        "user_id": actor.user_id,
        "done_at": utcnow() if state is MoveState.DONE else None,
    }


def receive(
    session: Session,
    actor: Actor,
    product_id: int,
    location_id: int,
    quantity: int,
    ref: MoveRef = MoveRef("receipt"),
    reason: str = "",
) -> int:
    """Stock arrives from a supplier into a bin."""
    require(actor, Permission.STOCK_RECEIVE)
    reason = clean_text(reason, "Reason", max_length=200)
    return _into_bin(
        session, actor, product_id, location_id, quantity, LocationKind.SUPPLIER, ref, reason
    )


def receive_return(
    session: Session, actor: Actor, product_id: int, location_id: int, quantity: int, ref: MoveRef
) -> int:
    """Units a customer brought back go onto a shelf again (customer -> bin): a refund at
    the counter or a return received in the warehouse."""
    require_any(actor, Permission.SALE_COMPLETE, Permission.STOCK_RECEIVE)
    return _into_bin(session, actor, product_id, location_id, quantity, LocationKind.CUSTOMER, ref)


def adjust(
    session: Session, actor: Actor, product_id: int, location_id: int, delta: int, reason: str
) -> int:
    """Correct a bin's count (found, lost, damaged); the reason is required and kept."""
    require(actor, Permission.STOCK_ADJUST)
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise ValidationError(
            _("An adjustment is a whole number of units other than zero."), "delta"
        )
    check_quantity(abs(delta), "Adjustment")
    reason = clean_text(reason, "Reason", max_length=200, required=True)
    product, location = _product(session, product_id), _internal(session, location_id)
    loss = virtual_location_id(session, LocationKind.LOSS)
    _change_level(session, product, location, delta, 0)
    src, dst = (loss, location.id) if delta > 0 else (location.id, loss)
    ref = MoveRef("adjustment")
    return _move(session, actor, product.id, abs(delta), src, dst, MoveState.DONE, ref, reason)


def write_off(
    session: Session, actor: Actor, product_id: int, location_id: int, quantity: int, reason: str
) -> int:
    """Units that turned out not to be there (a short pick): bin -> loss. Part of picking,
    so it needs the picker's transfer right, not the manager's adjust right."""
    require(actor, Permission.STOCK_TRANSFER)
    quantity = check_quantity(quantity)
    product, location = _product(session, product_id), _internal(session, location_id)
    loss = virtual_location_id(session, LocationKind.LOSS)
    _change_level(session, product, location, -quantity, 0)
    reason = clean_text(reason, "Reason", max_length=200, required=True)
    ref = MoveRef("write_off")
    return _move(
        session, actor, product.id, quantity, location.id, loss, MoveState.DONE, ref, reason
    )


def record_virtual_move(
    session: Session,
    actor: Actor,
    product_id: int,
    quantity: int,
    from_kind: LocationKind,
    to_kind: LocationKind,
    ref: MoveRef,
) -> int:
    """A move between two virtual locations (customer -> returns, returns -> loss): in the
    ledger, outside any bin's count."""
    require(actor, Permission.STOCK_RECEIVE)
    quantity = check_quantity(quantity)
    product = _product(session, product_id)
    src, dst = virtual_location_id(session, from_kind), virtual_location_id(session, to_kind)
    return _move(session, actor, product.id, quantity, src, dst, MoveState.DONE, ref)


def restock_return(
    session: Session, actor: Actor, product_id: int, location_id: int, quantity: int, ref: MoveRef
) -> int:
    """Inspected returned units go back on a shelf (returns area -> bin)."""
    require(actor, Permission.STOCK_RECEIVE)
    return _into_bin(session, actor, product_id, location_id, quantity, LocationKind.RETURNS, ref)


def _into_bin(
    session: Session,
    actor: Actor,
    product_id: int,
    location_id: int,
    quantity: int,
    source: LocationKind,
    ref: MoveRef,
    reason: str = "",
) -> int:
    """Units arrive on a shelf from outside the warehouse (supplier, customer, returns
    area): the bin's level goes up and the ledger says from where. Callers check rights."""
    quantity = check_quantity(quantity)
    product, location = _product(session, product_id), _internal(session, location_id)
    origin = virtual_location_id(session, source)
    _change_level(session, product, location, quantity, 0)
    return _move(
        session, actor, product.id, quantity, origin, location.id, MoveState.DONE, ref, reason
    )


def location_code(session: Session, location_id: int) -> str:
    return _location(session, location_id).code


def transfer(
    session: Session,
    actor: Actor,
    product_id: int,
    from_location_id: int,
    to_location_id: int,
    quantity: int,
    reason: str = "",
) -> int:
    require(actor, Permission.STOCK_TRANSFER)
    quantity = check_quantity(quantity)
    if from_location_id == to_location_id:
        raise ValidationError(_("A transfer needs two different locations."), "location")
    product = _product(session, product_id)
    src, dst = _internal(session, from_location_id), _internal(session, to_location_id)
    # Lock order: the lower location id first, so two opposite transfers cannot deadlock.
    for loc, delta in sorted(((src, -quantity), (dst, quantity)), key=lambda p: p[0].id):
        _change_level(session, product, loc, delta, 0)
    reason = clean_text(reason, "Reason", max_length=200)
    ref = MoveRef("transfer")
    return _move(session, actor, product.id, quantity, src.id, dst.id, MoveState.DONE, ref, reason)


def _to_customer(
    session: Session,
    actor: Actor,
    product_id: int,
    location_id: int,
    quantity: int,
    ref: MoveRef,
    state: MoveState,
) -> int:
    require(actor, Permission.STOCK_RESERVE)
    quantity = check_quantity(quantity)
    product, location = _product(session, product_id), _internal(session, location_id)
    customer = virtual_location_id(session, LocationKind.CUSTOMER)
    if state is MoveState.RESERVED:
        _change_level(session, product, location, 0, quantity)
    else:
        _change_level(session, product, location, -quantity, 0)
    return _move(session, actor, product.id, quantity, location.id, customer, state, ref)


def reserve(
    session: Session, actor: Actor, product_id: int, location_id: int, quantity: int, ref: MoveRef
) -> int:
    """Hold units in a bin for an order: they stay on hand but are no longer free."""
    return _to_customer(session, actor, product_id, location_id, quantity, ref, MoveState.RESERVED)


_FREE_BINS = (
    select(Location.id, StockLevel.on_hand - StockLevel.reserved)
    .join(StockLevel, and_(StockLevel.location_id == Location.id))
    .where(
        StockLevel.product_id == bindparam("product_id"),
        Location.warehouse_id == bindparam("warehouse_id"),
        Location.kind == LocationKind.INTERNAL,
        Location.active.is_(True),
        StockLevel.on_hand > StockLevel.reserved,
    )
    .order_by(Location.pick_sequence, Location.id)
)


def _allocate(
    session: Session,
    product: Product,
    warehouse_id: int,
    quantity: int,
    exclude: frozenset[int] = frozenset(),
) -> list[tuple[int, int]]:
    """(bin, units) to take `quantity` from a warehouse, in pick sequence, or OutOfStock;
    never from the bins in `exclude` (one just found short)."""
    free_rows = [
        (location_id, free)
        for location_id, free in session.execute(
            _FREE_BINS, {"product_id": product.id, "warehouse_id": warehouse_id}
        )
        if location_id not in exclude
    ]
    return spread_over(free_rows, quantity, f"{product.sku} '{product.name}'")


def spread_over(
    free_rows: list[tuple[int, int]], quantity: int, product_words: str
) -> list[tuple[int, int]]:
    """(bin, units) taking `quantity` from (bin, free) rows in their order, or OutOfStock."""
    total = sum(free for _, free in free_rows)
    if total < quantity:
        raise OutOfStock(
            _("Only {total} of {product} free in this warehouse; {quantity} needed.").format(
                total=total, product=product_words, quantity=quantity
            )
        )
    plan: list[tuple[int, int]] = []
    remaining = quantity
    for location_id, free in free_rows:
        take = min(free, remaining)
        plan.append((location_id, take))
        remaining -= take
        if remaining == 0:
            break
    return plan


def issue_plan(
    session: Session, product_id: int, warehouse_id: int, quantity: int
) -> list[tuple[int, int]]:
    """(bin, units) a sale of `quantity` would take, in pick sequence, or OutOfStock."""
    return _allocate(session, _product(session, product_id), warehouse_id, quantity)


def _spread(
    session: Session,
    actor: Actor,
    product_id: int,
    warehouse_id: int,
    quantity: int,
    ref: MoveRef,
    take: Callable[[Session, Actor, int, int, int, MoveRef], int],
    exclude: frozenset[int] = frozenset(),
) -> list[Allocation]:
    require(actor, Permission.STOCK_RESERVE)
    quantity = check_quantity(quantity)
    plan = _allocate(session, _product(session, product_id), warehouse_id, quantity, exclude)
    return [
        Allocation(take(session, actor, product_id, location_id, units, ref), location_id, units)
        for location_id, units in plan
    ]


def reserve_in_warehouse(
    session: Session,
    actor: Actor,
    product_id: int,
    warehouse_id: int,
    quantity: int,
    ref: MoveRef,
    exclude: frozenset[int] = frozenset(),
) -> list[Allocation]:
    """Reserve across a warehouse's bins in pick sequence, splitting where a bin runs short
    (never in the bins of `exclude`)."""
    return _spread(session, actor, product_id, warehouse_id, quantity, ref, reserve, exclude)


def issue_in_warehouse(
    session: Session, actor: Actor, product_id: int, warehouse_id: int, quantity: int, ref: MoveRef
) -> list[Allocation]:
    """Free units leave a warehouse (a counter sale), bin by bin in pick sequence."""
    require_any(actor, Permission.SALE_COMPLETE, Permission.STOCK_ADJUST)
    return _spread(session, actor, product_id, warehouse_id, quantity, ref, issue)


def _reserved_move(session: Session, move_id: int) -> StockMove:
    move = session.get(StockMove, move_id, with_for_update=True)
    if move is None:
        raise NotFound(_("Stock move {move_id} does not exist.").format(move_id=move_id))
    if move.state != MoveState.RESERVED:
        raise InvalidTransition(
            _("Stock move {move_id} is {state}, not reserved.").format(
                move_id=move_id, state=move.state
            )
        )
    return move


def release(session: Session, actor: Actor, move_id: int) -> None:
    """Give reserved units back to free stock (an order was cancelled or changed)."""
    require(actor, Permission.STOCK_RESERVE)
    move = _reserved_move(session, move_id)
    product, location = (
        _product(session, move.product_id),
        _location(session, move.from_location_id),
    )
    _change_level(session, product, location, 0, -move.quantity)
    move.state = MoveState.CANCELLED.value
    session.flush()


def consume(session: Session, actor: Actor, move_id: int) -> None:
    """Reserved units leave the bin for real (shipped, or handed over): reserving is not
    enough to take stock out of the building."""
    require(actor, Permission.STOCK_TRANSFER)
    move = _reserved_move(session, move_id)
    product, location = (
        _product(session, move.product_id),
        _location(session, move.from_location_id),
    )
    _change_level(session, product, location, -move.quantity, -move.quantity)
    move.state = MoveState.DONE.value
    move.done_at = utcnow()
    session.flush()


def issue(
    session: Session, actor: Actor, product_id: int, location_id: int, quantity: int, ref: MoveRef
) -> int:
    """Free units leave a bin straight to the customer (a counter sale)."""
    require_any(actor, Permission.SALE_COMPLETE, Permission.STOCK_ADJUST)
    return _to_customer(session, actor, product_id, location_id, quantity, ref, MoveState.DONE)


def free_in_warehouse(session: Session, product_id: int, warehouse_id: int) -> int:
    value = session.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand - StockLevel.reserved), 0))
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            StockLevel.product_id == product_id,
            Location.warehouse_id == warehouse_id,
            Location.kind == LocationKind.INTERNAL,
            Location.active.is_(True),
        )
    )
    return int(value or 0)


def reserved_moves_for(session: Session, ref_type: str, ref_ids: list[int]) -> list[StockMove]:
    if not ref_ids:
        return []
    return list(
        session.scalars(
            select(StockMove)
            .where(
                StockMove.origin_type == ref_type,
                StockMove.origin_id.in_(ref_ids),
                StockMove.state == MoveState.RESERVED,
            )
            .order_by(StockMove.id)
        )
    )
