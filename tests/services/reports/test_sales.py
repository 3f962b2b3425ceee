"""The `sales` report on the hand-built shop (shop_case), on SQLite and PostgreSQL: every
number hand-computed from the table in shop_case's docstring."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from app.core.errors import NotFound, ValidationError
from app.models import SalesOrder
from app.services.reports.base import Filters, run_report
from tests.services.reports import shop_case

DEC = dt.date(2026, 12, 1)


@pytest.fixture
def case(database, admin):
    return shop_case.build(database, admin)


def _sales(database, admin, **kwargs):
    filters = Filters(kwargs.pop("start", DEC), kwargs.pop("end", dt.date(2026, 12, 31)), **kwargs)
    with database.read() as s:
        return run_report(s, admin, "sales", filters)


def test_sales_by_day_in_the_shops_zone(database, admin, case):
    result = _sales(database, admin)
    assert result.as_json()["rows"] == [
        # S1 at 23:30 local on the 1st is 04:30 UTC on the 2nd: it belongs to the 1st
        {"period": "2026-12-01", "channel": "counter", "orders": 1, "gross": 2460, "tax": 460,
         "refunds": 0, "net": 2460},
        {"period": "2026-12-02", "channel": "counter", "orders": 1, "gross": 350, "tax": 0,
         "refunds": 0, "net": 350},
        # P1 was cancelled; P2 counts whole though only half of it has shipped
        {"period": "2026-12-02", "channel": "phone", "orders": 1, "gross": 2460, "tax": 460,
         "refunds": 0, "net": 2460},
        # the salt came back the next day: a refund of that day, not of the sale's
        {"period": "2026-12-03", "channel": "counter", "orders": 0, "gross": 0, "tax": 0,
         "refunds": 350, "net": -350},
    ]  # fmt: skip
    assert result.totals == {"orders": 3, "gross": 5270, "tax": 920, "refunds": 350, "net": 4920}
    assert (result.currency, result.timezone) == ("EUR", "America/New_York")


def test_sales_by_week_and_month(database, admin, case):
    week = _sales(database, admin, group="week").rows
    assert week == [
        {"period": "2026-11-30", "channel": "counter", "orders": 2, "gross": 2810, "tax": 460,
         "refunds": 350, "net": 2460},
        {"period": "2026-11-30", "channel": "phone", "orders": 1, "gross": 2460, "tax": 460,
         "refunds": 0, "net": 2460},
    ]  # fmt: skip
    month = _sales(database, admin, group="month").rows
    assert [(r["period"], r["channel"], r["net"]) for r in month] == [
        ("2026-12-01", "counter", 2460),
        ("2026-12-01", "phone", 2460),
    ]


def test_sales_range_and_filters(database, admin, case):
    only_first = _sales(database, admin, end=DEC)  # local day 1 only: S1 and nothing else
    assert [(r["period"], r["orders"]) for r in only_first.rows] == [("2026-12-01", 1)]
    phone = _sales(database, admin, channel="phone")
    assert [(r["channel"], r["gross"]) for r in phone.rows] == [("phone", 2460)]
    nothing = _sales(database, admin, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert nothing.rows == [] and nothing.notes
    with pytest.raises(NotFound, match="no warehouse NOPE"):
        _sales(database, admin, warehouse="NOPE")


def test_two_currencies_are_refused(database, admin, case):
    with database.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.id == case.p2).values(currency="GBP"))
    with pytest.raises(ValidationError, match="EUR, GBP"):
        _sales(database, admin)
    assert _sales(database, admin, end=DEC).currency == "EUR"  # a range with one is fine


def test_bad_ranges_are_refused():
    with pytest.raises(ValidationError, match="ends before it starts"):
        Filters(dt.date(2026, 12, 2), dt.date(2026, 12, 1))
    with pytest.raises(ValidationError, match="at most 10 years"):
        Filters(dt.date(2006, 1, 1), dt.date(2025, 12, 31))
    Filters(dt.date(2016, 1, 1), dt.date(2025, 12, 31))  # ten years is fine
