"""The manager's first screen in numbers: what sold today and this week by channel against
the same period last week, what waits at each stage, what is late, what is missing, and
what is failing (printers, e-mail, offline sales not yet on the server).

One call, a handful of grouped statements over indexed columns (created_at, status,
state), so it stays cheap on a million orders: the sales read only the two weeks in
question, the stages only the open orders, the problems only the waiting jobs and
messages. Days are the shop's local days (its time zone setting); weeks start on Monday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.core.auth import Actor, Permission, require
from app.core.changes import ChangeSet
from app.models import (
    Location,
    LocationKind,
    OrderStatus,
    OutboxMessage,
    PrintJob,
    ReorderRule,
    SalesOrder,
    StockLevel,
    utcnow,
)
from app.services.reports.base import planner
from app.services.shop import shop_details

# Orders still on their way through the house, in lifecycle order: the stage tiles.
OPEN_STATUSES: tuple[str, ...] = (
    OrderStatus.NEW.value,
    OrderStatus.ACCEPTED.value,
    OrderStatus.CONFIRMED.value,
    OrderStatus.PICKING.value,
    OrderStatus.PACKED.value,
    OrderStatus.PARTLY_SHIPPED.value,
    OrderStatus.ON_HOLD.value,
)
NOT_SALES = (OrderStatus.CANCELLED.value,)  # placed, but no sale: not in the figures


@dataclass(frozen=True)
class Period:
    """Orders placed (not cancelled) and their gross total in minor units, against the
    same stretch of last week (Monday to now, or midnight to now, seven days earlier)."""

    orders: int = 0
    gross: int = 0
    last_orders: int = 0
    last_gross: int = 0


@dataclass(frozen=True)
class ChannelSales:
    channel: str
    today: Period
    week: Period


@dataclass(frozen=True)
class Bounds:
    """The instants (UTC) the sales tiles compare."""

    now: datetime
    today: datetime  # local midnight today
    week: datetime  # local midnight last Monday (or today, a Monday)
    last_now: datetime  # the same local wall time seven days ago
    last_today: datetime
    last_week: datetime


@dataclass(frozen=True)
class Dashboard:
    as_of: datetime
    timezone: str
    currency: str
    today: Period
    week: Period
    channels: tuple[ChannelSales, ...]
    stages: tuple[tuple[str, int], ...]  # (status, open orders), OPEN_STATUSES order
    late: int  # open orders past their due date
    low_stock: int  # active reorder rules whose warehouse has less free stock than min
    print_jobs_failing: int  # waiting jobs that failed at least once, or held
    printers_failing: int  # distinct printers behind those jobs
    emails_failed: int  # refused for good (5xx, or out of attempts)
    emails_retrying: int  # failed once, waiting to be tried again
    offline_waiting: int  # journal sales at this workstation not yet on the server
    offline_parked: int  # journal sales whose sync hit a bug: for a manager
    other_currencies: tuple[str, ...] = ()  # sales in them are left out of the totals

    @property
    def waiting(self) -> int:
        return sum(count for _status, count in self.stages)


def bounds(now: datetime, zone: str) -> Bounds:
    """Local midnights in the shop's zone, turned to UTC: a sale at 23:30 local belongs to
    that local day, and a day of a DST change is as long as it is."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    day = local.date()
    monday = day - timedelta(days=day.weekday())

    def midnight(of: date) -> datetime:
        return datetime.combine(of, time(0), tz).astimezone(UTC)

    last_wall = local.replace(tzinfo=None) - timedelta(days=7)
    return Bounds(
        now=now.astimezone(UTC),
        today=midnight(day),
        week=midnight(monday),
        last_now=last_wall.replace(tzinfo=tz).astimezone(UTC),
        last_today=midnight(day - timedelta(days=7)),
        last_week=midnight(monday - timedelta(days=7)),
    )


def dashboard(
    session: Session,
    actor: Actor,
    journals: Iterable[Path] = (),
    now: datetime | None = None,
) -> Dashboard:
    """Everything the dashboard's tiles show, read in one go. `journals` are this
    workstation's offline journals (the counter's files); `now` is for tests."""
    require(actor, Permission.REPORTS_VIEW)
    planner(session)  # JIT off: it spent 66 ms compiling the low-stock count on PostgreSQL
    shop = shop_details(session)
    at = bounds(now or utcnow(), shop.timezone)
    today, week, channels, others = _sales(session, at, shop.currency)
    stages, late = _stages(session, at.now)
    jobs, printers, failed, retrying = _problems(session)
    waiting, parked = offline_counts(journals)
    return Dashboard(
        as_of=at.now,
        timezone=shop.timezone,
        currency=shop.currency,
        today=today,
        week=week,
        channels=channels,
        stages=stages,
        late=late,
        low_stock=_low_stock(session),
        print_jobs_failing=jobs,
        printers_failing=printers,
        emails_failed=failed,
        emails_retrying=retrying,
        offline_waiting=waiting,
        offline_parked=parked,
        other_currencies=others,
    )


def _sum_if(condition: ColumnElement[bool], value: Any) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _sales(
    session: Session, at: Bounds, currency: str
) -> tuple[Period, Period, tuple[ChannelSales, ...], tuple[str, ...]]:
    """One range read of the created_at index (last Monday a week ago to now), summed
    four ways per channel by CASE: today, this week, and the same two last week."""
    o = SalesOrder
    this_week = o.created_at >= at.week
    last_week = o.created_at < at.last_now
    today = o.created_at >= at.today
    last_today = and_(o.created_at >= at.last_today, last_week)
    one = literal(1)
    rows = session.execute(
        select(
            o.channel,
            o.currency,
            _sum_if(today, one),
            _sum_if(today, o.total),
            _sum_if(last_today, one),
            _sum_if(last_today, o.total),
            _sum_if(this_week, one),
            _sum_if(this_week, o.total),
            _sum_if(last_week, one),
            _sum_if(last_week, o.total),
        )
        .where(
            o.created_at >= at.last_week,
            o.created_at < at.now,
            o.status.not_in(NOT_SALES),
            # the gap between last week's "now" and this Monday is read by neither side
            (o.created_at < at.last_now) | (o.created_at >= at.week),
        )
        .group_by(o.channel, o.currency)
        .order_by(o.channel)
    ).all()
    channels: list[ChannelSales] = []
    others: set[str] = set()
    for channel, money, *n in rows:
        if money != currency:
            others.add(money)
            continue
        figures = [int(v) for v in n]
        channels.append(ChannelSales(channel, Period(*figures[0:4]), Period(*figures[4:8])))
    return (
        _total(c.today for c in channels),
        _total(c.week for c in channels),
        tuple(channels),
        tuple(sorted(others)),
    )


def _total(periods: Iterable[Period]) -> Period:
    got = list(periods)
    return Period(
        sum(p.orders for p in got),
        sum(p.gross for p in got),
        sum(p.last_orders for p in got),
        sum(p.last_gross for p in got),
    )


def _stages(session: Session, now: datetime) -> tuple[tuple[tuple[str, int], ...], int]:
    """Open orders per status, and how many of them are past due_at: the status index
    reads only the open orders, however long the history."""
    o = SalesOrder
    late = o.due_at.is_not(None) & (o.due_at < now)
    counts = {
        status: (int(count), int(overdue))
        for status, count, overdue in session.execute(
            select(o.status, func.count(), _sum_if(late, literal(1)))
            .where(o.status.in_(OPEN_STATUSES))
            .group_by(o.status)
        )
    }
    stages = tuple((status, counts.get(status, (0, 0))[0]) for status in OPEN_STATUSES)
    return stages, sum(overdue for _count, overdue in counts.values())


def _low_stock(session: Session) -> int:
    """Active rules with a minimum whose warehouse holds less free stock (on hand less
    reserved, in its own bins) than that minimum: what the reorder run would look at.
    Rules with no minimum cannot be under it, and are not read."""
    rule = ReorderRule
    free = (
        select(func.coalesce(func.sum(StockLevel.on_hand - StockLevel.reserved), 0))
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            StockLevel.product_id == rule.product_id,
            Location.warehouse_id == rule.warehouse_id,
            Location.kind == LocationKind.INTERNAL.value,
        )
        .correlate(rule)
        .scalar_subquery()
    )
    return int(
        session.scalar(
            select(func.count())
            .select_from(rule)
            .where(rule.active.is_(True), rule.min_qty > 0, free < rule.min_qty)
        )
        or 0
    )


def _problems(session: Session) -> tuple[int, int, int, int]:
    """(failing print jobs, printers behind them, e-mails failed, e-mails retrying) in one
    statement. Each count is an equality on the state, which SQLite's planner reads
    through the (state, id) index even when its statistics say a state is a third of
    the table (an IN of two states it scanned whole): only the waiting jobs and the
    unsent messages are read, however long the history."""
    job, mail = PrintJob, OutboxMessage
    held = job.state == "held"
    retrying_job = (job.state == "queued") & (job.last_error != "")

    def count(table: Any, *where: ColumnElement[bool], of: Any = None) -> Any:
        counted = func.count() if of is None else func.count(of.distinct())
        return select(counted).select_from(table).where(*where).scalar_subquery()

    row = session.execute(
        select(
            count(job, held),
            count(job, retrying_job),
            count(job, held | retrying_job, of=job.printer_id),
            count(mail, mail.state == "failed"),
            count(mail, mail.state == "queued", mail.last_error != ""),
        )
    ).one()
    return int(row[0] + row[1]), int(row[2]), int(row[3]), int(row[4])


@dataclass(frozen=True)
class LateOrder:
    id: int
    number: str
    status: str
    customer_name: str
    due_at: datetime
    total: int
    currency: str


def late_orders(
    session: Session, actor: Actor, offset: int = 0, limit: int = 100, now: datetime | None = None
) -> list[LateOrder]:
    """The late-orders tile's list: open orders past their due date, the longest overdue
    first (the Orders screen has no due-date filter; this is the list behind the tile)."""
    require(actor, Permission.REPORTS_VIEW)
    o = SalesOrder
    rows = session.execute(
        select(o.id, o.number, o.status, o.customer_name, o.due_at, o.total, o.currency)
        .where(o.status.in_(OPEN_STATUSES), o.due_at.is_not(None), o.due_at < (now or utcnow()))
        .order_by(o.due_at, o.id)
        .offset(offset)
        .limit(limit)
    )
    return [LateOrder(*row) for row in rows]  # type: ignore[arg-type]  # due_at is set


def offline_counts(journals: Iterable[Path]) -> tuple[int, int]:
    """(waiting, parked) sales in the offline journals that exist among `journals`."""
    from app.services.sales.offline import OfflineJournal

    waiting = parked = 0
    for path in journals:
        if not path.is_file():
            continue
        journal = OfflineJournal(path)
        try:
            waiting += journal.pending_count()
            parked += journal.parked_count()
        finally:
            journal.close()
    return waiting, parked


def change_matters(change: ChangeSet) -> bool:
    """Whether a change notice can move a tile (the screen re-reads only then)."""
    return change.touches_orders or change.touches_products or bool(change.kinds & WATCHED_KINDS)


WATCHED_KINDS = frozenset(
    {"remote", "print_jobs", "printers", "outbox", "reorder_rules", "purchasing", "settings"}
)
