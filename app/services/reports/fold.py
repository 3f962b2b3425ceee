"""Folding closed days into the report summaries (app/models/reports.py): `kestrel report
fold [--rebuild]` and the elected workstation's worker (fold_worker.py), never the sale.

A day is closed when it ended in the shop's zone at least an hour ago. A run folds every
closed day from the first order's on that is not folded yet (or was folded in another
zone: a change of the shop's zone clears the folds here, and the reports ignore them at
once, since each fold names its zone), and again every folded day touched since its
fold (folded.py). Each day is four INSERT ... SELECT ... GROUP BY (fold_sql.py) in
batches of days, one transaction each, with progress and cancel; the clean days' marks
move up to the run's, so the next report scans only what came in after it. Then every
month whose days are all folded gets its line sums (report_line_months) if it has none:
refolding a day drops its month in the same transaction.

Watermarks on PostgreSQL: ids come from sequences before commit, so a row with a lower
id can commit after one with a higher. The marks are read under a SHARE lock of the four
tables (NOWAIT, retried: a fold never queues the tills behind it), which is granted only
once no writer holds one of them, so every id at or below a mark is committed. Two
folders at once take turns on an advisory lock; on SQLite the one writer does that.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Date, delete, func, literal, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ConflictError
from app.core.i18n import _
from app.db import Database
from app.models import (
    OrderEvent,
    OrderLine,
    ReportCustomerDay,
    ReportFold,
    ReportLeadDay,
    ReportLineDay,
    ReportLineMonth,
    ReportMonthFold,
    ReportOrderDay,
    SalesOrder,
    Shipment,
    utcnow,
)
from app.services.reports import fold_sql, folded
from app.services.reports.folded import Marks, month_end
from app.services.reports.periods import local_midnight, shop_zone

log = logging.getLogger("kestrel.reports")
SUMMARIES = (ReportOrderDay, ReportLineDay, ReportCustomerDay, ReportLeadDay)
LOCK_KEY = 1_900_019  # pg_advisory_lock: one folder at a time
# one day per transaction: on SQLite a batch holds the one write lock the tills share
# (a day of ~1,400 orders folds in a fraction of a second)
BATCH_DAYS = 1
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FoldResult:
    folded: int  # days folded in this run (first time or again)
    refolded: int  # of those, days folded before and touched since
    cleared: bool  # every fold dropped first (--rebuild, or the zone changed)
    pending: int  # days left when cancelled
    zone: str
    last_closed: dt.date | None

    def as_json(self) -> dict[str, object]:
        last = self.last_closed.isoformat() if self.last_closed else None
        return {"folded": self.folded, "refolded": self.refolded, "cleared": self.cleared} | {
            "pending": self.pending,
            "zone": self.zone,
            "last_closed": last,
        }


def last_closed(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The last local day that ended at least an hour before `now`."""
    return (now - dt.timedelta(hours=1)).astimezone(zone).date() - dt.timedelta(days=1)


def fold(
    database: Database,
    actor: Actor,
    rebuild: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    now: dt.datetime | None = None,
) -> FoldResult:
    """Fold what is closed and not folded clean; `rebuild` drops every fold first."""
    require(actor, Permission.REPORTS_VIEW)
    now = now or utcnow()
    with _one_folder(database):
        marks = _marks(database)
        with database.write() as session:
            zone = shop_zone(session)
            cleared = _clear(session, zone, rebuild)
            todo, refold = _plan(session, zone, marks, now)
        done = 0
        for first in range(0, len(todo), BATCH_DAYS):
            if cancelled():
                break
            batch = todo[first : first + BATCH_DAYS]
            with database.write() as session:
                _fold_days(session, batch, zone, marks, now)
            done += len(batch)
            if progress is not None:
                progress(done, len(todo))
        if not cancelled():
            _fold_months(database, zone, now, cancelled)
    log.info("reports: %d day(s) folded (%d again), %d left", done, len(refold), len(todo) - done)
    last = last_closed(now, zone)
    return FoldResult(
        done, len(refold & set(todo[:done])), cleared, len(todo) - done, zone.key, last
    )


def _clear(session: Session, zone: ZoneInfo, rebuild: bool) -> bool:
    other = session.scalar(select(ReportFold.day).where(ReportFold.zone != zone.key).limit(1))
    if not rebuild and other is None:
        return False
    for table in (*SUMMARIES, ReportFold, ReportLineMonth, ReportMonthFold):
        session.execute(delete(table))
    return True


def _plan(
    session: Session, zone: ZoneInfo, marks: Marks, now: dt.datetime
) -> tuple[list[dt.date], set[dt.date]]:
    """The days to fold (oldest first) and which of them are folded but touched; the
    clean folded days' marks move up to `marks`."""
    first_at = session.scalar(select(func.min(SalesOrder.created_at)))
    if first_at is None:
        return [], set()
    first, last = first_at.astimezone(zone).date(), last_closed(now, zone)
    done = folded.folds(session, zone, dt.date.min, dt.date.max)
    seen = folded.touched(session, folded.lowest(done.values()), zone) if done else {}
    dirty = {day for day, m in done.items() if folded.is_touched(m, seen.get(day))}
    clean = folded.runs(set(done) - dirty)
    if clean:
        session.execute(
            update(ReportFold)
            .where(folded.day_in(ReportFold.day, clean))
            .values(
                max_order_id=marks.order,
                max_line_id=marks.line,
                max_event_id=marks.event,
                max_shipment_id=marks.shipment,
            )
        )
    todo = [
        day
        for n in range(max(0, (last - first).days + 1))
        if (day := first + dt.timedelta(days=n)) not in done or day in dirty
    ]
    return todo, dirty


def _fold_days(
    session: Session, days: list[dt.date], zone: ZoneInfo, marks: Marks, now: dt.datetime
) -> None:
    runs = folded.runs(days)
    for table in (*SUMMARIES, ReportFold):
        session.execute(delete(table).where(folded.day_in(table.day, runs)))
    months = {day.replace(day=1) for day in days}  # no longer what their days add up to
    for month_table in (ReportLineMonth, ReportMonthFold):
        session.execute(delete(month_table).where(month_table.month.in_(months)))
    for day in days:
        lo, hi = local_midnight(day, zone), local_midnight(day + dt.timedelta(days=1), zone)
        where = [SalesOrder.created_at >= lo, SalesOrder.created_at < hi]
        for table, query in (
            (ReportOrderDay, fold_sql.order_sums(where)),
            (ReportLineDay, fold_sql.line_sums(where)),
            (ReportCustomerDay, fold_sql.customer_sums(where)),
            (ReportLeadDay, fold_sql.lead_sums(session, where)),
        ):
            sub = query.subquery()
            rows = select(literal(day, Date).label("day"), *sub.c)
            session.execute(table.__table__.insert().from_select(["day", *sub.c.keys()], rows))
    session.execute(
        ReportFold.__table__.insert(),
        [
            {"day": day, "zone": zone.key, "max_order_id": marks.order}
            | {"max_line_id": marks.line, "max_event_id": marks.event}
            | {"max_shipment_id": marks.shipment, "folded_at": now}
            for day in days
        ],
    )


def _fold_months(
    database: Database, zone: ZoneInfo, now: dt.datetime, cancelled: Callable[[], bool]
) -> None:
    """Sum the line days of every month whose days are all folded and whose month is
    not built yet into report_line_months, a month per transaction."""
    with database.read() as session:
        days = sorted(folded.folds(session, zone, dt.date.min, dt.date.max))
        built = set(session.scalars(select(ReportMonthFold.month)))
    have = set(days)
    months = sorted({d.replace(day=1) for d in days} - built)
    line = ReportLineDay
    keys = (line.channel, line.warehouse_id, line.currency, line.product_id, line.tax_rate_bp)
    sums = (line.lines, line.quantity, line.net, line.tax, line.total)
    for month in months:
        last = month_end(month)
        if cancelled() or any(
            month + dt.timedelta(days=n) not in have for n in range((last - month).days + 1)
        ):
            continue
        rows = (
            select(literal(month, Date), *keys, *(func.sum(c) for c in sums))
            .where(line.day >= month, line.day <= last)
            .group_by(*keys)
        )
        names = ["month", *(c.key for c in keys), *(c.key for c in sums)]
        with database.write() as session:
            # a second folder at once (SQLite has no advisory lock: its write lock orders
            # the two) may have built the month since `built` was read
            done = select(ReportMonthFold.month).where(ReportMonthFold.month == month)
            if session.scalar(done) is not None:
                continue
            session.execute(delete(ReportLineMonth).where(ReportLineMonth.month == month))
            session.execute(ReportLineMonth.__table__.insert().from_select(names, rows))
            session.execute(
                ReportMonthFold.__table__.insert(), [{"month": month, "folded_at": now}]
            )


def _read_marks(conn: object) -> Marks:
    tables = (SalesOrder.id, OrderLine.id, OrderEvent.id, Shipment.id)
    values = [conn.execute(select(func.coalesce(func.max(c), 0))).scalar_one() for c in tables]  # type: ignore[attr-defined]
    return Marks(*(int(v) for v in values))


def _marks(database: Database, attempts: int = 50) -> Marks:
    """The highest ids, every one at or below them committed (see the module's words)."""
    engine = database.engine
    if engine.dialect.name != "postgresql":
        with engine.connect() as conn:
            return _read_marks(conn)
    lock = "LOCK TABLE sales_orders, order_lines, order_events, shipments IN SHARE MODE NOWAIT"
    for attempt in range(attempts):
        with engine.connect() as conn:
            try:
                with conn.begin():
                    conn.execute(text(lock))
                    return _read_marks(conn)
            except OperationalError:  # a till is writing: try again in a moment
                time.sleep(min(0.05 * (attempt + 1), 0.5))
    raise ConflictError(
        _("The orders were busy the whole time: the reports' fold will try again later.")
    )


@contextlib.contextmanager
def _one_folder(database: Database) -> Iterator[None]:
    if database.engine.dialect.name != "postgresql":
        yield
        return
    with database.engine.connect() as conn:
        conn.execute(select(func.pg_advisory_lock(LOCK_KEY)))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(select(func.pg_advisory_unlock(LOCK_KEY)))
            conn.commit()
