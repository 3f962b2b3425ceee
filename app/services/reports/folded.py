"""At report time: which days of the range come from the closed-day summaries and which
are computed live (app/models/reports.py, services/reports/fold.py).

A day is read from the summaries when it was folded in the shop's current zone and
nothing was written for it since: no order placed on it, no line, order event or
shipment of one of its orders, with an id above the watermark its fold recorded. Those
are cheap scans of the primary keys above the lowest watermark (a fold moves every clean
day's marks up, so that is what came in since the last fold). Every other day of the
range (today, a day never folded, a day touched since) is computed by the report's own
live query over just those days, so a report is exact folded or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import OrderEvent, OrderLine, ReportFold, SalesOrder, Shipment
from app.services.reports.base import Filters
from app.services.reports.periods import local_midnight

Runs = tuple[tuple[dt.date, dt.date], ...]  # contiguous days, both ends included


@dataclass(frozen=True)
class Marks:
    order: int
    line: int
    event: int
    shipment: int


@dataclass(frozen=True)
class Split:
    folded: Runs  # read from the summaries
    live: Runs  # computed by the live query


def month_end(month: dt.date) -> dt.date:
    """The last day of `month`'s calendar month."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def runs(days: Iterable[dt.date]) -> Runs:
    out: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if out and out[-1][1] + dt.timedelta(days=1) == day:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return tuple(out)


def touched(session: Session, marks: Marks, zone: ZoneInfo) -> dict[dt.date, Marks]:
    """The local days of every order that has an order, line, event or shipment row above
    `marks`, with the highest such ids per day (a fold's marks below them: touched)."""
    order = SalesOrder
    scans: Sequence[tuple[InstrumentedAttribute[int], int, str]] = (
        (OrderLine.id, marks.line, "line"),
        (OrderEvent.id, marks.event, "event"),
        (Shipment.id, marks.shipment, "shipment"),
    )
    found: dict[dt.date, dict[str, int]] = {}

    def note(at: dt.datetime, kind: str, ident: int) -> None:
        seen = found.setdefault(at.astimezone(zone).date(), {})
        seen[kind] = max(seen.get(kind, 0), ident)

    for ident, at in session.execute(
        select(order.id, order.created_at).where(order.id > marks.order)
    ):
        note(at, "order", ident)
    for column, mark, kind in scans:
        owner = column.class_.order_id
        query = select(column, order.created_at).join(order, order.id == owner)
        for ident, at in session.execute(query.where(column > mark)):
            note(at, kind, ident)
    return {
        day: Marks(s.get("order", 0), s.get("line", 0), s.get("event", 0), s.get("shipment", 0))
        for day, s in found.items()
    }


def is_touched(fold: Marks, seen: Marks | None) -> bool:
    if seen is None:
        return False
    return (
        seen.order > fold.order
        or seen.line > fold.line
        or seen.event > fold.event
        or seen.shipment > fold.shipment
    )


def folds(session: Session, zone: ZoneInfo, start: dt.date, end: dt.date) -> dict[dt.date, Marks]:
    rows = session.execute(
        select(
            ReportFold.day,
            ReportFold.max_order_id,
            ReportFold.max_line_id,
            ReportFold.max_event_id,
            ReportFold.max_shipment_id,
        ).where(ReportFold.day >= start, ReportFold.day <= end, ReportFold.zone == zone.key)
    )
    return {day: Marks(int(o), int(ln), int(e), int(s)) for day, o, ln, e, s in rows}


def lowest(marks: Iterable[Marks]) -> Marks:
    listed = list(marks)
    return Marks(
        min(m.order for m in listed),
        min(m.line for m in listed),
        min(m.event for m in listed),
        min(m.shipment for m in listed),
    )


def split(session: Session, filters: Filters, zone: ZoneInfo) -> Split:
    """The range's days: clean folded ones, and the rest."""
    every = [
        filters.start + dt.timedelta(days=n) for n in range((filters.end - filters.start).days + 1)
    ]
    done = folds(session, zone, filters.start, filters.end)
    if not done:
        return Split((), runs(every))
    seen = touched(session, lowest(done.values()), zone)
    clean = {day for day, marks in done.items() if not is_touched(marks, seen.get(day))}
    return Split(runs(clean), runs(d for d in every if d not in clean))


def day_in(
    column: ColumnElement[dt.date] | InstrumentedAttribute[dt.date], days: Runs
) -> ColumnElement[bool]:
    """`column` (a summary's day) in the runs."""
    if not days:
        return false()
    return or_(*(and_(column >= lo, column <= hi) for lo, hi in days))


def placed_in(days: Runs, zone: ZoneInfo) -> ColumnElement[bool]:
    """Orders placed on the runs' local days (UTC ranges on the created_at index)."""
    if not days:
        return false()
    created = SalesOrder.created_at
    return or_(
        *(
            and_(
                created >= local_midnight(lo, zone),
                created < local_midnight(hi + dt.timedelta(days=1), zone),
            )
            for lo, hi in days
        )
    )
