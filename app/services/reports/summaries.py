"""A report's rows from both sides: the summaries for the range's clean folded days and
the same GROUP BY (fold_sql.py) run live over its other days, as one UNION ALL the
report then adds up exactly as it added up the orders (folded.py says which day is
which)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from app.models import ReportLineDay, ReportLineMonth, ReportMonthFold
from app.services.reports import common
from app.services.reports.base import Filters
from app.services.reports.folded import Split, day_in, month_end, runs, split

LiveQuery = Callable[[list[ColumnElement[bool]]], Select[*tuple[Any, ...]]]


def live_where(
    ctx: common.Context, filters: Filters, lo: dt.date, hi: dt.date
) -> list[ColumnElement[bool]]:
    """common.placed for the days lo..hi: one range of the created_at index."""
    return common.placed(ctx, replace(filters, start=lo, end=hi))


def summary_where(table: Any, ctx: common.Context, filters: Filters, days: Split) -> list[Any]:
    where = [day_in(table.day, days.folded)]
    if filters.channel:
        where.append(table.channel == filters.channel)
    if ctx.warehouse_id is not None:
        where.append(table.warehouse_id == ctx.warehouse_id)
    return where


def _summed(
    table: Any,
    keys: tuple[str, ...],
    measures: list[str],
    ctx: common.Context,
    filters: Filters,
) -> Select[*tuple[Any, ...]]:
    query = select(
        *(getattr(table, k).label(k) for k in keys),
        *(func.sum(getattr(table, m)).label(m) for m in measures),
    ).group_by(*(getattr(table, k) for k in keys))
    if filters.channel:
        query = query.where(table.channel == filters.channel)
    if ctx.warehouse_id is not None:
        query = query.where(table.warehouse_id == ctx.warehouse_id)
    return query


def whole_months(session: Session, days: Split) -> tuple[list[dt.date], Split]:
    """The calendar months lying wholly inside the clean folded runs whose month sums
    are built, and the folded days left once those months are taken out."""
    candidates: list[dt.date] = []
    for lo, hi in days.folded:
        month = lo if lo.day == 1 else month_end(lo) + dt.timedelta(days=1)
        while month_end(month) <= hi:
            candidates.append(month)
            month = month_end(month) + dt.timedelta(days=1)
    if not candidates:
        return [], days
    built = sorted(
        session.scalars(select(ReportMonthFold.month).where(ReportMonthFold.month.in_(candidates)))
    )
    taken = {m + dt.timedelta(days=n) for m in built for n in range(month_end(m).day)}
    left = [
        lo + dt.timedelta(days=n)
        for lo, hi in days.folded
        for n in range((hi - lo).days + 1)
        if lo + dt.timedelta(days=n) not in taken
    ]
    return built, Split(runs(left), days.live)


def combined(
    session: Session,
    filters: Filters,
    ctx: common.Context,
    live: LiveQuery,
    table: Any,
    keys: tuple[str, ...],
    days: Split | None = None,
) -> Subquery:
    """The sums of `live`'s measures (its column names are the summary table's; the
    measures are those not in the table's key) per `keys`: the folded days' from `table`,
    the rest computed live, each side summed per `keys` before the UNION ALL, so the
    report adds up a few rows per key, not a year of summary rows."""
    days = days or split(session, filters, ctx.zone)
    shape = live(live_where(ctx, filters, filters.start, filters.end))
    primary = {column.name for column in table.__table__.primary_key.columns}
    measures = [str(c.key) for c in shape.selected_columns if c.key not in primary]
    parts: list[Select[*tuple[Any, ...]]] = []
    for lo, hi in days.live:
        rows = live(live_where(ctx, filters, lo, hi)).subquery()
        parts.append(
            select(
                *(rows.c[k].label(k) for k in keys),
                *(func.sum(rows.c[m]).label(m) for m in measures),
            ).group_by(*(rows.c[k] for k in keys))
        )
    months: list[dt.date] = []
    if table is ReportLineDay and days.folded:
        months, days = whole_months(session, days)
    if months:
        parts.append(
            _summed(ReportLineMonth, keys, measures, ctx, filters).where(
                ReportLineMonth.month.in_(months)
            )
        )
    if days.folded:
        parts.append(
            _summed(table, keys, measures, ctx, filters).where(day_in(table.day, days.folded))
        )
    if len(parts) == 1:
        return parts[0].subquery("both")
    return union_all(*parts).subquery("both")
