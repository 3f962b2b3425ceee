"""Picking: waves of confirmed orders, walked bin by bin, verified by scanning.

A pick line is one reservation (order line x bin). Scans count it up with one
conditional UPDATE (never past the quantity). When a line is complete — or the picker
says the bin is short — the ledger moves: the bin's reservation is released, the picked
units move bin -> the warehouse's packing location, and are reserved there for the order.
A shortage is written off the bin (the count was wrong) and either looked for in other
bins (split) or left on the order as a backorder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.errors import (
    InvalidTransition,
    NotFound,
    OutOfStock,
    ValidationError,
)
from app.core.i18n import _
from app.core.sentence import said
from app.core.validation import clean_text
from app.models import (
    Location,
    OrderStatus,
    PickLine,
    PickList,
    Product,
    SalesOrder,
    StockMove,
    utcnow,
)
from app.services.fulfilment import pick_lots
from app.services.fulfilment.waves import packing_location_id
from app.services.sales import orders
from app.services.stock import catalogue, inventory

S = OrderStatus


@dataclass(frozen=True)
class PickLineRow:
    id: int
    sequence: int
    order_id: int
    order_number: str
    order_line_id: int
    product_id: int
    sku: str
    name: str
    location_id: int
    bin_code: str
    quantity: int
    picked: int
    short: int
    status: str

    @property
    def open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class PickedResult:
    line: PickLineRow
    units: int
    finished_line: bool
    finished_list: bool
    lot: str = ""  # the lot or serial the scan took ("" for a product that tracks none)


def _rows_query() -> Select[*tuple[Any, ...]]:
    return (
        select(
            PickLine.id,
            PickLine.sequence,
            PickLine.order_id,
            SalesOrder.number,
            PickLine.order_line_id,
            PickLine.product_id,
            Product.sku,
            Product.name,
            PickLine.location_id,
            Location.code,
            PickLine.quantity,
            PickLine.picked,
            PickLine.short,
            PickLine.status,
        )
        .join(SalesOrder, SalesOrder.id == PickLine.order_id)
        .join(Product, Product.id == PickLine.product_id)
        .join(Location, Location.id == PickLine.location_id)
    )


def lines(session: Session, pick_list_id: int) -> list[PickLineRow]:
    """The walk: every line of the list in sequence."""
    rows = session.execute(
        _rows_query().where(PickLine.pick_list_id == pick_list_id).order_by(PickLine.sequence)
    ).all()
    return [PickLineRow(*r) for r in rows]


def line(session: Session, line_id: int) -> PickLineRow:
    row = session.execute(_rows_query().where(PickLine.id == line_id)).first()
    if row is None:
        raise NotFound(_("Pick line {line_id} does not exist.").format(line_id=line_id))
    return PickLineRow(*row)


def list_number(session: Session, pick_list_id: int) -> str:
    number = session.scalar(select(PickList.number).where(PickList.id == pick_list_id))
    if number is None:
        raise NotFound(
            _("Pick list {pick_list_id} does not exist.").format(pick_list_id=pick_list_id)
        )
    return number


def open_list_of(session: Session, order_id: int) -> int | None:
    """The pick list an order is being picked on."""
    return session.scalar(
        select(PickLine.pick_list_id)
        .where(PickLine.order_id == order_id, PickLine.status == "open")
        .limit(1)
    )


def find_list(session: Session, code: str) -> int:
    """A pick list by its number as scanned or typed (PL-000012, pl12)."""
    text = clean_text(code, "Pick list number", max_length=40).upper().replace(" ", "")
    digits = text.removeprefix("PL-").removeprefix("PL")
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(_("'{value}' is not a pick list number.").format(value=code.strip()))
    found = session.scalar(select(PickList.id).where(PickList.number == f"PL-{int(digits):06d}"))
    if found is None:
        raise NotFound(_("There is no pick list PL-{value:06d}.").format(value=int(digits)))
    return found


def is_bin(session: Session, code: str) -> bool:
    """Whether a scan is a bin label (a location code) rather than an item."""
    text = clean_text(code, "Code", max_length=64).upper()
    return (
        bool(text)
        and session.scalar(select(Location.id).where(func.upper(Location.code) == text).limit(1))
        is not None
    )


def check_bin(session: Session, row: PickLineRow, code: str) -> None:
    """The scanned bin label must be the line's bin."""
    scanned = clean_text(code, "Bin", max_length=64).upper()
    if scanned == row.bin_code.upper():
        return
    exists = session.scalar(select(Location.id).where(func.upper(Location.code) == scanned))
    if exists is None:
        raise ValidationError(
            _("There is no bin {value}: scan the label on the shelf.").format(value=code.strip())
        )
    raise ValidationError(
        _("Wrong bin: that is {scanned}; this line is in {bin_code}.").format(
            scanned=scanned, bin_code=row.bin_code
        )
    )


def pick_item(
    session: Session, actor: Actor, line_id: int, code: str, bin_code: str
) -> PickedResult:
    """A scanned item for a line, from the bin the picker scanned. Refused in words if it
    is the wrong item, the wrong bin, or more than the line needs; nothing moves then."""
    require(actor, Permission.STOCK_TRANSFER)
    row = line(session, line_id)
    if row.status == "done":
        raise ValidationError(
            _("Too many: all {quantity} of {sku} for {order_number} are picked already.").format(
                quantity=row.quantity, sku=row.sku, order_number=row.order_number
            )
        )
    if not row.open:
        raise InvalidTransition(
            _("This line of {order_number} is {status} already.").format(
                order_number=row.order_number, status=row.status
            )
        )
    check_bin(session, row, bin_code)
    hit, units = catalogue.scanned_item(session, code)
    if hit.product_id != row.product_id:
        other = session.execute(
            select(SalesOrder.number)
            .join(PickLine, PickLine.order_id == SalesOrder.id)
            .where(
                PickLine.product_id == hit.product_id,
                PickLine.status == "open",
                PickLine.pick_list_id
                == select(PickLine.pick_list_id).where(PickLine.id == line_id).scalar_subquery(),
            )
            .limit(1)
        ).scalar()
        where = f" — it belongs to {other}" if other else ""
        raise ValidationError(
            _(
                "Wrong item: that is {sku} '{name}'{where}. This line needs {sku2} '{name2}'."
            ).format(sku=hit.sku, name=hit.name, where=where, sku2=row.sku, name2=row.name)
        )
    lot_code = pick_lots.take(session, row, code, units)
    table = PickLine.__table__
    done = session.execute(
        update(table)
        .where(
            table.c.id == line_id,
            table.c.status == "open",
            table.c.picked + units <= table.c.quantity,
        )
        .values(picked=table.c.picked + units)
    ).rowcount  # type: ignore[attr-defined]
    if done != 1:
        raise ValidationError(
            _(
                "Too many: this line needs {quantity} of {sku} and {picked} are picked; "
                "that scan counts {units}."
            ).format(quantity=row.quantity, sku=row.sku, picked=row.picked, units=units)
        )
    row = line(session, line_id)
    finished_line = finished_list = False
    if row.picked == row.quantity:
        finished_list = _finish_line(session, actor, line_id)
        finished_line = True
        row = line(session, line_id)
    changes.note(session, kind="picking")
    return PickedResult(row, units, finished_line, finished_list, lot_code)


def _finish_line(session: Session, actor: Actor, line_id: int) -> bool:
    """The ledger for a finished line; True when this finished the whole list."""
    pick = session.get(PickLine, line_id, with_for_update=True)
    assert pick is not None
    wave = session.get(PickList, pick.pick_list_id)
    assert wave is not None
    _move_picked(session, actor, pick, wave)
    pick.status = "done"
    session.flush()
    return _maybe_finish_list(session, actor, wave)


def _move_picked(session: Session, actor: Actor, pick: PickLine, wave: PickList) -> None:
    """Release the bin's reservation; the picked units go to packing, reserved there."""
    if pick.move_id is not None:
        move = session.get(StockMove, pick.move_id)
        if move is not None and move.state == "reserved":
            inventory.release(session, actor, move.id)
    if pick.picked:
        pack = packing_location_id(session, wave.warehouse_id)
        assert pack is not None  # made on first use (create=True)
        ref = inventory.MoveRef(orders.LINE_REF, pick.order_line_id)
        if pick_lots.to_packing(session, actor, pick, pack, f"Picked on {wave.number}", ref):
            return
        inventory.transfer(
            session,
            actor,
            pick.product_id,
            pick.location_id,
            pack,
            pick.picked,
            f"Picked on {wave.number}",
        )
        inventory.reserve(
            session,
            actor,
            pick.product_id,
            pack,
            pick.picked,
            ref,
        )


def _maybe_finish_list(session: Session, actor: Actor, wave: PickList) -> bool:
    still_open = session.scalar(
        select(func.count())
        .select_from(PickLine)
        .where(PickLine.pick_list_id == wave.id, PickLine.status == "open")
    )
    if still_open:
        return False
    wave.status = "done"
    wave.finished_at = utcnow()
    picked_orders = session.scalars(
        select(PickLine.order_id).where(PickLine.pick_list_id == wave.id).distinct()
    ).all()
    for order_id in picked_orders:
        order = session.get(SalesOrder, order_id)
        if order is not None and order.status == S.PICKING:
            words = said("Picked on {wave}", wave=wave.number)
            orders.record_event(session, order, actor, "picked", words)
    session.flush()
    return True


def short_pick(session: Session, actor: Actor, line_id: int, resolution: str) -> PickLineRow:
    """The bin holds fewer than the line needs. What was scanned is picked; the rest is
    written off the bin and either looked for elsewhere ('split') or left on the order
    ('backorder')."""
    require(actor, Permission.STOCK_TRANSFER)
    if resolution not in ("split", "backorder"):
        raise ValidationError(_("A short pick is either split to other bins or backordered."))
    row = line(session, line_id)
    if not row.open:
        raise InvalidTransition(
            _("This line of {order_number} is {status} already.").format(
                order_number=row.order_number, status=row.status
            )
        )
    shortage = row.quantity - row.picked
    if shortage <= 0:
        raise ValidationError(_("Nothing is missing on this line."))
    pick = session.get(PickLine, line_id, with_for_update=True)
    assert pick is not None
    wave = session.get(PickList, pick.pick_list_id)
    assert wave is not None
    _move_picked(session, actor, pick, wave)
    pick.short, pick.status = shortage, "short"
    session.flush()
    written_off = _write_off(session, actor, row, shortage, wave.number)
    short = {"wave": wave.number, "count": shortage, "sku": row.sku, "bin": row.bin_code}
    text = (
        said("Short pick on {wave}: {count} of {sku} missing in {bin}", **short)
        if written_off
        else said(
            "Short pick on {wave}: {count} of {sku} missing in {bin} (the bin's count is "
            "left for a stock count)",
            **short,
        )
    )
    if resolution == "split":
        try:
            with session.begin_nested():
                allocations = inventory.reserve_in_warehouse(
                    session,
                    actor,
                    row.product_id,
                    wave.warehouse_id,
                    shortage,
                    inventory.MoveRef(orders.LINE_REF, row.order_line_id),
                    exclude=frozenset({row.location_id}),  # the bin that was just short
                )
        except OutOfStock as exc:
            raise OutOfStock(
                _("No other bin has them: {message} Backorder instead.").format(message=exc.message)
            ) from None
        _append_lines(session, wave, row, allocations)
        bins = ", ".join(inventory.location_code(session, a.location_id) for a in allocations)
        text = said("{short}; split to {bins}", short=text, bins=bins)
    else:
        text = said("{short}; backordered", short=text)
    order = session.get(SalesOrder, row.order_id)
    assert order is not None
    orders.record_event(session, order, actor, "short_pick", text)
    session.flush()
    _maybe_finish_list(session, actor, wave)
    changes.note(session, kind="picking", orders=[row.order_id])
    return line(session, line_id)


def _write_off(
    session: Session, actor: Actor, row: PickLineRow, shortage: int, number: str
) -> bool:
    """The units are not in the bin though its count says so: write them off to loss (part
    of the pick, so a picker may), or leave the count alone if they are promised elsewhere."""
    try:
        with session.begin_nested():
            pick_lots.write_off(session, actor, row, shortage, f"Short pick on {number}")
    except OutOfStock:
        return False
    return True


def _append_lines(
    session: Session, wave: PickList, row: PickLineRow, allocations: list[inventory.Allocation]
) -> None:
    last = (
        session.scalar(select(func.max(PickLine.sequence)).where(PickLine.pick_list_id == wave.id))
        or 0
    )
    for n, allocation in enumerate(allocations, start=1):
        session.add(
            PickLine(
                pick_list_id=wave.id,
                sequence=last + n,
                order_id=row.order_id,
                order_line_id=row.order_line_id,
                product_id=row.product_id,
                location_id=allocation.location_id,
                move_id=allocation.move_id,
                quantity=allocation.quantity,
            )
        )
