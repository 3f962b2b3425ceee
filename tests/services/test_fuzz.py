"""Hostile input at every entry point that takes text or numbers, on both engines: each
call answers or refuses with a domain error in words, never a raw DataError, TypeError or
decimal.Overflow (which the GUI would show as a bug)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services import (
    auth,
    catalogue,
    counter,
    customers,
    gift_cards,
    inventory,
    orders,
    packing,
    picking,
    returns,
    shipping,
    till,
)
from app.services.catalogue import ProductInput
from app.services.counter import Cart, CartLine, Tender
from app.services.customers import CustomerInput
from app.services.errors import KestrelError
from tests import factories

HOSTILE = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from("\x00\x1b\x1d\x7f\r\n\t é€\u202e\ufeffA1-"), max_size=30),
    st.integers(60, 12_000).map(lambda n: "x" * n),
    st.sampled_from(["\x00", "a\x00b", "SO-\x00001", "'; DROP TABLE x; --", "\ud800"]),
)
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True),
    st.sampled_from([True, None, "12", 10**18, -1, 0]),
)

TEXT_ENTRY_POINTS: dict[str, Callable[[Any, auth.Actor, str], object]] = {
    "auth.authenticate name": lambda s, _a, t: auth.authenticate(s, t, "password-1", "ws"),
    "auth.authenticate workstation": lambda s, _a, t: auth.authenticate(s, "x", "x", t),
    "catalogue.find_by_code": lambda s, _a, t: catalogue.find_by_code(s, t),
    "catalogue.scanned_item": lambda s, _a, t: catalogue.scanned_item(s, t),
    "catalogue.search_products": lambda s, _a, t: catalogue.search_products(s, t),
    "catalogue.create_product sku": lambda s, a, t: catalogue.create_product(
        s, a, ProductInput(t, "name", 100)
    ),
    "catalogue.create_product name": lambda s, a, t: catalogue.create_product(
        s, a, ProductInput("SKU-FUZZ", t, 100)
    ),
    "customers.create_customer": lambda s, a, t: customers.create_customer(
        s, a, CustomerInput(t, phone=t)
    ),
    "customers.search_customers": lambda s, _a, t: customers.search_customers(s, t),
    "orders.find_order_id": lambda s, _a, t: orders.find_order_id(s, t),
    "orders.add_note": lambda s, a, t: orders.add_note(s, a, 1, t),
    "orders.hold": lambda s, a, t: orders.hold(s, a, 1, t),
    "picking.find_list": lambda s, _a, t: picking.find_list(s, t),
    "packing.open_for_packing": lambda s, _a, t: packing.open_for_packing(s, t),
    "returns.find": lambda s, _a, t: returns.find(s, t),
    "gift_cards.card_info": lambda s, _a, t: gift_cards.card_info(s, t),
    "till.open_session till": lambda s, a, t: till.open_session(s, a, t, 0, "ws"),
    "till.open_session workstation": lambda s, a, t: till.open_session(s, a, "Fuzz", 0, t),
    "shipping.add_carrier": lambda s, a, t: shipping.add_carrier(s, a, shipping.CarrierInput(t, t)),
    "inventory.adjust reason": lambda s, a, t: inventory.adjust(s, a, 1, 1, 1, t),
}

NUMBER_ENTRY_POINTS: dict[str, Callable[[Any, auth.Actor, Any], object]] = {
    "inventory.receive": lambda s, a, n: inventory.receive(s, a, 1, factories.main_bin(s), n),
    "till.open_session float": lambda s, a, n: till.open_session(s, a, "Fuzz", n, "ws"),
    "catalogue.create_product price": lambda s, a, n: catalogue.create_product(
        s, a, ProductInput("SKU-N", "n", n)
    ),
    "counter.complete_sale tender": lambda s, a, n: counter.complete_sale(
        s, a, _cart(), [Tender("cash", n)], "Fuzz", "ws"
    ),
    "counter.complete_sale quantity": lambda s, a, n: counter.complete_sale(
        s, a, _cart(quantity=n), [Tender("cash", 100)], "Fuzz", "ws"
    ),
    "counter.complete_sale price": lambda s, a, n: counter.complete_sale(
        s, a, _cart(price=n), [Tender("cash", 100)], "Fuzz", "ws"
    ),
}


def _cart(quantity: object = 1, price: object = 100) -> Cart:
    cart = Cart()
    cart.lines.append(CartLine(1, "SKU", "thing", price, 0, quantity))  # type: ignore[arg-type]
    return cart


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _answers_or_refuses(database, admin, call, value) -> None:  # type: ignore[no-untyped-def]
    with database.write() as s:
        nested = s.begin_nested()
        try:
            call(s, admin, value)
        except KestrelError as exc:
            assert exc.message.strip()
        finally:
            nested.rollback()


@pytest.mark.parametrize("name", list(TEXT_ENTRY_POINTS))
def test_text_entry_points_refuse_hostile_text_in_words(database, admin, name):
    call = TEXT_ENTRY_POINTS[name]

    @FUZZ
    @given(text=HOSTILE)
    def run(text: str) -> None:
        _answers_or_refuses(database, admin, call, text)

    run()


@pytest.mark.parametrize("name", list(NUMBER_ENTRY_POINTS))
def test_number_entry_points_refuse_absurd_numbers_in_words(database, admin, name):
    call = NUMBER_ENTRY_POINTS[name]
    with database.write() as s:
        till.open_session(s, admin, "Fuzz", 0, "ws")

    @FUZZ
    @given(number=NUMBERS)
    def run(number: object) -> None:
        _answers_or_refuses(database, admin, call, number)

    run()
