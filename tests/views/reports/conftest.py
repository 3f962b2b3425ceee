"""A report registered for the screen's tests only (the real reports are written on their
own branch): orders and gross per day of the range, from sales_orders, with a bar chart;
and a slow one that waits until it is cancelled. Both leave base.REGISTRY as they found it."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

import pytest
from sqlalchemy import func, select

from app.models import SalesOrder
from app.services.reports import base
from app.services.reports.base import Chart, Column, Filters, ReportDef, ReportResult

NAME = "test_daily_orders"
SLOW = "test_slow"


def _run(session, filters: Filters, cancelled) -> ReportResult:  # noqa: ARG001
    start = datetime.combine(filters.start, dtime(0), UTC)
    end = datetime.combine(filters.end + timedelta(days=1), dtime(0), UTC)
    day = func.date(SalesOrder.created_at)
    stmt = select(day, func.count(), func.sum(SalesOrder.total)).where(
        SalesOrder.created_at >= start, SalesOrder.created_at < end
    )
    if filters.channel:
        stmt = stmt.where(SalesOrder.channel == filters.channel)
    rows = [
        {"period": str(period), "orders": int(orders), "gross": int(gross)}
        for period, orders, gross in session.execute(stmt.group_by(day).order_by(day))
    ]
    return ReportResult(
        name=NAME,
        title="Orders per day (test)",
        definition="Every order placed in the range, counted and summed per UTC day.",
        filters=filters,
        columns=(
            Column("period", "Date", "date"),
            Column("orders", "Orders", "int"),
            Column("gross", "Total", "money"),
        ),
        rows=rows,
        chart=Chart("bar", "period", ("gross",)),
        currency="EUR",
        timezone="UTC",
        notes=() if rows else ("No order was placed in this range.",),
    )


SLOW_STARTED = threading.Event()


def _slow(session, filters: Filters, cancelled) -> ReportResult:  # noqa: ARG001
    SLOW_STARTED.set()
    deadline = time.monotonic() + 20
    while not cancelled() and time.monotonic() < deadline:
        time.sleep(0.01)
    return ReportResult(
        SLOW, "Slow", "Waits to be cancelled.", filters, (), [], Chart("none"), "EUR", "UTC"
    )


@pytest.fixture
def test_report():
    base.register(
        ReportDef(NAME, "Orders per day (test)", "Per UTC day.", frozenset({"channel"}), _run)
    )
    base.register(ReportDef(SLOW, "Slow (test)", "Waits to be cancelled.", frozenset(), _slow))
    yield NAME
    base.REGISTRY.pop(NAME, None)
    base.REGISTRY.pop(SLOW, None)
