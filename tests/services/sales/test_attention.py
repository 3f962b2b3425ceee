"""The acceptance queue's flags (app/services/sales/attention.py), each made to fire and
made not to, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import SalesOrder
from app.services.sales import acceptance, customers, order_entry
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.sales.order_entry import LineInput, OrderInput
from tests import factories

ADDRESS = AddressInput("1 Quay Street", "Galway", "H91 X2Y3", "IE")


@pytest.fixture
def shop(database, admin):
    """Orla (orla@example.com), a product with 5 in stock at 10.00 and one untracked."""
    orla = factories.customer(database, admin)
    stocked = factories.product(database, admin, price=1000, stock=5)
    service = factories.product(database, admin, price=250, track=False)
    return orla, stocked, service


def _order(database, admin, customer, *lines, channel="web", ship_to=ADDRESS):
    with database.write() as s:
        ref = order_entry.create_order(
            s,
            admin,
            OrderInput(channel, tuple(lines), customer_id=customer, ship_to=ship_to),
        )
    return ref.id


def _flags(database, admin, order_id):
    with database.read() as s:
        (row,) = acceptance.queue_rows(s, admin, [order_id])
    return {f.code: f.message for f in row.flags}


def test_a_clean_order_has_no_flag(database, admin, shop):
    orla, stocked, service = shop
    order = _order(database, admin, orla, LineInput(stocked, 5), LineInput(service, 9))
    assert _flags(database, admin, order) == {}


def test_stock_short_per_line_and_not_for_untracked(database, admin, shop):
    orla, stocked, service = shop
    order = _order(database, admin, orla, LineInput(stocked, 6), LineInput(service, 99))
    flags = _flags(database, admin, order)
    assert list(flags) == ["stock_short"]
    assert "6 ordered, 5 free" in flags["stock_short"]


def test_address_incomplete_names_what_is_missing(database, admin, shop):
    orla, stocked, _service = shop
    no_postcode = AddressInput("1 Quay Street", "Galway", "", "IE")
    order = _order(database, admin, orla, LineInput(stocked, 1), ship_to=no_postcode)
    flags = _flags(database, admin, order)
    assert flags == {"address_incomplete": "the ship-to address has no postcode"}


def test_email_invalid_or_missing_on_a_web_order(database, admin, shop):
    orla, stocked, _service = shop
    order = _order(database, admin, orla, LineInput(stocked, 1))
    assert "email_invalid" not in _flags(database, admin, order)
    with database.write() as s:
        s.get(SalesOrder, order).email = "orla@@example"
    assert "not a valid e-mail address" in _flags(database, admin, order)["email_invalid"]
    with database.write() as s:
        s.get(SalesOrder, order).email = ""
    assert _flags(database, admin, order)["email_invalid"] == "there is no e-mail address"
    phone = _order(database, admin, orla, LineInput(stocked, 1), channel="phone")
    with database.write() as s:
        s.get(SalesOrder, phone).email = ""
    assert "email_invalid" not in _flags(database, admin, phone)  # a phone order may have none


def test_price_different_beyond_a_cent(database, admin, shop):
    orla, stocked, _service = shop
    close = _order(database, admin, orla, LineInput(stocked, 2, unit_price=1001))
    assert "price_differs" not in _flags(database, admin, close)
    far = _order(database, admin, orla, LineInput(stocked, 3, unit_price=900))
    message = _flags(database, admin, far)["price_differs"]
    assert message.startswith("T-") and "27.00" in message and "30.00" in message


def test_duplicate_customer_by_email_or_by_name_and_postcode(database, admin, shop):
    orla, stocked, _service = shop
    order = _order(database, admin, orla, LineInput(stocked, 1))
    assert "duplicate_customer" not in _flags(database, admin, order)
    with database.write() as s:  # another Orla Walsh at the same postcode, another e-mail
        twin = customers.create_customer(
            s, admin, CustomerInput("Orla Walsh", "o.walsh@example.org", address=ADDRESS)
        )
    message = _flags(database, admin, order)["duplicate_customer"]
    assert f"Orla Walsh (no. {twin})" in message
    with database.write() as s:  # elsewhere now, but the same e-mail as the order's
        s.get(customers.Party, twin).addresses[0].postcode = "D02 1234"
        customers.save_customer(s, admin, twin, CustomerInput("O. Walsh", "Orla@Example.com"))
    assert f"O. Walsh (no. {twin})" in _flags(database, admin, order)["duplicate_customer"]
    with database.write() as s:
        customers.save_customer(s, admin, twin, CustomerInput("O. Walsh", "o@example.org"))
    assert "duplicate_customer" not in _flags(database, admin, order)


def test_duplicate_order_same_customer_same_lines_within_a_day(database, admin, shop):
    orla, stocked, service = shop
    first = _order(database, admin, orla, LineInput(stocked, 1), LineInput(service, 2))
    other_lines = _order(database, admin, orla, LineInput(stocked, 2))
    assert "duplicate_order" not in _flags(database, admin, first)
    second = _order(database, admin, orla, LineInput(service, 2), LineInput(stocked, 1))
    with database.read() as s:
        first_number = s.get(SalesOrder, first).number
        second_number = s.get(SalesOrder, second).number
    assert second_number in _flags(database, admin, first)["duplicate_order"]
    assert first_number in _flags(database, admin, second)["duplicate_order"]
    assert "duplicate_order" not in _flags(database, admin, other_lines)
    with database.write() as s:  # a day and an hour apart: two orders, not one twice
        row = s.get(SalesOrder, first)
        row.created_at = row.created_at - timedelta(hours=25)
    assert "duplicate_order" not in _flags(database, admin, second)
    with database.write() as s:
        row = s.get(SalesOrder, first)
        row.created_at = row.created_at + timedelta(hours=25)
    assert "duplicate_order" in _flags(database, admin, second)
    with database.write() as s:
        acceptance.reject(s, admin, first, "customer ordered twice")
    assert "duplicate_order" not in _flags(database, admin, second)  # a cancelled one is none
