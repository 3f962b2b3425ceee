"""app/services/purchasing/reorder.py: the run on a hand-built case equals the hand-computed
quantities, a second run orders nothing, a dry run writes nothing, two workstations
running at once order once, and the first sign-in of the day runs it once."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.auth import Role
from app.core.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, PurchaseOrder, PurchaseOrderLine, Setting
from app.services.purchasing import reorder
from app.services.purchasing.reorder import order_quantity, run_if_first_today, run_reorder
from tests.conftest import role_actor
from tests.services.purchasing import reorder_case
from tests.services.purchasing.reorder_case import EXPECTED, OVERSTOCK

DAY = date(2026, 12, 2)


def _skipped():
    return [{**s, "reason": reorder.NO_SUPPLIER} for s in reorder_case.SKIPPED]


def _counts(database):
    with database.read() as s:
        return (
            s.scalar(select(func.count()).select_from(PurchaseOrder)),
            s.scalar(select(func.coalesce(func.sum(PurchaseOrderLine.ordered), 0))),
            s.scalar(select(func.count()).select_from(AuditEntry)),
            s.scalar(select(func.count()).select_from(Setting)),
        )


def test_the_hand_built_case_then_a_second_run_orders_nothing(database, admin):
    ids = reorder_case.build(database, admin)
    with database.write() as s:
        first = run_reorder(s, admin, today=DAY).as_dict()
    assert first["purchase_orders"] == EXPECTED
    assert first["overstock"] == OVERSTOCK
    assert first["skipped"] == _skipped()
    with database.read() as s:
        drafts = s.scalars(
            select(PurchaseOrder)
            .where(PurchaseOrder.origin == "reorder")
            .order_by(PurchaseOrder.id)
        ).all()
        assert [(d.number, d.status) for d in drafts] == [
            ("PO-000001", "draft"),
            ("PO-000002", "draft"),
        ]
        assert drafts[0].expected_on == date(2026, 12, 7)  # ACME's 5 days' lead time
        lines = {
            ln.product_id: (ln.ordered, ln.received, ln.unit_cost, ln.supplier_sku)
            for ln in s.scalars(
                select(PurchaseOrderLine).where(
                    PurchaseOrderLine.order_id.in_([d.id for d in drafts])
                )
            )
        }
    assert lines == {
        ids["A-1"]: (24, 0, 250, "AC-A1"),  # ACME's cost, not the product's
        ids["A-2"]: (20, 0, 120, "AC-A2"),
        ids["A-3"]: (15, 0, 80, "AC-A3"),
        ids["B-1"]: (7, 0, 999, ""),  # no terms: the product's cost
    }
    with database.write() as s:
        second = run_reorder(s, admin, today=DAY).as_dict()
    assert second["purchase_orders"] == [] and second["skipped"] == _skipped()
    # What the rounding (multiple, minimum order, packs) bought beyond max is overstock now.
    assert [(o["sku"], o["projected"], o["excess"]) for o in second["overstock"]] == [
        ("A-1", 34, 4),
        ("A-2", 20, 12),
        ("A-3", 16, 6),
        ("O-1", 50, 30),
    ]


def test_a_dry_run_says_the_same_and_writes_nothing(database, admin):
    reorder_case.build(database, admin)
    before = _counts(database)
    with database.read() as s:
        dry = run_reorder(s, admin, dry_run=True).as_dict()
    assert _counts(database) == before
    assert dry["purchase_orders"] == [{**o, "number": None} for o in EXPECTED]
    assert dry["overstock"] == OVERSTOCK


def test_one_warehouse_only(database, admin):
    reorder_case.build(database, admin)
    with database.write() as s:
        west = run_reorder(s, admin, "west").as_dict()
    assert [(o["supplier"], o["warehouse"]) for o in west["purchase_orders"]] == [
        ("Bolt Ltd", "WEST")
    ]
    assert west["overstock"] == [] and west["skipped"] == []
    with database.read() as s, pytest.raises(ValidationError, match="no warehouse NOPE"):
        run_reorder(s, admin, "NOPE", dry_run=True)


def test_a_clerk_may_not_run_it(database, admin):
    with database.write() as s, pytest.raises(PermissionDenied):
        run_reorder(s, role_actor(Role.CLERK))


def _run_holding(database, actor, started: threading.Event, results: list, hold: float) -> None:
    with database.write() as s:
        results.append(len(run_reorder(s, actor, today=DAY).purchase_orders))
        started.wait(5)
        time.sleep(hold)  # the other workstation is running now, before this one commits


def test_two_workstations_at_once_order_once(database, admin):
    """Without the lock the second run reads before the first commits and orders again."""
    reorder_case.build(database, admin)
    started = threading.Event()
    results: list[int] = []
    first = threading.Thread(target=_run_holding, args=(database, admin, started, results, 0.5))
    first.start()
    while not results:  # the first has planned and written, not committed
        time.sleep(0.01)

    def second() -> None:
        started.set()
        with database.write() as s:
            results.append(len(run_reorder(s, admin, today=DAY).purchase_orders))

    other = threading.Thread(target=second)
    other.start()
    first.join(30)
    other.join(30)
    assert results == [2, 0]
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(PurchaseOrder)) == 4 + 2


def test_the_first_sign_in_of_the_day_runs_it_once(database, admin):
    reorder_case.build(database, admin)
    with database.write() as s:
        morning = run_if_first_today(s, admin, DAY)
    assert morning is not None and len(morning.purchase_orders) == 2
    with database.write() as s:
        assert run_if_first_today(s, admin, DAY) is None
    with database.write() as s:
        tomorrow = run_if_first_today(s, admin, date(2026, 12, 3))
    assert tomorrow is not None and tomorrow.purchase_orders == ()


def test_the_day_is_claimed_once_under_concurrency(database, admin):
    reorder_case.build(database, admin)
    with database.write() as s:  # yesterday's run: the row exists, only its lock serialises
        assert run_if_first_today(s, admin, date(2026, 12, 1)) is not None
    results: list[object] = []
    gate = threading.Barrier(2)

    def sign_in() -> None:
        gate.wait(5)
        with database.write() as s:
            results.append(run_if_first_today(s, admin, DAY))

    threads = [threading.Thread(target=sign_in) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(r is None for r in results) == [False, True]


@given(
    projected=st.integers(0, 1000),
    span=st.integers(1, 1000),
    multiple=st.integers(1, 50),
    moq=st.integers(1, 200),
    pack=st.integers(1, 24),
)
def test_order_quantity_reaches_max_and_honours_multiple_moq_and_pack(
    projected, span, multiple, moq, pack
):
    max_qty = projected + span
    quantity = order_quantity(projected, max_qty, multiple, moq, pack)
    assert projected + quantity >= max_qty
    assert quantity >= moq
    assert quantity % pack == 0
    if pack == 1:
        assert quantity % multiple == 0 or quantity == moq
    if pack == 1 and moq == 1:
        assert quantity - multiple < max_qty - projected  # no whole extra multiple
