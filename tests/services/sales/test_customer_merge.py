"""Merging duplicate customers: orders, addresses, store credit, gift cards, returns'
orders and contacts follow the survivor; the duplicate is archived as merged-into, the
merge is audited, and `kestrel check` stays clean (and would not, had anything stayed)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from app.core import audit
from app.core.auth import Role
from app.core.errors import PermissionDenied, ValidationError
from app.models import CreditEntry, Party, SalesOrder
from app.services.sales import customers, gift_cards, order_entry
from app.services.sales.customer_detail import get_customer
from app.services.sales.customer_merge import merge_customers
from app.services.sales.customer_search import find_customers
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.sales.store_credit import give_credit
from app.services.stock.integrity import check
from tests import factories
from tests.conftest import role_actor

MANAGER = role_actor(Role.MANAGER)


def _order(s, admin, product, customer):
    return order_entry.create_order(
        s, admin, OrderInput("phone", (LineInput(product, 1),), customer_id=customer)
    )


def test_everything_follows_the_survivor(database, admin):
    survivor = factories.customer(database, admin, "Orla Walsh")
    duplicate = factories.customer(database, admin, "Orla Walshe")
    product = factories.product(database, admin, stock=10)
    with database.write() as s:
        _order(s, admin, product, survivor)
        moved = _order(s, admin, product, duplicate)
        gift_cards.issue(s, admin, "SHOPCARD-0001", 500, moved.id)
        give_credit(s, admin, duplicate, 300, None, "goodwill")
        customers.add_address(
            s, admin, duplicate, AddressInput("5 Long Walk", "Galway", "H91", "IE")
        )
        contact = customers.add_contact(s, admin, duplicate, CustomerInput("Pat Walsh"))
    with database.write() as s:
        result = merge_customers(s, MANAGER, survivor, duplicate)
    assert (result.orders, result.credit_entries, result.contacts) == (1, 1, 1)
    with database.read() as s:
        detail = get_customer(s, MANAGER, survivor)
        gone = get_customer(s, MANAGER, duplicate)
        assert detail.order_count == 2 and detail.store_credit == 300
        assert [c.code for c in detail.gift_cards] == ["SHOPCARD-0001"]
        assert [c.id for c in detail.contacts] == [contact]
        assert len(detail.addresses) == 3
        assert sum(a.is_default for a in detail.addresses if a.kind == "shipping") == 1
        assert gone.archived and gone.merged_into_id == survivor and not gone.addresses
        assert [h.id for h in find_customers(s, MANAGER, "walshe")] == []
        assert check(s) == []
        entries = audit.search(s, admin, action="customer.merge")
        assert entries and "Orla Walshe" in entries[0].detail
        assert s.scalar(select(SalesOrder.version).where(SalesOrder.id == moved.id)) == 2
    with database.write() as s, pytest.raises(ValidationError, match="merged into"):
        customers.save_customer(s, admin, duplicate, CustomerInput("Back again"))


def test_check_sees_what_a_merge_left_behind(database, admin):
    """The integrity check can fail: a duplicate marked merged that still owns an order."""
    left = factories.customer(database, admin, "Left Behind")
    other = factories.customer(database, admin, "Other One")
    product = factories.product(database, admin, stock=1)
    with database.write() as s:
        _order(s, admin, product, left)
        s.execute(update(Party).where(Party.id == left).values(merged_into_id=other))
    with database.read() as s:
        problems = check(s)
    assert {p.kind for p in problems} == {"merged-customer"}
    assert any("Left Behind" in p.message and "order SO-" in p.message for p in problems)
    assert any("address" in p.message for p in problems)


def test_refusals(database, admin):
    one = factories.customer(database, admin, "One")
    two = factories.customer(database, admin, "Two")
    with database.write() as s, pytest.raises(PermissionDenied):
        merge_customers(s, role_actor(Role.CLERK), one, two)
    with database.write() as s, pytest.raises(ValidationError, match="two different"):
        merge_customers(s, MANAGER, one, one)
    with database.write() as s:
        merge_customers(s, MANAGER, one, two)
    with database.write() as s, pytest.raises(ValidationError, match="merged into"):
        merge_customers(s, MANAGER, one, two)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    a_orders=st.integers(0, 3),
    b_orders=st.integers(0, 3),
    credits=st.lists(st.tuples(st.booleans(), st.integers(1, 5000)), max_size=4),
)
def test_merge_keeps_every_order_and_every_cent(database, admin, a_orders, b_orders, credits):
    a = factories.customer(database, admin, "Hypo Alpha")
    b = factories.customer(database, admin, "Hypo Beta")
    product = factories.product(database, admin, track=False)
    with database.write() as s:
        for party, count in ((a, a_orders), (b, b_orders)):
            for _ in range(count):
                _order(s, admin, product, party)
        for to_a, amount in credits:
            give_credit(s, admin, a if to_a else b, amount, None, "goodwill")
    with database.write() as s:
        merge_customers(s, MANAGER, a, b)
    with database.read() as s:
        owned = s.scalar(
            select(func.count()).select_from(SalesOrder).where(SalesOrder.customer_id == a)
        )
        credit = s.scalar(
            select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(CreditEntry.party_id == a)
        )
        assert owned == a_orders + b_orders
        assert credit == sum(amount for _, amount in credits)
        assert check(s) == []
