"""Goods arrive against a purchase order: into the warehouse's receiving location (or
straight into a bin), in their lot or serial, with the average cost moved and the PO's
lines and status following.

Only a sent or partly received PO is received: a draft has not gone to the supplier yet
(send it first), a cancelled or fully received one is closed. More than ordered is taken
(the supplier sent it, it is on the shelf) and recorded as an over-receipt in the audit.
Each receipt move carries MoveRef("purchase_line", line id), so a lot leads back to its
PO and supplier.

Average cost: `costing.moving_average_cost(cost, on hand, line cost, units)` with on hand
the product's units in every internal location just before the receipt. The line's cost
is taken in the PO's currency as it stands (Kestrel keeps one currency per shop).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import check_quantity, clean_text
from app.models import (
    Location,
    LocationKind,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseStatus,
    StockLevel,
    Warehouse,
)
from app.services.printing.labels import MAX_COPIES, print_product_labels
from app.services.purchasing import order_status
from app.services.purchasing.costing import moving_average_cost
from app.services.purchasing.orders import locked, words
from app.services.stock import lots
from app.services.stock.adjustments import bin_by_code
from app.services.stock.inventory import MoveRef
from app.services.stock.overview import product_by_sku

RECEIVABLE = (PurchaseStatus.SENT, PurchaseStatus.PARTLY_RECEIVED)
RECEIVING_SUFFIX = "-RECEIVING"
# Received goods are picked from last: they belong on a shelf first.
RECEIVING_PICK_SEQUENCE = 1_000_000_000
ORIGIN = "purchase_line"


@dataclass(frozen=True)
class ReceiptInput:
    """One line of a receipt: what arrived, how many, in which lot (or serial)."""

    sku: str
    quantity: int
    lot: str = ""
    expires_on: date | None = None


@dataclass(frozen=True)
class Received:
    number: str
    status: str
    product_id: int
    sku: str
    name: str
    added: int
    received: int  # on this line, after this receipt
    ordered: int
    over_receipt: bool
    lot: str
    location: str
    cost: int  # the product's average cost afterwards


def find_receiving(session: Session, warehouse_id: int) -> Location | None:
    """The warehouse's receiving area if a receipt made it already (a read makes none)."""
    code = session.scalar(select(Warehouse.code).where(Warehouse.id == warehouse_id))
    if code is None:
        raise NotFound(
            _("Warehouse {warehouse_id} does not exist.").format(warehouse_id=warehouse_id)
        )
    return session.scalar(select(Location).where(Location.code == f"{code}{RECEIVING_SUFFIX}"))


def receiving_location(session: Session, warehouse_id: int) -> Location:
    """The warehouse's receiving area, made on first use under its root location."""
    location = find_receiving(session, warehouse_id)
    if location is not None:
        return location
    warehouse = session.get_one(Warehouse, warehouse_id)
    code = f"{warehouse.code}{RECEIVING_SUFFIX}"
    root = session.scalar(
        select(Location.id)
        .where(
            Location.warehouse_id == warehouse_id,
            Location.kind == LocationKind.VIEW,
            Location.parent_id.is_(None),
        )
        .order_by(Location.id)
        .limit(1)
    )
    location = Location(
        code=code,
        name=f"Receiving {warehouse.code}",
        kind=LocationKind.INTERNAL.value,
        warehouse_id=warehouse_id,
        parent_id=root,
        pick_sequence=RECEIVING_PICK_SEQUENCE,
    )
    session.add(location)
    session.flush()
    return location


def on_hand_everywhere(session: Session, product_id: int) -> int:
    value = session.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand), 0))
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.product_id == product_id, Location.kind == LocationKind.INTERNAL)
    )
    return int(value or 0)


def receivable(session: Session, ref: int | str) -> PurchaseOrder:
    """The PO locked for a receipt, or InvalidTransition in words."""
    order = locked(session, ref)
    if order.status == PurchaseStatus.DRAFT:
        raise InvalidTransition(
            _("{number} is still a draft: send it to the supplier before receiving on it.").format(
                number=order.number
            )
        )
    if order.status not in RECEIVABLE:
        raise InvalidTransition(
            _("{number} is {value}: nothing more is received on it.").format(
                number=order.number, value=words(order.status)
            )
        )
    return order


def line_for(session: Session, order: PurchaseOrder, product: Product) -> PurchaseOrderLine:
    """The PO's line for the product (the first with units outstanding, if it has two)."""
    lines = list(
        session.scalars(
            select(PurchaseOrderLine)
            .where(
                PurchaseOrderLine.product_id == product.id,
                PurchaseOrderLine.order_id == order.id,
            )
            .order_by(PurchaseOrderLine.id)
        )
    )
    if not lines:
        raise ValidationError(
            _("{sku} '{name}' is not on {number}: set it aside and tell the buyer.").format(
                sku=product.sku, name=product.name, number=order.number
            ),
            "sku",
        )
    return next((ln for ln in lines if ln.received < ln.ordered), lines[-1])


def receive_into(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    product: Product,
    quantity: int,
    lot_code: str = "",
    expires_on: date | None = None,
    location: Location | None = None,
) -> Received:
    """Book `quantity` of a product on a PO already locked by `receivable`: the move (in
    its lot), the line, the average cost, the status, the audit. For this module and the
    scan service."""
    require(actor, Permission.STOCK_RECEIVE)
    quantity = check_quantity(quantity, "Quantity received")
    line = line_for(session, order, product)
    where = location or receiving_location(session, order.warehouse_id)
    before = on_hand_everywhere(session, product.id)
    _move, lot = lots.receive_lot(
        session, actor, product, where.id, quantity, lot_code, expires_on, MoveRef(ORIGIN, line.id)
    )
    table = PurchaseOrderLine.__table__
    received = session.execute(
        update(table)
        .where(table.c.id == line.id)
        .values(received=table.c.received + quantity)
        .returning(table.c.received)
    ).scalar_one()
    session.refresh(line)
    old_cost = product.cost
    product.cost = moving_average_cost(old_cost, before, line.unit_cost, quantity)
    status = order_status.settle(session, order)
    over = received > line.ordered
    detail = f"{quantity} x {product.sku} into {where.code}" + (f", lot {lot.code}" if lot else "")
    if over:
        detail += f"; over-receipt: {received} received of {line.ordered} ordered"
    if product.cost != old_cost:
        detail += f"; average cost {old_cost} -> {product.cost}"
    audit.record(session, actor, "purchase.receive", order.number, detail)
    changes.note(session, products=[product.id], kind="purchasing")
    return Received(
        order.number,
        status,
        product.id,
        product.sku,
        product.name,
        quantity,
        received,
        line.ordered,
        over,
        lot.code if lot else "",
        where.code,
        product.cost,
    )


def receive(
    session: Session,
    actor: Actor,
    ref: int | str,
    lines: Sequence[ReceiptInput],
    bin_code: str = "",
    labels: bool = False,
) -> list[Received]:
    """Book a delivery (several lines) on a sent PO in one go: into the receiving location,
    or with `bin_code` straight into that bin; `labels` queues a shelf label per unit
    received on this workstation's label printer. All or nothing."""
    require(actor, Permission.STOCK_RECEIVE)
    if not lines:
        raise ValidationError(_("Say what arrived: at least one line."), "lines")
    order = receivable(session, ref)
    location = None
    if clean_text(bin_code, "Bin", max_length=40).strip():
        location = bin_by_code(session, bin_code)
        if location.warehouse_id != order.warehouse_id:
            raise ValidationError(
                _("{code} is not in the warehouse {number} is for.").format(
                    code=location.code, number=order.number
                ),
                "bin",
            )
    done: list[Received] = []
    for data in lines:
        product = product_by_sku(session, data.sku)
        lot = clean_text(data.lot, "Lot", max_length=40)
        done.append(
            receive_into(
                session, actor, order, product, data.quantity, lot, data.expires_on, location
            )
        )
    if labels:
        print_labels(session, actor, done)
    return done


def print_labels(session: Session, actor: Actor, received: Sequence[Received]) -> int:
    """One shelf label per unit received (at most a roll's worth of one product), queued
    as one job; the job's id."""
    require(actor, Permission.STOCK_RECEIVE)
    counts: dict[int, int] = {}
    for item in received:
        counts[item.product_id] = counts.get(item.product_id, 0) + item.added
    wanted = [(pid, min(n, MAX_COPIES)) for pid, n in counts.items()]
    return print_product_labels(session, actor, actor.workstation, wanted)
