"""Paged, indexed queries for the Orders list. Nothing here loads a whole table.

Every filter combination has an index that leads with the filter and ends in id, so a
page of the newest matching orders is an index range scan that stops after one page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core.changes import ORDER_CREATED, ORDER_STATUS, ChangeSet
from app.core.i18n import N_, label
from app.core.validation import clean_text
from app.models import Channel, OrderStatus, SalesOrder
from app.services.sales.customers import matching_customer_ids
from app.services.sales.orders import status_label

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


_COLUMNS = (
    SalesOrder.id,
    SalesOrder.number,
    SalesOrder.created_at,
    SalesOrder.channel,
    SalesOrder.status,
    SalesOrder.customer_name,
    SalesOrder.total,
    SalesOrder.currency,
)


def status_choices() -> list[tuple[str, str]]:
    """(label, value) for the list's status filter, in lifecycle order."""
    return [(status_label(status), status.value) for status in OrderStatus]


CHANNEL_LABELS = {
    Channel.COUNTER: N_("Counter"),
    Channel.PHONE: N_("Phone"),
    Channel.EMAIL: N_("Email"),
    Channel.WEB: N_("Web"),
    Channel.MARKETPLACE: N_("Marketplace"),
}


def channel_label(channel: str) -> str:
    """The channel in the screen's language."""
    return label(CHANNEL_LABELS, channel)


def channel_choices() -> list[tuple[str, str]]:
    """(label, value) for the list's channel filter."""
    return [(channel_label(channel), channel.value) for channel in Channel]


def list_orders(
    session: Session, query: OrderQuery, offset: int = 0, limit: int = 200
) -> list[OrderRow]:
    stmt = _filtered(session, query, select(*_COLUMNS))
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


def order_rows(
    session: Session, ids: Iterable[int], query: OrderQuery | None = None
) -> list[OrderRow]:
    """The list rows of these orders, in one query by primary key: what a list re-reads
    for the rows a change named. With `query`, only the orders that still pass its
    filters come back, so a caller sees which rows left the list."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    stmt: Select | None = select(*_COLUMNS).where(SalesOrder.id.in_(wanted))  # type: ignore[type-arg]
    if query is not None:
        stmt = _filtered(session, query, stmt)  # type: ignore[arg-type]
    if stmt is None:
        return []
    return [OrderRow(*row) for row in session.execute(stmt.order_by(SalesOrder.id))]


def reload_needed(query: OrderQuery, change: ChangeSet) -> bool:
    """Whether re-reading the rows a change names is not enough for a list showing `query`:
    an unnamed change, a new order (it may belong on the page), or a status change where
    the list filters or sorts by status (an order may come in, go, or move)."""
    if change.everything or ORDER_CREATED in change.kinds:
        return True
    return ORDER_STATUS in change.kinds and (bool(query.status) or query.sort == "status")


def keeps_place(query: OrderQuery, old: OrderRow, new: OrderRow | None) -> bool:
    """A re-read row may stay where it is: it still passes the filters (`new` is None
    when it does not) and its sort value did not change."""
    if new is None:
        return False
    key = query.sort if query.sort in SORTS else "number"
    field_of = {"status": "status", "total": "total", "customer": "customer_name"}
    name = field_of.get(key)
    return name is None or getattr(old, name) == getattr(new, name)
