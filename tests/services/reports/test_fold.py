"""The closed-day summaries (services/reports/fold.py, folded.py): every report that reads
them gives the same numbers folded, unfolded and mixed, and the hand-computed ones of
shop_case, on SQLite and PostgreSQL; days touched after their fold (a late order, a
cancellation, a shipment) are computed live until the next fold; folding is idempotent,
`--rebuild` equals a fresh fold and two folders at once do not double."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from app.core.settings import set_setting
from app.models import (
    ReportCustomerDay,
    ReportFold,
    ReportLeadDay,
    ReportLineDay,
    ReportOrderDay,
    SalesOrder,
    Shipment,
)
from app.services.reports import fold, folded
from app.services.reports.base import Filters, run_report
from app.services.reports.periods import shop_zone
from app.services.sales import order_actions, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from tests import factories
from tests.services.reports import shop_case

DECEMBER = Filters(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
WEEKS = Filters(dt.date(2026, 11, 30), dt.date(2026, 12, 31), group="week")
FOLDED = ("sales", "top_products", "top_customers", "margin", "margin_categories")
FOLDED += ("tax_rates", "lead_time")
LATER = shop_case.local("2027-01-05T12:00")  # every December day closed
TABLES = (ReportFold, ReportOrderDay, ReportLineDay, ReportCustomerDay, ReportLeadDay)


def numbers(database, admin, filters=DECEMBER):
    out = {}
    with database.read() as s:
        for name in FOLDED:
            result = run_report(s, admin, name, filters)
            out[name] = (result.rows, result.totals, result.notes)
        weeks = run_report(s, admin, "sales", WEEKS)
        out["sales weeks"] = (weeks.rows, weeks.totals)
    return out


def live_numbers(database, admin):
    """The same reports with no day folded (the folds put back after)."""
    with database.write() as s:
        kept = s.execute(select(ReportFold.__table__)).mappings().all()
        s.execute(delete(ReportFold))
    try:
        return numbers(database, admin)
    finally:
        with database.write() as s:
            s.execute(delete(ReportFold))
            if kept:
                s.execute(ReportFold.__table__.insert(), [dict(row) for row in kept])


def split(database):
    with database.read() as s:
        return folded.split(s, DECEMBER, shop_zone(s))


def contents(database):
    with database.read() as s:
        return {
            t.__tablename__: sorted(
                tuple(v for k, v in r.items() if k != "folded_at")
                for r in s.execute(select(t.__table__)).mappings()
            )
            for t in TABLES
        }


def hand_checked(got):
    """shop_case's numbers, by hand (as in test_catalogue)."""
    rows, totals, _notes = got["top_products"]
    assert [(r["name"], r["quantity"], r["revenue"], r["net"]) for r in rows] == [
        ("Coffee", 4, 4920, 4000),
        ("Sea salt", 1, 350, 350),
    ]
    rows, totals, _notes = got["sales"]
    assert (totals["orders"], totals["gross"], totals["refunds"]) == (3, 5270, 350)
    # S1 at 23:30 local on the 1st is the 2nd in UTC: it stays on its local day
    assert [(r["period"], r["channel"], r["orders"]) for r in rows][0] == (
        "2026-12-01",
        "counter",
        1,
    )
    rows, totals, _notes = got["margin"]
    assert totals == {"quantity": 5, "revenue": 4350, "cost": 2400, "margin": 1950}
    rows, _totals, _notes = got["tax_rates"]
    assert [(r["rate"], r["lines"], r["net"], r["tax"]) for r in rows] == [
        (0, 1, 350, 0),
        (2300, 2, 4000, 920),
    ]
    rows, _totals, _notes = got["lead_time"]
    assert [(r["channel"], r["shipped"], r["median_hours"], r["on_time"]) for r in rows] == [
        ("phone", 1, 24.0, 0)
    ]
    rows, _totals, _notes = got["top_customers"]
    assert [(r["customer"], r["orders"], r["revenue"]) for r in rows] == [
        ("Walk-in customer", 2, 2810),
        ("Orla Walsh", 1, 2460),
    ]


@pytest.fixture
def shop(database, admin):
    return shop_case.build(database, admin)


def test_folded_unfolded_and_mixed_equal_the_hand_computed(database, admin, shop):
    live = numbers(database, admin)
    hand_checked(live)
    # mixed: at 06:00 on the 3rd the 1st and 2nd are closed, the 3rd on are live
    part = fold.fold(database, admin, now=shop_case.local("2026-12-03T06:00"))
    assert (part.folded, part.last_closed) == (2, dt.date(2026, 12, 2))
    days = split(database)
    assert days.folded == ((dt.date(2026, 12, 1), dt.date(2026, 12, 2)),)
    assert numbers(database, admin) == live
    whole = fold.fold(database, admin, now=LATER)
    assert whole.folded == 33  # the 3rd to 4 January
    assert split(database).live == ()
    assert numbers(database, admin) == live
    hand_checked(numbers(database, admin))


def _order(database, admin, product, customer, at, due=None):
    with database.write() as s:
        order_id = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(product, 1),), customer_id=customer)
        ).id
        s.execute(
            update(SalesOrder).where(SalesOrder.id == order_id).values(created_at=at, due_at=due)
        )
    return order_id


def test_days_touched_after_their_fold_are_live_until_refolded(database, admin, shop):
    customer = factories.customer(database, admin, "Noel Byrne")
    placed = shop_case.local("2026-12-06T09:00")
    waiting = _order(database, admin, shop.coffee, customer, placed, placed + dt.timedelta(hours=5))
    doomed = _order(database, admin, shop.salt, customer, shop_case.local("2026-12-07T10:00"))
    fold.fold(database, admin, now=LATER)
    before = numbers(database, admin)
    assert before == live_numbers(database, admin)
    assert before["top_products"][1]["quantity"] == 7  # 4 + 1 coffee, 1 + 1 salt
    assert before["lead_time"][2] == ("2 orders placed in the range have not shipped yet.",)

    # a late order on a folded day (an offline sale synced late, an import, raw SQL)
    _order(database, admin, shop.salt, customer, shop_case.local("2026-12-05T11:00"))
    # a folded day's order cancelled, another shipped 2 hours after it was placed
    with database.write() as s:
        order_actions.cancel(s, admin, doomed, "changed their mind")
        s.add(Shipment(order_id=waiting, shipped_at=placed + dt.timedelta(hours=2)))
    days = split(database)
    live_days = {lo + dt.timedelta(n) for lo, hi in days.live for n in range((hi - lo).days + 1)}
    assert {dt.date(2026, 12, 5), dt.date(2026, 12, 6), dt.date(2026, 12, 7)} <= live_days
    after = numbers(database, admin)
    assert after == live_numbers(database, admin)
    rows, totals, _notes = after["top_products"]
    assert totals["quantity"] == 7  # the late salt in, the cancelled salt out
    (phone,) = after["lead_time"][0]
    assert (phone["shipped"], phone["median_hours"], phone["p90_hours"]) == (2, 2.0, 2.0)
    assert (phone["with_due"], phone["on_time"]) == (2, 1)
    # the late one waits; the cancelled one no longer counts, the shipped one has shipped
    assert after["lead_time"][2] == ("1 order placed in the range has not shipped yet.",)
    assert after["sales"][1]["orders"] == 5  # S1, S2, P2, the shipped one, the late one

    again = fold.fold(database, admin, now=LATER)
    assert again.refolded == 3 and again.folded == 3
    assert split(database).live == ()
    assert numbers(database, admin) == after


def test_fold_is_idempotent_and_rebuild_equals_a_fresh_fold(database, admin, shop):
    first = fold.fold(database, admin, now=LATER)
    folded_once = contents(database)
    assert folded_once["report_line_days"] and first.folded == 35  # 1 December to 4 January
    second = fold.fold(database, admin, now=LATER)
    assert (second.folded, second.refolded) == (0, 0)
    assert contents(database) == folded_once
    rebuilt = fold.fold(database, admin, rebuild=True, now=LATER)
    assert rebuilt.cleared and rebuilt.folded == 35
    assert contents(database) == folded_once


def test_progress_and_cancel(database, admin, shop):
    seen = []
    stop = fold.fold(
        database, admin, progress=lambda done, total: seen.append((done, total)),
        cancelled=lambda: bool(seen), now=LATER,
    )  # fmt: skip
    assert seen == [(1, 35)] and stop.pending == 34
    assert numbers(database, admin) == live_numbers(database, admin)


def test_two_folders_at_once_do_not_double(database, admin, shop):
    live = numbers(database, admin)
    errors = []

    def folder():
        try:
            fold.fold(database, admin, now=LATER)
        except Exception as exc:  # a failure is the test's failure, not the thread's
            errors.append(exc)

    threads = [threading.Thread(target=folder) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportFold)) == 35
    assert numbers(database, admin) == live


def test_a_change_of_time_zone_clears_the_folds(database, admin, shop):
    fold.fold(database, admin, now=LATER)
    with database.write() as s:
        set_setting(s, admin, "timezone", "Europe/Dublin")
    assert split(database).folded == ()  # the reports ignore the old zone's folds at once
    moved = numbers(database, admin)
    again = fold.fold(database, admin, now=LATER)
    assert again.cleared
    assert numbers(database, admin) == moved
    # in Dublin the first order is on the 2nd: days before it are never folded (empty)
    assert split(database).folded == ((dt.date(2026, 12, 2), dt.date(2026, 12, 31)),)


def test_the_worker_folds_only_while_it_holds_the_lease(database, admin, shop):
    from app.services.reports.fold_worker import FoldWorker

    first, second = FoldWorker(database, "ws-1"), FoldWorker(database, "ws-2")
    done = first.round()
    assert done is not None and done.folded >= 1  # today's clock: at least 1 and 2 Dec
    assert second.round() is None  # ws-1 holds the lease
    first.start()
    first.stop()  # gives the lease up
    assert second.round() is not None


ORDERS = st.lists(
    st.tuples(
        st.integers(0, 9),  # day of December
        st.integers(0, 24 * 60 - 1),  # minute of the local day
        st.sampled_from(("phone", "email", "web")),
        st.integers(1, 3),  # quantity
        st.booleans(),  # cancelled
        st.one_of(st.none(), st.integers(0, 3 * 24 * 60)),  # shipped after, minutes
        st.one_of(st.none(), st.integers(0, 3 * 24 * 60)),  # due after, minutes
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(orders=ORDERS, fold_day=st.integers(1, 12), late=st.integers(0, 9))
def test_folded_equals_live_on_random_orders(database, admin, orders, fold_day, late):
    coffee = factories.product(database, admin, price=1230, tax=2300, track=False)
    customer = factories.customer(database, admin, "Hypo Walsh")
    with database.write() as s:
        set_setting(s, admin, "timezone", shop_case.ZONE)

    def place(day, minute, channel, qty, cancelled, shipped, due):
        at = shop_case.local(f"2026-12-{day + 1:02d}T00:00") + dt.timedelta(minutes=minute)
        with database.write() as s:
            order_id = order_entry.create_order(
                s, admin, OrderInput(channel, (LineInput(coffee, qty),), customer_id=customer)
            ).id
            due_at = at + dt.timedelta(minutes=due) if due is not None else None
            values = {"created_at": at, "due_at": due_at}
            if cancelled:
                values["status"] = "cancelled"
            s.execute(update(SalesOrder).where(SalesOrder.id == order_id).values(**values))
            if shipped is not None:
                s.add(Shipment(order_id=order_id, shipped_at=at + dt.timedelta(minutes=shipped)))

    for order in orders:
        place(*order)
    now = shop_case.local(f"2026-12-{fold_day:02d}T12:00")
    fold.fold(database, admin, rebuild=True, now=now)
    assert numbers(database, admin) == live_numbers(database, admin)
    place(late, 600, "phone", 2, False, 90, None)  # late, on a folded day or not
    assert numbers(database, admin) == live_numbers(database, admin)
