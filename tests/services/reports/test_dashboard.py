"""The dashboard's numbers on a hand-built store: orders today, this week and in the same
stretch of last week by channel (in the shop's time zone, so a sale at 23:30 local is on
that local day), the open orders per stage, a late order, low stock, a print job that
failed against a printer that refuses the connection, a failed e-mail, and offline sales
waiting in a journal — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from app.core.auth import Role
from app.core.errors import PermissionDenied
from app.core.settings import set_setting
from app.models import OutboxMessage, SalesOrder
from app.services.notify import outbox
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.printing.printers import PrinterInput
from app.services.printing.worker import PrintWorker
from app.services.purchasing.rules import RuleInput, set_rule
from app.services.reports.dashboard import Period, bounds, dashboard
from app.services.sales import order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from tests import factories
from tests.conftest import role_actor

ZONE = "America/New_York"  # UTC-5 in December
NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # Wednesday 10:00 in New York


def _local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A New York wall time in 2026 (UTC-5 in November and December), as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) + timedelta(hours=5)


# (channel, placed at, total, status)
ORDERS = [
    ("web", _local(12, 2, 9), 1_000, "new"),  # today
    ("counter", _local(12, 1, 23, 30), 2_000, "completed"),  # Tuesday local, Wednesday UTC
    ("web", _local(12, 2, 8), 500, "cancelled"),  # today, but no sale
    ("phone", _local(11, 2, 8), 300, "shipped"),  # a month ago: in no figure
    ("phone", _local(11, 25, 8), 4_000, "shipped"),  # last Wednesday 08:00
    ("web", _local(11, 25, 11), 7_000, "shipped"),  # last Wednesday, after 10:00
    ("web", _local(11, 23, 9), 800, "delivered"),  # last Monday
]


def _store(database, actor):
    pid = factories.product(database, actor, price=1_000, stock=2)
    customer = factories.customer(database, actor)
    ids = []
    with database.write() as s:
        set_setting(s, actor, "timezone", ZONE)
        for channel, placed, total, status in ORDERS:
            entry = OrderInput("phone", (LineInput(pid, 1),), customer_id=customer)
            order = order_entry.create_order(s, actor, entry)
            s.execute(
                update(SalesOrder)
                .where(SalesOrder.id == order.id)
                .values(channel=channel, created_at=placed, total=total, status=status)
            )
            ids.append(order.id)
        # late: open and due yesterday; a shipped order past due is not late
        for order_id, due in ((ids[0], NOW - timedelta(days=1)), (ids[4], NOW - timedelta(days=3))):
            s.execute(update(SalesOrder).where(SalesOrder.id == order_id).values(due_at=due))
        set_rule(s, actor, RuleInput(_sku(s, pid), "MAIN", min_qty=5, max_qty=10))
        message = outbox.write(s, to="a@example.com", subject="Order", text="Hello")
        s.flush()
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id)
            .values(state="failed", last_error="550 no such user")
        )
        printer = printers.add_printer(
            s, actor, "till-1", PrinterInput("Off", "tcp://127.0.0.1:1?timeout=0.2", "receipt")
        )
        printing.enqueue(s, actor, printer, "receipt", b"X")
    PrintWorker(database, "till-1").run_once()  # refused: the job waits with the error
    return ids


def _sku(session, product_id):
    from app.models import Product

    return session.get(Product, product_id).sku


def test_bounds_are_local_midnights():
    at = bounds(NOW, ZONE)
    assert at.today == datetime(2026, 12, 2, 5, tzinfo=UTC)
    assert at.week == datetime(2026, 11, 30, 5, tzinfo=UTC)  # Monday
    assert at.last_today == datetime(2026, 11, 25, 5, tzinfo=UTC)
    assert at.last_week == datetime(2026, 11, 23, 5, tzinfo=UTC)
    assert at.last_now == NOW - timedelta(days=7)


def test_dashboard_numbers(database, admin, tmp_path):
    _store(database, admin)
    from app.services.sales.offline import OfflineJournal

    journal = OfflineJournal(tmp_path / "offline-till-1.sqlite")
    journal._db.execute(
        "INSERT INTO sales (key, sold_at, till, workstation, cart, tenders, total) "
        "VALUES ('k1', '2026-12-02', 'till-1', 'till-1', '[]', '[]', 100)"
    )
    journal.close()
    with database.read() as s:
        board = dashboard(
            s, admin, [tmp_path / "offline-till-1.sqlite", tmp_path / "none.sqlite"], now=NOW
        )
    assert board.timezone == ZONE and board.currency == "EUR"
    assert board.today == Period(orders=1, gross=1_000, last_orders=1, last_gross=4_000)
    assert board.week == Period(orders=2, gross=3_000, last_orders=2, last_gross=4_800)
    by_channel = {c.channel: c for c in board.channels}
    assert by_channel["counter"].week == Period(1, 2_000, 0, 0)
    assert by_channel["counter"].today == Period()
    assert by_channel["web"].week == Period(1, 1_000, 1, 800)
    assert by_channel["phone"].today == Period(0, 0, 1, 4_000)
    stages = dict(board.stages)
    assert stages["new"] == 1 and stages["confirmed"] == 0
    assert board.waiting == 1
    assert board.late == 1
    assert board.low_stock == 1
    assert board.print_jobs_failing == 1 and board.printers_failing == 1
    assert board.emails_failed == 1 and board.emails_retrying == 0
    assert board.offline_waiting == 1 and board.offline_parked == 0
    assert board.other_currencies == ()


def test_other_currencies_are_named_not_added(database, admin):
    ids = _store(database, admin)
    with database.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.id == ids[0]).values(currency="USD"))
    with database.read() as s:
        board = dashboard(s, admin, now=NOW)
    assert board.today.orders == 0 and board.other_currencies == ("USD",)


def test_dashboard_is_for_managers(database):
    with database.read() as s:
        dashboard(s, role_actor(Role.MANAGER), now=NOW)
        with pytest.raises(PermissionDenied):
            dashboard(s, role_actor(Role.CASHIER), now=NOW)
