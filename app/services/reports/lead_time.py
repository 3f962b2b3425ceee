"""`lead_time`: hours from order to first shipment (median and 90th percentile) and the
on-time rate against due dates, per channel.

Lead times are counted per tenth of an hour (whole minutes from the stamps' whole
seconds, rounded half up: the precision the report prints), in SQL (fold_sql.lead_sums),
from the closed-day summaries and live for the other days; the ranks are then read off
those counts, the lower nearest rank: median = the ((n - 1) // 2 + 1)th, p90 = the
((9 (n - 1)) // 10 + 1)th lead time of n. The bucket is a monotone function of the lead,
so the k-th order's bucket is exact, whichever side its day came from.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_, ngettext
from app.models import ReportLeadDay, ReportOrderDay, SalesOrder, Shipment
from app.services.reports import common, fold_sql, folded, summaries
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


def _rank(found: list[tuple[int, int, int]], rank: int) -> float:
    """The bucket of the rank-th shortest lead (1-based), in hours."""
    seen = 0
    for tenths, _on_time, n in found:  # ordered by lead
        seen += n
        if seen >= rank:
            return tenths / 10
    raise ValueError(rank)


def _row(channel: str, found: list[tuple[int, int, int]]) -> dict[str, object]:
    n = sum(k for *_x, k in found)
    with_due = sum(k for _t, on_time, k in found if on_time >= 0)
    on_time = sum(k for _t, flag, k in found if flag == 1)
    return (
        {"channel": channel, "shipped": n, "median_hours": _rank(found, (n - 1) // 2 + 1)}
        | {"p90_hours": _rank(found, (9 * (n - 1)) // 10 + 1), "with_due": with_due}
        | {"on_time": on_time, "on_time_pct": on_time * 10_000 // with_due if with_due else None}
    )


def _waiting(session: Session, ctx: common.Context, filters: Filters, days: folded.Split) -> int:
    """Orders placed in the range, not at the counter, with no shipment yet."""
    waiting = 0
    for lo, hi in days.live:
        waiting += (
            session.scalar(
                select(func.count())
                .select_from(SalesOrder)
                .where(*summaries.live_where(ctx, filters, lo, hi), SalesOrder.channel != "counter")
                .where(~select(Shipment.id).where(Shipment.order_id == SalesOrder.id).exists())
            )
            or 0
        )
    if days.folded:
        table = ReportOrderDay
        waiting += (
            session.scalar(
                select(func.coalesce(func.sum(table.unshipped), 0)).where(
                    *summaries.summary_where(table, ctx, filters, days)
                )
            )
            or 0
        )
    return int(waiting)


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    days = folded.split(session, filters, ctx.zone)

    def live(where: list[Any]) -> Any:
        return fold_sql.lead_sums(session, where)

    both = summaries.combined(
        session, filters, ctx, live, ReportLeadDay, ("channel", "lead_tenths", "on_time"), days
    )
    query = (
        select(both.c.channel, both.c.lead_tenths, both.c.on_time, func.sum(both.c.orders))
        .group_by(both.c.channel, both.c.lead_tenths, both.c.on_time)
        .order_by(both.c.channel, both.c.lead_tenths)
    )
    counts: dict[str, list[tuple[int, int, int]]] = {}
    for channel, tenths, on_time, n in session.execute(query):
        counts.setdefault(channel, []).append((int(tenths), int(on_time), int(n)))
    rows = [_row(channel, found) for channel, found in sorted(counts.items())]
    waiting = _waiting(session, ctx, filters, days)
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
