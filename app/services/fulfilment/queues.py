"""The fulfilment stages as queues with counts: what the bench has to do next.

to pick (confirmed) -> picking (on a pick list, lines open) -> to pack (picked) ->
to ship (packed) -> shipped today; exceptions are shipments the carrier reported a problem
with, and orders waiting on a backorder. Every list is paged and filtered in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import Exists, Select, exists, func, select
from sqlalchemy.orm import Session

from app.core.errors import ValidationError
from app.core.i18n import N_, _, label
from app.models import OrderStatus, PickLine, SalesOrder, Shipment

S = OrderStatus
QUEUES = ("to_pick", "picking", "to_pack", "to_ship", "shipped_today", "exceptions")
QUEUE_LABELS = {
    "to_pick": N_("To pick"),
    "picking": N_("Picking"),
    "to_pack": N_("To pack"),
    "to_ship": N_("To ship"),
    "shipped_today": N_("Shipped today"),
    "exceptions": N_("Exceptions"),
}


def queue_label(name: str) -> str:
    """A queue's name in the user's language (the keys stay the program's)."""
    return label(QUEUE_LABELS, name)


@dataclass(frozen=True)
class QueueFilter:
    warehouse_id: int | None = None
    carrier_id: int | None = None
    urgent_only: bool = False
    due_before: datetime | None = None


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    customer_name: str
    status: str
    priority: int
    due_at: datetime | None
    total: int
    ship_country: str


def _today_start() -> datetime:
    local_midnight = datetime.combine(datetime.now().astimezone().date(), time.min).astimezone()
    return local_midnight


def _open_pick_lines() -> Exists:
    return exists().where(PickLine.order_id == SalesOrder.id, PickLine.status == "open")


def _base(queue: str) -> Select:  # type: ignore[type-arg]
    stmt = select(SalesOrder.id)
    if queue == "to_pick":
        return stmt.where(SalesOrder.status == S.CONFIRMED)
    if queue == "picking":
        return stmt.where(SalesOrder.status == S.PICKING, _open_pick_lines())
    if queue == "to_pack":
        return stmt.where(SalesOrder.status == S.PICKING, ~_open_pick_lines())
    if queue == "to_ship":
        return stmt.where(SalesOrder.status == S.PACKED)
    if queue == "shipped_today":  # through the shipments' index, never a scan of orders
        shipped = select(Shipment.order_id).where(Shipment.shipped_at >= _today_start())
        return stmt.where(SalesOrder.id.in_(shipped))
    if queue == "exceptions":
        problems = (
            select(Shipment.order_id)
            .where(Shipment.status == "exception")
            .union(select(SalesOrder.id).where(SalesOrder.status == S.PARTLY_SHIPPED))
            .subquery()
        )
        return stmt.where(SalesOrder.id.in_(select(problems.c[0])))
    raise ValidationError(_("'{queue}' is not a fulfilment queue.").format(queue=queue))


def _filtered(queue: str, where: QueueFilter) -> Select:  # type: ignore[type-arg]
    stmt = _base(queue)
    if where.warehouse_id is not None:
        stmt = stmt.where(SalesOrder.warehouse_id == where.warehouse_id)
    if where.carrier_id is not None:
        stmt = stmt.where(SalesOrder.carrier_id == where.carrier_id)
    if where.urgent_only:
        stmt = stmt.where(SalesOrder.priority > 0)
    if where.due_before is not None:
        stmt = stmt.where(SalesOrder.due_at < where.due_before)
    return stmt


def counts(session: Session, where: QueueFilter = QueueFilter()) -> dict[str, int]:  # noqa: B008
    return {
        queue: int(
            session.scalar(select(func.count()).select_from(_filtered(queue, where).subquery()))
            or 0
        )
        for queue in QUEUES
    }


def orders_in(
    session: Session,
    queue: str,
    where: QueueFilter = QueueFilter(),  # noqa: B008
    offset: int = 0,
    limit: int = 200,
) -> list[QueueRow]:
    """Urgent first, then by due date, then oldest first: the order a bench works in."""
    ids = _filtered(queue, where).subquery()
    rows = session.execute(
        select(
            SalesOrder.id,
            SalesOrder.number,
            SalesOrder.customer_name,
            SalesOrder.status,
            SalesOrder.priority,
            SalesOrder.due_at,
            SalesOrder.total,
            SalesOrder.ship_country,
        )
        .where(SalesOrder.id.in_(select(ids.c.id)))
        .order_by(
            SalesOrder.priority.desc(),
            SalesOrder.due_at.is_(None),
            SalesOrder.due_at,
            SalesOrder.id,
        )
        .offset(offset)
        .limit(limit)
    ).all()
    return [QueueRow(*r) for r in rows]


def due_within(days: int) -> datetime:
    """The start of the local day `days` from today: 'due within 1 day' is due today."""
    return _today_start() + timedelta(days=days)
