"""Order lifecycle on SQLite and PostgreSQL: transitions, verification, conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.core.auth import Role
from app.core.errors import (
    ConflictError,
    InvalidTransition,
    NotFound,
    OutOfStock,
    PermissionDenied,
    ValidationError,
)
from app.core.sentence import verbatim
from app.models import OrderEvent, OrderStatus, SalesOrder
from app.services.sales import order_actions, order_detail, order_entry, orders
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests import factories
from tests.conftest import role_actor


def _order(database, actor, lines, channel="phone", customer_id=None, email=""):
    with database.write() as s:
        return order_entry.create_order(
            s,
            actor,
            OrderInput(channel=channel, lines=tuple(lines), customer_id=customer_id, email=email),
        )


@pytest.fixture
def stocked(database, admin):
    customer_id = factories.customer(database, admin)
    a = factories.product(database, admin, price=1230, stock=10)
    b = factories.product(database, admin, price=499, tax=0, stock=3)
    return customer_id, a, b


def test_create_computes_exact_totals_and_writes_created_event(database, admin, stocked):
    customer_id, a, b = stocked
    ref = _order(
        database, admin, [LineInput(a, 3), LineInput(b, 2, discount=98)], customer_id=customer_id
    )
    with database.read() as s:
        detail = order_detail.get_order(s, ref.id, admin)
    assert detail.number.startswith("SO-")
    assert detail.status == "new"
    # prices include 23 % tax: 3 x 12.30 = 36.90 -> net 30.00, tax 6.90
    assert [(ln.net, ln.tax, ln.total) for ln in detail.lines] == [(3000, 690, 3690), (900, 0, 900)]
    assert (detail.subtotal, detail.tax_total, detail.total) == (3900, 690, 4590)
    assert detail.ship_to[1] == "1 Quay Street"
    assert [e.kind for e in detail.events] == ["created", "email"]  # the "received" e-mail
    assert detail.events[1].message.startswith("E-mail queued to ")
    assert detail.events[0].user_name == "Ada Admin"
    assert detail.events[0].workstation == "bench-1"


def test_accept_confirm_reserves_and_cancel_releases(database, admin, stocked):
    customer_id, a, _ = stocked
    ref = _order(database, admin, [LineInput(a, 4)], customer_id=customer_id)
    with database.write() as s:
        version = order_actions.accept(s, admin, ref.id, ref.version)
    with database.write() as s:
        version = order_actions.confirm(s, admin, ref.id, version)
    with database.read() as s:
        stock = catalogue.product_stock(s, a)
        assert [(r.on_hand, r.reserved) for r in stock] == [(10, 4)]
        detail = order_detail.get_order(s, ref.id, admin)
        assert detail.status == "confirmed"
        assert [e.to_status for e in detail.events if e.to_status] == [
            "new",
            "accepted",
            "confirmed",
        ]
        assert "Ships from MAIN has every line in stock" in [e.message for e in detail.events]
    with database.write() as s:
        order_actions.cancel(s, admin, ref.id, "customer changed their mind", version)
    with database.read() as s:
        assert [(r.on_hand, r.reserved) for r in catalogue.product_stock(s, a)] == [(10, 0)]
        detail = order_detail.get_order(s, ref.id, admin)
        assert detail.status == "cancelled"
        lifecycle = [e for e in detail.events if e.kind != "email"]
        assert "1 reservation released" in lifecycle[-1].message
        assert check(s) == []


def test_confirm_splits_reservation_across_bins_in_pick_sequence(database, admin):
    from app.services.stock import inventory

    pid = factories.product(database, admin, stock=2)
    with database.write() as s:
        inventory.receive(s, admin, pid, factories.bin_beside_main(s, "MAIN-Z9", 99), 5)
    ref = _order(database, admin, [LineInput(pid, 4)], channel="counter")
    with database.write() as s:
        order_actions.confirm(s, admin, ref.id, ref.version)
    with database.read() as s:
        assert [(r.location_code, r.reserved) for r in catalogue.product_stock(s, pid)] == [
            ("MAIN-STOCK", 2),
            ("MAIN-Z9", 2),
        ]


def test_accept_explains_every_problem(database, admin):
    pid = factories.product(database, admin, stock=1)
    ref = _order(database, admin, [LineInput(pid, 5)], channel="web")
    with database.write() as s, pytest.raises(ValidationError) as err:
        order_actions.accept(s, admin, ref.id, ref.version)
    text = err.value.message
    assert "ship-to address" in text
    assert "e-mail" in text
    assert "only 1 of" in text
    with database.read() as s:
        assert order_detail.get_order(s, ref.id).status == "new"  # nothing half-written


def test_accept_out_of_stock_only(database, admin, stocked):
    customer_id, _, b = stocked
    ref = _order(database, admin, [LineInput(b, 4)], customer_id=customer_id)
    with database.write() as s, pytest.raises(OutOfStock, match="only 3 of"):
        order_actions.accept(s, admin, ref.id, ref.version)


def test_hold_and_release_return_to_previous_status(database, admin, stocked):
    customer_id, a, _ = stocked
    ref = _order(database, admin, [LineInput(a, 1)], customer_id=customer_id)
    with database.write() as s:
        v = order_actions.confirm(s, admin, ref.id, ref.version)
        v = order_actions.hold(s, admin, ref.id, "address check", v)
        assert s.get(SalesOrder, ref.id).status == "on_hold"
        v = order_actions.release(s, admin, ref.id, v)
        assert s.get(SalesOrder, ref.id).status == "confirmed"
    with database.read() as s:
        kinds = [e.kind for e in order_detail.get_order(s, ref.id).events if e.kind != "email"]
    assert kinds == ["created", "assigned", "confirmed", "held", "released"]


ALL_ACTIONS = ["accept", "confirm", "hold", "release", "cancel"]


def _run(s, actor, action, order_id, version):
    if action in ("hold", "cancel"):
        return getattr(order_actions, action)(s, actor, order_id, "reason", version)
    return getattr(order_actions, action)(s, actor, order_id, version)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_forbidden_transition_raises_invalid_transition(database, admin, stocked, status):
    customer_id, a, _ = stocked
    ref = _order(database, admin, [LineInput(a, 1)], customer_id=customer_id)
    with database.write() as s:
        order = s.get(SalesOrder, ref.id)
        order.status = status.value
        order.held_from = "new" if status is OrderStatus.ON_HOLD else ""
    allowed = set(orders.allowed_actions(status.value))
    for action in ALL_ACTIONS:
        with database.read() as s:
            version = s.scalar(select(SalesOrder.version).where(SalesOrder.id == ref.id))
        if action in allowed:
            continue
        with database.write() as s, pytest.raises(InvalidTransition):
            _run(s, admin, action, ref.id, version)
    # and each allowed one works from this status
    for action in sorted(allowed):
        with database.write() as s:
            order = s.get(SalesOrder, ref.id)
            order.status = status.value
            order.held_from = "new" if status is OrderStatus.ON_HOLD else ""
        with database.read() as s:
            version = s.scalar(select(SalesOrder.version).where(SalesOrder.id == ref.id))
        with database.write() as s:
            _run(s, admin, action, ref.id, version)


def test_second_workstation_gets_conflict_naming_who_changed_it(database, admin, stocked):
    customer_id, a, _ = stocked
    ref = _order(database, admin, [LineInput(a, 1)], customer_id=customer_id)
    other = role_actor(Role.CLERK, workstation="back-office-2")
    # both workstations opened the order at the same version
    with database.write() as s:
        order_actions.accept(s, other, ref.id, ref.version)
    with database.write() as s, pytest.raises(ConflictError) as err:
        order_actions.hold(s, admin, ref.id, "check payment", ref.version)
    assert "Clerk on back-office-2" in err.value.message
    with database.read() as s:
        assert order_detail.get_order(s, ref.id).status == "accepted"


def test_concurrent_sessions_stale_flush_is_refused(database, admin, stocked):
    """A screen that loaded the order, then writes after another workstation committed,
    loses to the version column instead of overwriting the other change."""
    customer_id, a, _ = stocked
    ref = _order(database, admin, [LineInput(a, 1)], customer_id=customer_id)
    first = database.write_sessions()
    with first.begin():
        stale = first.get(SalesOrder, ref.id)
    with database.write() as s:
        order_actions.add_note(s, admin, ref.id, "called the customer", ref.version)
    with pytest.raises(StaleDataError), first.begin():
        stale.note = "edited from a stale screen"
    first.close()
    with database.read() as s:
        assert s.get(SalesOrder, ref.id).note == ""


def test_permissions_are_enforced_in_the_service(database, admin, stocked):
    customer_id, a, _ = stocked
    ref = _order(database, admin, [LineInput(a, 1)], customer_id=customer_id)
    picker = role_actor(Role.PICKER)
    with database.write() as s, pytest.raises(PermissionDenied, match="Picker"):
        order_actions.cancel(s, picker, ref.id, "no", ref.version)
    with database.write() as s, pytest.raises(PermissionDenied):
        order_entry.create_order(s, picker, OrderInput(channel="phone", lines=(LineInput(a, 1),)))
    cashier = role_actor(Role.CASHIER)
    with database.read() as s:
        assert order_detail.get_order(s, ref.id, cashier).actions == ()


@pytest.mark.parametrize(
    ("lines", "error", "message"),
    [
        ((), ValidationError, "at least one line"),
        ((LineInput(10**9, 1),), NotFound, "does not exist"),
        ((LineInput(-1, 0),), NotFound, "does not exist"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(database, admin, lines, error, message):
    with database.write() as s, pytest.raises(error, match=message):
        order_entry.create_order(s, admin, OrderInput(channel="phone", lines=lines))
    with database.read() as s:
        assert s.scalar(select(SalesOrder.id).limit(1)) is None


@pytest.mark.parametrize("quantity", [0, -1, 1_000_000_000, 2.5, "3", True])
def test_absurd_quantities_are_refused(database, admin, quantity):
    pid = factories.product(database, admin)
    with database.write() as s, pytest.raises(ValidationError, match="quantity"):
        order_entry.create_order(
            s, admin, OrderInput(channel="phone", lines=(LineInput(pid, quantity),))
        )


def test_order_numbers_are_sequential_and_unique(database, admin):
    pid = factories.product(database, admin)
    numbers = [_order(database, admin, [LineInput(pid, 1)]).number for _ in range(5)]
    assert numbers == [f"SO-{n:06d}" for n in range(1, 6)]


def test_the_transition_table_is_walked_by_change_status(database, admin, stocked):
    """Every allowed move works and writes its event with from/to; every other one raises
    InvalidTransition in words and changes nothing."""
    _customer, product, _other = stocked
    statuses = list(OrderStatus)
    with database.write() as s:
        ref = order_entry.create_order(s, admin, OrderInput("phone", (LineInput(product, 1),)))
        order = s.get(SalesOrder, ref.id)
        for source in statuses:
            for to in statuses:
                order.status = source.value  # the test puts it there by hand
                if to in orders.TRANSITIONS[source]:
                    orders.change_status(s, admin, order, to, "walk", verbatim(f"{source} to {to}"))
                    assert order.status == to.value
                else:
                    with pytest.raises(
                        InvalidTransition, match=r"^Order SO-\d+ is .*cannot become"
                    ):
                        orders.change_status(s, admin, order, to, "walk", verbatim("no"))
                    assert order.status == source.value
        s.flush()
        events = s.scalars(
            select(OrderEvent).where(OrderEvent.order_id == ref.id, OrderEvent.kind == "walk")
        ).all()
    allowed = [(a.value, b.value) for a, tos in orders.TRANSITIONS.items() for b in tos]
    assert sorted((e.from_status, e.to_status) for e in events) == sorted(allowed)
    assert set(orders.TRANSITIONS) == set(OrderStatus)


@pytest.mark.parametrize(
    ("source", "to", "words"),
    [
        ("delivered", "picking", "is delivered; it cannot become picking"),
        ("cancelled", "new", "is cancelled; it cannot become new"),
        ("completed", "shipped", "is completed; it cannot become shipped"),
        ("refunded", "partly_refunded", "is refunded; it cannot become partly refunded"),
        ("new", "packed", "is new; it cannot become packed"),
        ("packed", "cancelled", "is packed; it cannot become cancelled"),
    ],
)
def test_a_sample_of_illegal_transitions_raise_in_words(source, to, words):
    with pytest.raises(InvalidTransition, match=words):
        orders.check_transition("SO-000001", source, OrderStatus(to))


def test_actions_and_bulk_moves_stay_inside_the_table():
    targets = {
        "accept": "accepted",
        "confirm": "confirmed",
        "hold": "on_hold",
        "cancel": "cancelled",
    }
    for action, (sources, _permission) in orders.ACTIONS.items():
        for source in sources:
            goes_to = orders.TRANSITIONS[source]
            if action == "release":  # back to where it was held from
                assert {"new", "accepted", "confirmed"} <= goes_to
            else:
                assert OrderStatus(targets[action]) in goes_to, (action, source)
    for source, to in orders.BULK_MOVES:
        assert to in orders.TRANSITIONS[source]
