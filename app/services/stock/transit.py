"""Warehouse to warehouse through the in-transit location: units leave a bin of one
warehouse for V-TRANSIT under a numbered transfer (TR-000001) and stay in the ledger,
outside every bin, until they are received into a bin of the other warehouse by scan.

Each scan receives what its code stands for (a case code its pack) and never more than is
still on the way: the line's `received` goes up by one conditional UPDATE, so two
workstations receiving one transfer cannot over-receive it. The transfer is received when
every line is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.bootstrap import virtual_location_id
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.numbering import TRANSIT_SERIES, next_number
from app.core.validation import check_quantity, clean_text
from app.models import (
    LocationKind,
    MoveState,
    Product,
    TransitLine,
    TransitState,
    TransitTransfer,
    Warehouse,
    utcnow,
)
from app.services.stock import adjustments, inventory
from app.services.stock.catalogue import find_by_code

# The ledger's own steps (one conditional level update, one move line); inventory.py
# keeps them private and is at its size limit, so this module borrows them.
from app.services.stock.inventory import _change_level, _internal, _into_bin, _move, _product
from app.services.stock.overview import product_by_sku

CHANGE_KIND = "transit"


@dataclass(frozen=True)
class Received:
    number: str
    sku: str
    added: int
    remaining: int  # units of the whole transfer still on the way
    state: str


def _find(session: Session, number: str, lock: bool = False) -> TransitTransfer:
    wanted = clean_text(number, "Transfer", max_length=20, required=True).upper()
    stmt = select(TransitTransfer).where(TransitTransfer.number == wanted)
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise NotFound(_("There is no transfer {wanted}.").format(wanted=wanted))
    return found


def ship(
    session: Session,
    actor: Actor,
    from_bin: str,
    to_warehouse: str,
    lines: list[tuple[str, int]],
) -> str:
    """Send (SKU, units) from a bin to another warehouse; returns the transfer's number.
    The units leave the bin at once and wait in V-TRANSIT."""
    require(actor, Permission.STOCK_TRANSFER)
    source = adjustments.bin_by_code(session, from_bin)
    code = clean_text(to_warehouse, "Warehouse", max_length=20, required=True).upper()
    target = session.scalar(select(Warehouse).where(func.upper(Warehouse.code) == code))
    if target is None or not target.active:
        raise NotFound(_("There is no warehouse {code!r} in use.").format(code=code))
    if target.id == source.warehouse_id:
        raise ValidationError(
            _("{code} is in {code2} already: move it bin to bin instead.").format(
                code=source.code, code2=code
            ),
            "to",
        )
    if not lines:
        raise ValidationError(_("Say what to send: at least one SKU and quantity."), "lines")
    assert source.warehouse_id is not None  # bin_by_code: a bin that holds stock
    transfer = TransitTransfer(
        number=next_number(session, TRANSIT_SERIES),
        from_warehouse_id=source.warehouse_id,
        to_warehouse_id=target.id,
        state=TransitState.IN_TRANSIT.value,
        created_by=actor.user_id,
    )
    session.add(transfer)
    session.flush()
    transit = virtual_location_id(session, LocationKind.TRANSIT)
    ref = inventory.MoveRef("transit", transfer.id)
    wanted: dict[int, int] = {}  # one line per product, a SKU given twice adds up
    for sku, quantity in lines:
        product_id = product_by_sku(session, sku).id
        wanted[product_id] = wanted.get(product_id, 0) + check_quantity(quantity)
    for product_id, units in wanted.items():
        product = _product(session, product_id)
        check_quantity(units)
        _change_level(session, product, _internal(session, source.id), -units, 0)
        _move(session, actor, product.id, units, source.id, transit, MoveState.DONE, ref)
        session.add(TransitLine(transfer_id=transfer.id, product_id=product.id, quantity=units))
    session.flush()
    audit.record(session, actor, "transit.ship", transfer.number, f"{source.code} -> {code}")
    changes.note(session, kind=CHANGE_KIND)
    return transfer.number


def receive_scan(
    session: Session, actor: Actor, number: str, bin_code: str, code: str, quantity: int = 1
) -> Received:
    """One scan at the receiving warehouse: the scanned product's units go from transit
    into the bin; more than is still on the way is refused in words."""
    require(actor, Permission.STOCK_RECEIVE)
    transfer = _find(session, number)
    hit = find_by_code(session, code)
    if hit is None:
        raise NotFound(
            _("No product has the code {value!r}.").format(
                value=clean_text(code, "Code", max_length=64)
            )
        )
    units = check_quantity(quantity) * hit.pack_qty
    return _receive(session, actor, transfer, bin_code, hit.product_id, units)


def _receive(
    session: Session,
    actor: Actor,
    transfer: TransitTransfer,
    bin_code: str,
    product_id: int,
    units: int,
) -> Received:
    if transfer.state != TransitState.IN_TRANSIT:
        raise InvalidTransition(
            _("{number} has been received already.").format(number=transfer.number)
        )
    target = adjustments.bin_by_code(session, bin_code)
    if target.warehouse_id != transfer.to_warehouse_id:
        raise ValidationError(
            _("{code} is not in the warehouse {number} is going to.").format(
                code=target.code, number=transfer.number
            ),
            "bin",
        )
    sku = session.get_one(Product, product_id).sku
    taken = session.execute(
        update(TransitLine)
        .where(
            TransitLine.transfer_id == transfer.id,
            TransitLine.product_id == product_id,
            TransitLine.received + units <= TransitLine.quantity,
        )
        .values(received=TransitLine.received + units)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        left = session.scalar(
            select(func.sum(TransitLine.quantity - TransitLine.received)).where(
                TransitLine.transfer_id == transfer.id, TransitLine.product_id == product_id
            )
        )
        raise ValidationError(
            _("Only {value} of {sku} are still on the way in {number}; {units} scanned.").format(
                value=int(left or 0), sku=sku, number=transfer.number, units=units
            ),
            "code",
        )
    ref = inventory.MoveRef("transit", transfer.id)
    _into_bin(session, actor, product_id, target.id, units, LocationKind.TRANSIT, ref)
    remaining = int(
        session.scalar(
            select(func.sum(TransitLine.quantity - TransitLine.received)).where(
                TransitLine.transfer_id == transfer.id
            )
        )
        or 0
    )
    if remaining == 0:
        transfer.state = TransitState.RECEIVED.value
        transfer.received_at = utcnow()
    audit.record(session, actor, "transit.receive", transfer.number, f"{sku} {units} {target.code}")
    changes.note(session, kind=CHANGE_KIND)
    return Received(transfer.number, sku, units, remaining, transfer.state)


def receive_all(session: Session, actor: Actor, number: str, bin_code: str) -> int:
    """Everything still on the way into one bin (`kestrel transit receive`); the units."""
    require(actor, Permission.STOCK_RECEIVE)
    transfer = _find(session, number, lock=True)
    lines = list(
        session.scalars(
            select(TransitLine)
            .where(TransitLine.transfer_id == transfer.id)
            .order_by(TransitLine.id)
        )
    )
    total = 0
    for line in lines:
        left = line.quantity - line.received
        if left:
            _receive(session, actor, transfer, bin_code, line.product_id, left)
            total += left
    if not total:
        raise InvalidTransition(
            _("{number} has been received already.").format(number=transfer.number)
        )
    return total


def show(session: Session, actor: Actor, number: str) -> dict[str, Any]:
    """{"number", "state", "from", "to", "lines": [{"sku", "quantity", "received"}]}."""
    require(actor, Permission.CATALOGUE_VIEW)
    transfer = _find(session, number)
    codes = {w.id: w.code for w in session.scalars(select(Warehouse))}
    rows = session.execute(
        select(Product.sku, TransitLine.quantity, TransitLine.received)
        .join(Product, Product.id == TransitLine.product_id)
        .where(TransitLine.transfer_id == transfer.id)
        .order_by(TransitLine.id)
    ).all()
    return {
        "number": transfer.number,
        "state": transfer.state,
        "from": codes[transfer.from_warehouse_id],
        "to": codes[transfer.to_warehouse_id],
        "lines": [{"sku": s, "quantity": q, "received": r} for s, q, r in rows],
    }


def move_between_bins(
    session: Session, actor: Actor, sku: str, from_bin: str, to_bin: str, quantity: int
) -> str:
    """Bin to bin: at once within a warehouse; to a bin of another warehouse, shipped
    through transit (received there by scan). Returns what happened, in words."""
    require(actor, Permission.STOCK_TRANSFER)
    source, target = (
        adjustments.bin_by_code(session, from_bin),
        adjustments.bin_by_code(session, to_bin),
    )
    if source.warehouse_id == target.warehouse_id:
        adjustments.transfer_by_code(session, actor, sku, source.code, target.code, quantity)
        return f"Moved {quantity} x {sku} from {source.code} to {target.code}."
    warehouse = session.get_one(Warehouse, target.warehouse_id)
    number = ship(session, actor, source.code, warehouse.code, [(sku, quantity)])
    return (
        f"Sent {quantity} x {sku} from {source.code} to {warehouse.code} as {number}: "
        f"receive it into {target.code} there by scan."
    )


@dataclass(frozen=True)
class DeskScan:
    bin: str  # the bin receiving after this scan
    received: Received | None  # None: the scan chose the bin


def receive_desk(
    session: Session, actor: Actor, number: str, current_bin: str, code: str
) -> DeskScan:
    """One scan at the receiving bench: a bin's label chooses where the units go; any
    other code receives one of its product (a case code its pack) into that bin."""
    require(actor, Permission.STOCK_RECEIVE)
    code = clean_text(code, "Code", max_length=64, required=True)
    if find_by_code(session, code) is None:
        try:
            chosen = adjustments.bin_by_code(session, code)
        except NotFound:
            chosen = None
        if chosen is not None:
            transfer = _find(session, number)
            if chosen.warehouse_id != transfer.to_warehouse_id:
                raise ValidationError(
                    _("{code} is not in the warehouse {number} is going to.").format(
                        code=chosen.code, number=transfer.number
                    ),
                    "bin",
                )
            return DeskScan(chosen.code, None)
    if not current_bin:
        raise ValidationError(_("Scan the label of the bin the units go into first."), "bin")
    return DeskScan(current_bin, receive_scan(session, actor, number, current_bin, code))
