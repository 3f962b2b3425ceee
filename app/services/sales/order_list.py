"""Paged, indexed queries for the Orders list. Nothing here loads a whole table.

Every filter combination has an index that leads with the filter and ends in id, so a
page of the newest matching orders is an index range scan that stops after one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core.validation import clean_text
from app.models import SalesOrder
from app.services.sales.customers import matching_customer_ids

SORTS = {
    "number": (SalesOrder.id,),
    "date": (SalesOrder.id,),  # orders are numbered in time order: id order is date order
    "status": (SalesOrder.status, SalesOrder.id),
    "total": (SalesOrder.total, SalesOrder.id),
    "customer": (SalesOrder.customer_name, SalesOrder.id),
}
_NUMBER = re.compile(r"^(so-?)?0*(\d{1,12})$", re.IGNORECASE)


@dataclass(frozen=True)
class OrderQuery:
    status: str | None = None
    channel: str | None = None
    text: str = ""
    sort: str = "number"
    descending: bool = True


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    created_at: datetime
    channel: str
    status: str
    customer_name: str
    total: int
    currency: str


def _filtered(session: Session, query: OrderQuery, stmt: Select) -> Select | None:  # type: ignore[type-arg]
    if query.status:
        stmt = stmt.where(SalesOrder.status == query.status)
    if query.channel:
        stmt = stmt.where(SalesOrder.channel == query.channel)
    text = clean_text(query.text, "Search", max_length=200)
    if text:
        number = _NUMBER.match(text.replace(" ", ""))
        if number:
            stmt = stmt.where(SalesOrder.number == f"SO-{int(number.group(2)):06d}")
        elif text.upper().startswith("SO-"):
            stmt = stmt.where(SalesOrder.number == text.upper())
        else:
            ids = matching_customer_ids(session, text)
            if not ids:
                return None
            stmt = stmt.where(SalesOrder.customer_id.in_(ids))
    return stmt


def list_orders(
    session: Session, query: OrderQuery, offset: int = 0, limit: int = 200
) -> list[OrderRow]:
    stmt = _filtered(
        session,
        query,
        select(
            SalesOrder.id,
            SalesOrder.number,
            SalesOrder.created_at,
            SalesOrder.channel,
            SalesOrder.status,
            SalesOrder.customer_name,
            SalesOrder.total,
            SalesOrder.currency,
        ),
    )
    if stmt is None:
        return []
    columns = SORTS.get(query.sort, SORTS["number"])
    order_by = [c.desc() if query.descending else c.asc() for c in columns]
    stmt = stmt.order_by(*order_by).offset(offset).limit(limit)
    return [OrderRow(*row) for row in session.execute(stmt)]


def count_orders(session: Session, query: OrderQuery) -> int:
    """Exact count; may take a while on a million orders, so views run it in the background."""
    stmt = _filtered(session, query, select(func.count()).select_from(SalesOrder))
    if stmt is None:
        return 0
    return int(session.scalar(stmt) or 0)
