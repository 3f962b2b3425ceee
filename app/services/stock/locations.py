"""Warehouses and bins as plain lists for filters and choosers: the warehouses in use, and
the bins an order's returned units can go back to.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Location,
    LocationKind,
    SalesOrder,
    Warehouse,
)


def active_warehouses(session: Session) -> list[tuple[int, str, str]]:
    """(id, code, name) of the warehouses in use, by code: for filters and choosers."""
    rows = session.execute(
        select(Warehouse.id, Warehouse.code, Warehouse.name)
        .where(Warehouse.active.is_(True))
        .order_by(Warehouse.code)
    )
    return [(wid, code, name) for wid, code, name in rows]


def order_bins(session: Session, order_id: int, limit: int = 500) -> list[tuple[int, str]]:
    """(id, code) of the active bins of an order's warehouse, in walking order: where its
    returned units can go back."""
    warehouse = session.scalar(select(SalesOrder.warehouse_id).where(SalesOrder.id == order_id))
    rows = session.execute(
        select(Location.id, Location.code)
        .where(
            Location.warehouse_id == warehouse,
            Location.kind == LocationKind.INTERNAL,
            Location.active.is_(True),
        )
        .order_by(Location.pick_sequence, Location.code)
        .limit(limit)
    )
    return [(lid, code) for lid, code in rows]
