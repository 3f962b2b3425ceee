"""Waves: one pick list for many confirmed orders, lines in walking order, and the
warehouse's packing bench the picked units go to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from app.core import changes, numbering
from app.core.auth import Actor, Permission, require
from app.core.errors import (
    InvalidTransition,
    NotFound,
    ValidationError,
)
from app.core.i18n import _
from app.core.sentence import said
from app.models import (
    Location,
    LocationKind,
    OrderLine,
    OrderStatus,
    PickLine,
    PickList,
    SalesOrder,
    StockMove,
    Warehouse,
)
from app.services.sales import orders

S = OrderStatus

MAX_WAVE = 5000
PACK_SUFFIX = "-PACK"


@dataclass(frozen=True)
class WaveRef:
    id: int
    number: str
    orders: int
    lines: int


def packing_location_id(session: Session, warehouse_id: int, create: bool = True) -> int | None:
    """The warehouse's packing bench, where picked units wait for a box (made on first use
    unless `create` is False: readers only look). Its high pick sequence keeps it at the
    end of any walk."""
    warehouse = session.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise NotFound(
            _("Warehouse {warehouse_id} does not exist.").format(warehouse_id=warehouse_id)
        )
    code = f"{warehouse.code}{PACK_SUFFIX}"
    found = session.scalar(select(Location.id).where(Location.code == code))
    if found is None and create:
        location = Location(
            code=code,
            name=f"{warehouse.name} packing",
            kind=LocationKind.INTERNAL.value,
            warehouse_id=warehouse.id,
            pick_sequence=10**9,
        )
        session.add(location)
        session.flush()
        found = location.id
    return found


def create_wave(session: Session, actor: Actor, order_ids: list[int]) -> WaveRef:
    """One pick list for these confirmed orders, lines in walking order."""
    require(actor, Permission.STOCK_TRANSFER)
    ids = sorted(set(order_ids))
    if not ids:
        raise ValidationError(_("Choose the orders to pick."))
    if len(ids) > MAX_WAVE:
        raise ValidationError(
            _("A wave holds at most {max_wave} orders.").format(max_wave=MAX_WAVE)
        )
    warehouse_id, numbers = _wave_orders(session, ids)
    pack = packing_location_id(session, warehouse_id)
    moves = _reserved_moves(session, ids, pack, numbers)
    number = numbering.next_number(session, numbering.PICK_LIST_SERIES)
    wave = PickList(number=number, warehouse_id=warehouse_id, user_id=actor.user_id)
    session.add(wave)
    session.flush()
    if moves:
        session.execute(
            insert(PickLine.__table__),
            [
                {
                    "pick_list_id": wave.id,
                    "sequence": n,
                    "order_id": m.order_id,
                    "order_line_id": m.line_id,
                    "product_id": m.product_id,
                    "location_id": m.from_location_id,
                    "move_id": m.id,
                    "quantity": m.quantity,
                    "picked": 0,
                    "short": 0,
                    "status": "open",
                }
                for n, m in enumerate(moves, start=1)
            ],
        )
    orders.move_orders(
        session, actor, ids, S.CONFIRMED, S.PICKING, said("Picking on {wave}", wave=number)
    )
    changes.note(session, kind="picking")
    return WaveRef(wave.id, number, len(ids), len(moves))


def _wave_orders(session: Session, ids: list[int]) -> tuple[int, dict[int, str]]:
    """(warehouse, numbers by id) of orders that may be picked together: all confirmed,
    all shipping from one warehouse."""
    rows = session.execute(
        select(SalesOrder.id, SalesOrder.number, SalesOrder.status, SalesOrder.warehouse_id).where(
            SalesOrder.id.in_(ids)
        )
    ).all()
    if len(rows) != len(ids):
        raise NotFound(_("Some of these orders do not exist any more."))
    wrong = [
        f"{r.number} ({orders.status_label(r.status).lower()})"
        for r in rows
        if r.status != S.CONFIRMED
    ]
    if wrong:
        raise InvalidTransition(
            "Only confirmed orders can be picked: "
            + ", ".join(wrong[:5])
            + (f" and {len(wrong) - 5} more" if len(wrong) > 5 else "")
            + "."
        )
    warehouses = {r.warehouse_id for r in rows}
    if len(warehouses) != 1 or None in warehouses:
        raise ValidationError(
            _("These orders ship from different warehouses: make one wave per warehouse.")
        )
    warehouse_id = warehouses.pop()
    assert warehouse_id is not None
    return warehouse_id, {r.id: r.number for r in rows}


def _reserved_moves(
    session: Session, ids: list[int], pack: int | None, numbers: dict[int, str]
) -> list[Any]:
    """The orders' reserved moves not yet at the packing bench, in walking order."""
    line_ids = list(session.scalars(select(OrderLine.id).where(OrderLine.order_id.in_(ids))))
    moves = session.execute(
        select(
            StockMove.id,
            StockMove.product_id,
            StockMove.from_location_id,
            StockMove.quantity,
            OrderLine.id.label("line_id"),
            OrderLine.order_id,
            OrderLine.sku,
            Location.pick_sequence,
            Location.code,
        )
        .join(
            OrderLine,
            (StockMove.origin_type == orders.LINE_REF) & (StockMove.origin_id == OrderLine.id),
        )
        .join(Location, Location.id == StockMove.from_location_id)
        .where(
            StockMove.origin_id.in_(line_ids),  # through the origin index, not a scan
            StockMove.state == "reserved",
            Location.id != pack,
        )
    ).all()
    moves = sorted(moves, key=lambda m: (m.pick_sequence, m.code, m.sku, numbers[m.order_id]))
    return moves


def open_lists(session: Session, limit: int = 100) -> list[tuple[int, str, int, int]]:
    """(id, number, open lines, all lines) of unfinished pick lists, oldest first."""
    rows = session.execute(
        select(
            PickList.id,
            PickList.number,
            func.sum(case((PickLine.status == "open", 1), else_=0)),
            func.count(PickLine.id),
        )
        .join(PickLine, PickLine.pick_list_id == PickList.id, isouter=True)
        .where(PickList.status == "open")
        .group_by(PickList.id, PickList.number)
        .order_by(PickList.id)
        .limit(limit)
    ).all()
    return [(r[0], r[1], int(r[2] or 0), int(r[3] or 0)) for r in rows]
