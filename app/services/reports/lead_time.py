"""`lead_time`: hours from order to first shipment (median and 90th percentile) and the
on-time rate against due dates, per channel.

The percentiles are ranked in SQL with window functions (SQLite 3.25+ and PostgreSQL),
the lower nearest rank: median = the ((n - 1) // 2 + 1)th, p90 = the ((9 (n - 1)) // 10
+ 1)th lead time of n. Hours between two timestamps are the one thing the engines spell
differently (julianday on SQLite, epoch on PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, case, cast, extract, func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_, ngettext
from app.models import SalesOrder, Shipment
from app.services.reports import common
from app.services.reports.base import (
    Cancelled,
    Chart,
    Column,
    Filters,
    ReportDef,
    ReportResult,
    register,
)

REPORT = (
    "lead_time",
    N_("Order-to-ship lead time"),
    N_(
        "Per channel, of the orders placed in the range and not cancelled that have shipped: "
        "median and p90 = hours from the order to its first shipment (lower nearest rank); "
        "on time = shipped by the due date, of the orders that have one. Orders not shipped "
        "yet are left out (a note counts them)."
    ),
)
COLUMNS = (
    Column("channel", N_("Channel")),
    Column("shipped", N_("Shipped orders"), "int"),
    Column("median_hours", N_("Median hours"), "hours"),
    Column("p90_hours", N_("p90 hours"), "hours"),
    Column("with_due", N_("With a due date"), "int"),
    Column("on_time", N_("On time"), "int"),
    Column("on_time_pct", N_("On time %"), "percent"),
)


def hours_between(session: Session, start: Any, end: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24.0
    return cast(extract("epoch", end - start), Float) / 3600.0


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    first = (
        select(
            SalesOrder.channel.label("channel"),
            SalesOrder.created_at.label("placed"),
            SalesOrder.due_at.label("due"),
            func.min(Shipment.shipped_at).label("shipped"),
        )
        .join(Shipment, Shipment.order_id == SalesOrder.id)
        .where(*common.placed(ctx, filters), Shipment.shipped_at.is_not(None))
        .group_by(SalesOrder.id, SalesOrder.channel, SalesOrder.created_at, SalesOrder.due_at)
        .subquery()
    )
    lead = hours_between(session, first.c.placed, first.c.shipped)
    ranked = select(
        first.c.channel,
        lead.label("lead"),
        case((first.c.due.is_(None), None), (first.c.shipped <= first.c.due, 1), else_=0).label(
            "on_time"
        ),
        func.row_number().over(partition_by=first.c.channel, order_by=lead).label("rn"),
        func.count().over(partition_by=first.c.channel).label("n"),
    ).subquery()
    n = ranked.c.n
    query = (
        select(
            ranked.c.channel,
            func.count(),
            func.max(case((ranked.c.rn == (n - 1) // 2 + 1, ranked.c.lead))),
            func.max(case((ranked.c.rn == (9 * (n - 1)) // 10 + 1, ranked.c.lead))),
            func.count(ranked.c.on_time),
            func.coalesce(func.sum(ranked.c.on_time), 0),
        )
        .group_by(ranked.c.channel)
        .order_by(ranked.c.channel)
    )
    rows: list[dict[str, object]] = []
    for channel, shipped, median, p90, with_due, on_time in session.execute(query):
        rows.append(
            {"channel": channel, "shipped": int(shipped), "median_hours": round(median, 1)}
            | {"p90_hours": round(p90, 1), "with_due": int(with_due), "on_time": int(on_time)}
            | {"on_time_pct": int(on_time) * 10_000 // int(with_due) if with_due else None}
        )
    waiting = session.scalar(
        select(func.count())
        .select_from(SalesOrder)
        .where(*common.placed(ctx, filters), SalesOrder.channel != "counter")
        .where(~select(Shipment.id).where(Shipment.order_id == SalesOrder.id).exists())
    )
    notes = (
        (
            ngettext(
                "{count} order placed in the range has not shipped yet.",
                "{count} orders placed in the range have not shipped yet.",
                waiting,
            ).format(count=waiting),
        )
        if waiting
        else ()
    )
    return common.result(
        REPORT,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("bar", x="channel", series=("median_hours", "p90_hours")),
        notes,
        ("shipped", "with_due", "on_time"),
    )


register(ReportDef(*REPORT, frozenset({"warehouse", "channel"}), run))
