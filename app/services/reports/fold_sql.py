"""The GROUP BYs behind the closed-day summaries, written once: the fold inserts them for
one day (INSERT ... SELECT), and the reports run the very same ones live over the days
not folded, so a folded day and a live day cannot disagree.

Each takes the WHERE on sales_orders (a day's UTC range, or the report's filters and its
live days) and returns a SELECT whose column names are the summary table's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Select, case, cast, extract, func, select
from sqlalchemy.orm import Session

from app.models import OrderLine, OrderStatus, SalesOrder, Shipment

SO = SalesOrder
WAREHOUSE = func.coalesce(SO.warehouse_id, 0).label("warehouse_id")


def not_cancelled() -> ColumnElement[bool]:
    return SO.status != OrderStatus.CANCELLED


def order_sums(where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    shipped = select(Shipment.id).where(Shipment.order_id == SO.id).exists()
    unshipped = case(((SO.channel != "counter") & ~shipped, 1), else_=0)
    return (
        select(
            SO.channel.label("channel"),
            WAREHOUSE,
            SO.currency.label("currency"),
            func.count().label("orders"),
            func.coalesce(func.sum(SO.total), 0).label("gross"),
            func.coalesce(func.sum(SO.tax_total), 0).label("tax"),
            func.coalesce(func.sum(unshipped), 0).label("unshipped"),
        )
        .where(*where, not_cancelled())
        .group_by(SO.channel, WAREHOUSE, SO.currency)
    )


def line_sums(where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    line = OrderLine
    return (
        select(
            SO.channel.label("channel"),
            WAREHOUSE,
            SO.currency.label("currency"),
            line.product_id.label("product_id"),
            line.tax_rate_bp.label("tax_rate_bp"),
            func.count().label("lines"),
            func.sum(line.quantity).label("quantity"),
            func.sum(line.net).label("net"),
            func.sum(line.tax).label("tax"),
            func.sum(line.total).label("total"),
        )
        .select_from(SO)
        .join(line, line.order_id == SO.id)
        .where(*where, not_cancelled())
        .group_by(SO.channel, WAREHOUSE, SO.currency, line.product_id, line.tax_rate_bp)
    )


def customer_sums(where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    return (
        select(
            SO.channel.label("channel"),
            WAREHOUSE,
            SO.currency.label("currency"),
            SO.customer_id.label("customer_id"),
            func.count().label("orders"),
            func.sum(SO.total).label("gross"),
            func.sum(SO.tax_total).label("tax"),
        )
        .where(*where, not_cancelled(), SO.customer_id.is_not(None))
        .group_by(SO.channel, WAREHOUSE, SO.currency, SO.customer_id)
    )


def epoch_seconds(session: Session, at: Any) -> Any:
    """Whole seconds since 1970 of a stored UTC instant (the fraction dropped)."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", at), BigInteger)
    return cast(func.floor(extract("epoch", at)), BigInteger)


def lead_sums(session: Session, where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    """Orders by lead time from placing to the first shipment, in tenths of an hour
    rounded half up from whole minutes, and whether they shipped by the due date."""
    first = (
        select(
            SO.channel.label("channel"),
            WAREHOUSE,
            SO.created_at.label("placed"),
            SO.due_at.label("due"),
            func.min(Shipment.shipped_at).label("shipped"),
        )
        .join(Shipment, Shipment.order_id == SO.id)
        .where(*where, not_cancelled(), Shipment.shipped_at.is_not(None))
        .group_by(SO.id, SO.channel, SO.warehouse_id, SO.created_at, SO.due_at)
        .subquery()
    )
    seconds = epoch_seconds(session, first.c.shipped) - epoch_seconds(session, first.c.placed)
    tenths = ((seconds // 60) + 3) // 6
    on_time = case((first.c.due.is_(None), -1), (first.c.shipped <= first.c.due, 1), else_=0)
    return select(
        first.c.channel.label("channel"),
        first.c.warehouse_id.label("warehouse_id"),
        tenths.label("lead_tenths"),
        on_time.label("on_time"),
        func.count().label("orders"),
    ).group_by(first.c.channel, first.c.warehouse_id, tenths, on_time)
