"""`sales`: orders, gross, tax, refunds and net per period (day, week, month) and channel.

Two GROUP BYs joined to the periods table (periods.py): the orders placed in each local
period, and the refunds paid out in it (counter refunds and refunded returns are both
Payment rows of kind 'refund'). The two small results are merged by (period, channel).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_, _
from app.models import OrderStatus, Payment, ReportOrderDay, SalesOrder
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
from app.services.reports.folded import Split, split
from app.services.reports.periods import in_periods, period_start, periods_table
from app.services.reports.summaries import summary_where

NAME = "sales"
TITLE = N_("Sales by period and channel")
DEFINITION = N_(
    "Per period (the shop's local day, ISO week from Monday, or month; named by its first "
    "day) and channel: orders = orders placed in the period and not cancelled; gross and "
    "tax = their totals (tax included in gross); refunds = money paid back in the period "
    "(counter refunds and returns), whenever the order was placed; net = gross - refunds."
)
COLUMNS = (
    Column("period", N_("Period"), "date"),
    Column("channel", N_("Channel")),
    Column("orders", N_("Orders"), "int"),
    Column("gross", N_("Gross"), "money"),
    Column("tax", N_("Tax"), "money"),
    Column("refunds", N_("Refunds"), "money"),
    Column("net", N_("Net"), "money"),
)


def run(session: Session, filters: Filters, cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    table = periods_table(session, filters, ctx.zone)
    days = split(session, filters, ctx.zone)
    order = SalesOrder
    refunded = (
        select(
            table.c.period,
            order.channel,
            order.currency,
            func.coalesce(func.sum(Payment.amount), 0),
        )
        .select_from(table)
        .join(Payment, in_periods(session, Payment.created_at, table, filters, ctx.zone))
        .join(order, order.id == Payment.order_id)
        .where(Payment.kind == "refund")
        .group_by(table.c.period, order.channel, order.currency)
    )
    if filters.channel:
        refunded = refunded.where(order.channel == filters.channel)
    if ctx.warehouse_id is not None:
        refunded = refunded.where(order.warehouse_id == ctx.warehouse_id)
    sums: dict[tuple[str, str], dict[str, int]] = {}
    currencies: set[str] = set()
    found = [*_live(session, ctx, filters, days), *_folded(session, ctx, filters, days)]
    for period, channel, currency, count, gross, tax in found:
        currencies.add(currency)
        row = sums.setdefault((period, channel), _zero())
        row["orders"] += int(count)
        row["gross"] += int(gross)
        row["tax"] += int(tax)
    if cancelled():
        return _result(filters, [], ctx.currency, ctx.zone.key, ("Cancelled.",))
    for period, channel, currency, amount in session.execute(refunded):
        currencies.add(currency)
        sums.setdefault((period, channel), _zero())["refunds"] = int(amount)
    currency = common.one_currency(currencies, ctx.currency)
    rows: list[dict[str, object]] = []
    for (period, channel), row in sorted(sums.items()):
        rows.append({"period": period, "channel": channel, **row})
        rows[-1]["net"] = row["gross"] - row["refunds"]
    notes = () if rows else (_("No orders and no refunds in this range."),)
    return _result(filters, rows, currency, ctx.zone.key, notes)


def _live(
    session: Session, ctx: common.Context, filters: Filters, days: Split
) -> list[tuple[str, str, str, int, int, int]]:
    """The orders of the days not folded, per period: one periods table per run of
    such days, so a year with today live joins today's periods only."""
    order = SalesOrder
    found: list[tuple[str, str, str, int, int, int]] = []
    for lo, hi in days.live:
        span = replace(filters, start=lo, end=hi)
        table = periods_table(session, span, ctx.zone)
        placed = (
            select(
                table.c.period,
                order.channel,
                order.currency,
                func.count(),
                func.coalesce(func.sum(order.total), 0),
                func.coalesce(func.sum(order.tax_total), 0),
            )
            .select_from(table)
            .join(order, in_periods(session, order.created_at, table, span, ctx.zone))
            .where(order.status != OrderStatus.CANCELLED)
            .group_by(table.c.period, order.channel, order.currency)
        )
        if filters.channel:
            placed = placed.where(order.channel == filters.channel)
        if ctx.warehouse_id is not None:
            placed = placed.where(order.warehouse_id == ctx.warehouse_id)
        found.extend(tuple(row) for row in session.execute(placed))
    return found


def _folded(
    session: Session, ctx: common.Context, filters: Filters, days: Split
) -> list[tuple[str, str, str, int, int, int]]:
    """The folded days' orders, gross and tax per period, channel and currency."""
    if not days.folded:
        return []
    table = ReportOrderDay
    query = (
        select(
            table.day,
            table.channel,
            table.currency,
            func.sum(table.orders),
            func.sum(table.gross),
            func.sum(table.tax),
        )
        .where(*summary_where(table, ctx, filters, days))
        .group_by(table.day, table.channel, table.currency)
    )
    return [
        (period_start(day, filters.group).isoformat(), channel, currency, n, gross, tax)
        for day, channel, currency, n, gross, tax in session.execute(query)
    ]


def _zero() -> dict[str, int]:
    return {"orders": 0, "gross": 0, "tax": 0, "refunds": 0}


def _result(
    filters: Filters,
    rows: list[dict[str, object]],
    currency: str,
    zone: str,
    notes: tuple[str, ...],
) -> ReportResult:
    totals: dict[str, object] = {
        key: sum(int(r[key]) for r in rows)  # type: ignore[call-overload]
        for key in ("orders", "gross", "tax", "refunds", "net")
    }
    return ReportResult(
        NAME,
        TITLE,
        DEFINITION,
        filters,
        COLUMNS,
        rows,
        Chart("stacked_bar", x="period", series=("net",), split="channel"),
        currency,
        zone,
        notes,
        totals,
    )


REPORT = register(
    ReportDef(NAME, TITLE, DEFINITION, frozenset({"warehouse", "channel", "group"}), run)
)
