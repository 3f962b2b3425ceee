"""The ledger: every operation moves stock, levels always equal the ledger's sums."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from app.core.errors import KestrelError, OutOfStock, ValidationError
from app.models import Location, StockMove
from app.services.stock import catalogue, inventory
from app.services.stock.integrity import check
from tests import factories


@pytest.fixture
def two_bins(database, admin):
    with database.write() as s:
        return factories.main_bin(s), factories.bin_beside_main(s, "MAIN-B2", 2)


def levels(database, pid):
    with database.read() as s:
        return {r.location_code: (r.on_hand, r.reserved) for r in catalogue.product_stock(s, pid)}


def test_receive_reserve_consume_release_adjust_transfer(database, admin, two_bins):
    a, b = two_bins
    pid = factories.product(database, admin)
    with database.write() as s:
        inventory.receive(s, admin, pid, a, 10)
        inventory.transfer(s, admin, pid, a, b, 4)
        held = inventory.reserve(s, admin, pid, a, 5, inventory.MoveRef("order_line", 1))
        gone = inventory.reserve(s, admin, pid, b, 1, inventory.MoveRef("order_line", 2))
    assert levels(database, pid) == {"MAIN-STOCK": (6, 5), "MAIN-B2": (4, 1)}
    with database.write() as s:
        inventory.consume(s, admin, gone)
        inventory.release(s, admin, held)
        inventory.adjust(s, admin, pid, a, -2, "broken in the aisle")
    assert levels(database, pid) == {"MAIN-STOCK": (4, 0), "MAIN-B2": (3, 0)}
    with database.read() as s:
        assert check(s) == []
        reasons = s.scalars(select(StockMove.reason).where(StockMove.origin_type == "adjustment"))
        assert list(reasons) == ["broken in the aisle"]


def test_cannot_take_more_than_is_free(database, admin, two_bins):
    a, _ = two_bins
    pid = factories.product(database, admin, stock=3)
    with database.write() as s:
        inventory.reserve(s, admin, pid, a, 2, inventory.MoveRef("order_line", 1))
    for op in (
        lambda s: inventory.reserve(s, admin, pid, a, 2, inventory.MoveRef("order_line", 2)),
        lambda s: inventory.issue(s, admin, pid, a, 2, inventory.MoveRef("order_line", 3)),
        lambda s: inventory.adjust(s, admin, pid, a, -2, "count"),
    ):
        with database.write() as s, pytest.raises(OutOfStock, match="Only 1 of"):
            op(s)
    assert levels(database, pid) == {"MAIN-STOCK": (3, 2)}


def test_bad_input_is_refused(database, admin, two_bins):
    a, b = two_bins
    pid = factories.product(database, admin, stock=3)
    service = factories.product(database, admin, track=False)
    with database.read() as s:
        virtual = s.scalar(select(Location.id).where(Location.kind == "customer"))
    cases = [
        (lambda s: inventory.receive(s, admin, pid, a, -1), "more than zero"),
        (lambda s: inventory.receive(s, admin, pid, a, 0), "more than zero"),
        (lambda s: inventory.receive(s, admin, pid, a, 10**9), "more than"),
        (lambda s: inventory.receive(s, admin, pid, virtual, 1), "not a bin"),
        (lambda s: inventory.receive(s, admin, service, a, 1), "not a stock-tracked"),
        (lambda s: inventory.adjust(s, admin, pid, a, 1, ""), "Reason is required"),
        (lambda s: inventory.transfer(s, admin, pid, a, a, 1), "two different"),
    ]
    for op, message in cases:
        with database.write() as s, pytest.raises(ValidationError, match=message):
            op(s)
    assert levels(database, pid) == {"MAIN-STOCK": (3, 0)}


def test_check_catches_a_level_corrupted_by_hand(database, admin, two_bins):
    pid = factories.product(database, admin, stock=5)
    with database.write() as s:
        s.execute(text("UPDATE stock_levels SET on_hand = 7 WHERE product_id = :p"), {"p": pid})
    with database.read() as s:
        problems = check(s)
    assert [p.kind for p in problems] == ["stock-ledger"]
    assert "level says 7 on hand" in problems[0].message
    assert "the ledger says 5" in problems[0].message


OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["receive", "reserve", "release", "consume", "adjust", "transfer", "issue"]
        ),
        st.integers(0, 2),  # product
        st.integers(0, 1),  # bin
        st.integers(-5, 12),  # quantity (bad ones included)
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_ledger_invariant_under_any_sequence(database, admin, two_bins, ops):
    """Whatever happens, levels equal the ledger and nothing goes negative; a refused
    operation writes nothing."""
    products = [factories.product(database, admin) for _ in range(3)]
    bins = list(two_bins)
    reserved: list[int] = []
    for op, p, loc, qty in ops:
        pid, bin_id = products[p], bins[loc]
        try:
            with database.write() as s:
                if op == "receive":
                    inventory.receive(s, admin, pid, bin_id, qty)
                elif op == "reserve":
                    reserved.append(
                        inventory.reserve(s, admin, pid, bin_id, qty, inventory.MoveRef("t", 0))
                    )
                elif op == "release" and reserved:
                    inventory.release(s, admin, reserved.pop(qty % len(reserved)))
                elif op == "consume" and reserved:
                    inventory.consume(s, admin, reserved.pop(qty % len(reserved)))
                elif op == "adjust":
                    inventory.adjust(s, admin, pid, bin_id, qty, "count")
                elif op == "transfer":
                    inventory.transfer(s, admin, pid, bin_id, bins[1 - loc], qty)
                elif op == "issue":
                    inventory.issue(s, admin, pid, bin_id, qty, inventory.MoveRef("t", 0))
        except KestrelError:
            pass
        with database.read() as s:
            assert check(s) == []
