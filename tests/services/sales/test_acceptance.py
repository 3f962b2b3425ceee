"""The acceptance queue (app/services/sales/acceptance.py) on SQLite and PostgreSQL: pages
of new orders oldest first, accepting many where one is refused, rejecting with a reason
on the timeline, fixing the address and e-mail in place."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.auth import Role
from app.core.errors import ConflictError, InvalidTransition, PermissionDenied, ValidationError
from app.models import OrderEvent, SalesOrder
from app.services.sales import acceptance, order_entry
from app.services.sales.customers import AddressInput
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock.integrity import check
from tests import factories
from tests.conftest import role_actor

CLERK = role_actor(Role.CLERK)
ADDRESS = AddressInput("1 Quay Street", "Galway", "H91 X2Y3", "IE")


@pytest.fixture
def shop(database, admin):
    orla = factories.customer(database, admin)
    stocked = factories.product(database, admin, price=1000, stock=5)
    return orla, stocked


def _order(database, admin, customer, product, quantity=1, ship_to=ADDRESS):
    with database.write() as s:
        return order_entry.create_order(
            s,
            admin,
            OrderInput(
                "web", (LineInput(product, quantity),), customer_id=customer, ship_to=ship_to
            ),
        )


def _status(database, order_id):
    with database.read() as s:
        return s.get(SalesOrder, order_id).status


def test_the_queue_pages_new_orders_oldest_first(database, admin, shop):
    orla, stocked = shop
    refs = [_order(database, admin, orla, stocked, quantity=q) for q in (1, 2, 3, 4, 5)]
    with database.write() as s:
        acceptance.accept_many(s, admin, [refs[1].id])
    with database.read() as s:
        first = acceptance.queue_page(s, CLERK, 0, 2)
        rest = acceptance.queue_page(s, CLERK, first[-1].id, 10)
        count = acceptance.queue_count(s, CLERK)
    assert [r.id for r in first + rest] == [refs[i].id for i in (0, 2, 3, 4)]
    assert count == 4
    assert first[0].number == refs[0].number and first[0].channel == "web"
    assert first[0].customer_name == "Orla Walsh" and first[0].clear


def test_accept_many_one_refused_the_others_accepted(database, admin, shop):
    orla, stocked = shop
    good = _order(database, admin, orla, stocked, quantity=2)
    short = _order(database, admin, orla, stocked, quantity=9)  # 5 in stock
    also = _order(database, admin, orla, stocked, quantity=3)
    with database.write() as s:
        outcomes = acceptance.accept_many(s, CLERK, [good.id, short.id, also.id])
    assert [(o.number, o.accepted) for o in outcomes] == [
        (good.number, True),
        (short.number, False),
        (also.number, True),
    ]
    assert "cannot be accepted" in outcomes[1].message
    assert [_status(database, r.id) for r in (good, short, also)] == ["accepted", "new", "accepted"]
    with database.read() as s:  # the refused one has no half-written assignment
        kinds = s.scalars(select(OrderEvent.kind).where(OrderEvent.order_id == short.id)).all()
        assert [k for k in kinds if k != "email"] == ["created"]  # e-mails aside
        assert s.get(SalesOrder, short.id).warehouse_id is None
        assert check(s) == []


def test_accept_only_the_clear_ones(database, admin, shop):
    orla, stocked = shop
    clear = _order(database, admin, orla, stocked, quantity=1)
    flagged = _order(
        database,
        admin,
        orla,
        stocked,
        quantity=2,
        ship_to=AddressInput("1 Quay Street", "Galway", "", "IE"),
    )
    with database.write() as s:
        ids = acceptance.clear_order_ids(s, CLERK)
        outcomes = acceptance.accept_many(s, CLERK, [clear.id, flagged.id], only_clear=True)
    assert ids == [clear.id]
    assert [o.accepted for o in outcomes] == [True, False]
    assert outcomes[1].message.startswith("needs attention: the ship-to address has no postcode")
    assert _status(database, flagged.id) == "new"


def test_accept_many_needs_the_right(database, admin, shop):
    orla, stocked = shop
    ref = _order(database, admin, orla, stocked)
    with database.write() as s, pytest.raises(PermissionDenied):
        acceptance.accept_many(s, role_actor(Role.PICKER), [ref.id])
    assert _status(database, ref.id) == "new"


def test_reject_cancels_with_the_reason_on_the_timeline(database, admin, shop):
    orla, stocked = shop
    ref = _order(database, admin, orla, stocked)
    with database.write() as s, pytest.raises(ValidationError):
        acceptance.reject(s, CLERK, ref.id, "   ")
    with database.write() as s:
        acceptance.reject(s, CLERK, ref.id, "fraud check failed")
    assert _status(database, ref.id) == "cancelled"
    with database.read() as s:
        last = s.scalars(
            select(OrderEvent.message)
            .where(OrderEvent.order_id == ref.id, OrderEvent.kind != "email")
            .order_by(OrderEvent.id.desc())
        ).first()
        assert last == "Cancelled: rejected at acceptance: fraud check failed"
        assert acceptance.queue_rows(s, CLERK, [ref.id]) == []
    with database.write() as s, pytest.raises(InvalidTransition):
        acceptance.reject(s, CLERK, ref.id, "again")


def test_fix_the_address_and_email_in_place(database, admin, shop):
    orla, stocked = shop
    ref = _order(
        database, admin, orla, stocked, ship_to=AddressInput("1 Quay St", "Galway", "", "IE")
    )
    with database.read() as s:
        (row,) = acceptance.queue_rows(s, CLERK, [ref.id])
    assert {f.code for f in row.flags} == {"address_incomplete"}
    fixed = AddressInput("1 Quay Street", "Galway", "H91 X2Y3", "IE")
    with database.write() as s:
        version = acceptance.fix_order(
            s, CLERK, ref.id, row.version, ship_to=fixed, email="orla.walsh@example.com"
        )
    with database.read() as s:
        (after,) = acceptance.queue_rows(s, CLERK, [ref.id])
        order = s.get(SalesOrder, ref.id)
        assert (order.ship_postcode, order.email) == ("H91 X2Y3", "orla.walsh@example.com")
    assert after.clear and after.version == version > row.version
    with database.write() as s, pytest.raises(ConflictError):  # the old version is stale
        acceptance.fix_order(s, CLERK, ref.id, row.version, email="x@example.com")
    with database.write() as s, pytest.raises(ValidationError):
        acceptance.fix_order(s, CLERK, ref.id, version, email="not an address")
