"""app/services/sales/order_editing.py on SQLite and PostgreSQL: the Edit order form opens
on the order's lines (shipping as its cost), carrier and ship-to address, keeps the order's
own prices when the catalogue's changed since, and refuses in words an order that is closed."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.errors import InvalidTransition, NotFound, PermissionDenied
from app.models import Product
from app.services.fulfilment import shipping
from app.services.fulfilment.shipping import CarrierInput
from app.services.sales import entry, order_actions, order_editing
from app.services.sales.entry import EntryInput, EntryLine
from app.services.stock import catalogue
from tests import factories
from tests.conftest import role_actor


@pytest.fixture
def order(database, admin):
    customer = factories.customer(database, admin)
    a = factories.product(database, admin, price=1230, stock=10)
    b = factories.product(database, admin, price=500, tax=0, stock=3)
    with database.write() as s:
        shipping.add_carrier(s, admin, CarrierInput("KS", "Kestrel Post"))
        skus = [s.get(Product, p).sku for p in (a, b)]
        ref = entry.create_entry_order(
            s,
            admin,
            EntryInput(
                (EntryLine(skus[0], 2), EntryLine(skus[1], 1, 450, 0)),
                customer_id=customer,
                carrier_code="KS",
                shipping_cost=495,
                override_reason="loyal customer",
            ),
        )
        catalogue.update_product(s, admin, a, price=1300)  # the catalogue moves on
    return ref.id, skus, (a, b)


def test_the_form_opens_on_the_order_as_it_is(database, admin, order):
    order_id, (a, b), (a_id, b_id) = order
    with database.read() as s:
        got = order_editing.editable_order(s, admin, order_id)
    assert (got.status, got.customer_name, got.carrier_code, got.shipping_cost) == (
        "new",
        "Orla Walsh",
        "KS",
        495,
    )
    assert [
        (ln.product_id, ln.sku, ln.quantity, ln.list_price, ln.unit_price) for ln in got.lines
    ] == [
        (a_id, a, 2, 1300, 1230),
        (b_id, b, 1, 500, 450),
    ]
    assert got.ship_to.line1 == "1 Quay Street" and got.ship_to.name == "Orla Walsh"
    assert got.version >= 1


def test_a_closed_order_is_refused_in_words_and_a_picker_may_not_edit(database, admin, order):
    order_id, _skus, _ids = order
    with database.read() as s:
        version = order_editing.editable_order(s, admin, order_id).version
    with database.write() as s:
        order_actions.cancel(s, admin, order_id, "duplicate", version)
    with database.read() as s, pytest.raises(InvalidTransition, match="cancelled can no longer"):
        order_editing.editable_order(s, admin, order_id)
    picker = role_actor(Role.PICKER)
    assert order_editing.edit_refusal("new", picker) == "Your role may not change orders."
    assert order_editing.edit_refusal("accepted", admin) == ""
    assert "shipped can no longer" in order_editing.edit_refusal("shipped", admin)
    with database.read() as s, pytest.raises(NotFound):
        order_editing.editable_order(s, admin, 999_999)
    with database.read() as s, pytest.raises(PermissionDenied):
        order_editing.editable_order(s, picker, order_id)
