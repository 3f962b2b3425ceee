"""Store credit given by a refund and spent on a later sale."""

from __future__ import annotations

import pytest

from app.core.errors import (
    ValidationError,
)
from app.services.sales import counter, till
from app.services.sales.counter import Tender
from app.services.sales.refunds import refund_sale, refundable_lines
from app.services.sales.store_credit import credit_balance
from app.services.stock.integrity import check
from tests import factories
from tests.services.sales.shop import TILL, cart_of


def test_store_credit_from_a_refund_pays_a_later_sale(database, admin, shop):
    coffee, salt = shop
    walk_in = cart_of(database, salt)
    with database.write() as s:
        sale = counter.complete_sale(s, admin, walk_in, [Tender("cash", 350)], TILL, "t")
        (line,) = refundable_lines(s, sale.order_id)
    with database.write() as s, pytest.raises(ValidationError, match="named customer"):
        refund_sale(s, admin, sale.order_id, {line.line_id: 1}, TILL, "store_credit")

    customer = factories.customer(database, admin, "Orla Walsh")
    cart = cart_of(database, coffee, coffee)
    cart.customer_id = customer
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("card", 2460)], TILL, "t")
        coffee_line = refundable_lines(s, sale.order_id)[0]
    with database.write() as s:
        refund_sale(s, admin, sale.order_id, {coffee_line.line_id: 2}, TILL, "store_credit")
    with database.read() as s:
        assert credit_balance(s, customer) == 2460
    big = cart_of(database, coffee, coffee, coffee)
    big.customer_id = customer
    with database.write() as s, pytest.raises(ValidationError, match="store credit, not"):
        counter.complete_sale(
            s, admin, big, [Tender("store_credit", 2500), Tender("cash", 2000)], TILL, "t"
        )
    cart = cart_of(database, coffee, salt)
    cart.customer_id = customer
    with database.write() as s:
        counter.complete_sale(
            s, admin, cart, [Tender("store_credit", 1500), Tender("cash", 80)], TILL, "t"
        )
    with database.read() as s:
        assert credit_balance(s, customer) == 960
        report = till.z_report(s, till.current(s, TILL).id)
        assert report.sales_by_method["store_credit"] == 1500
        assert report.refunds_by_method == {"store_credit": 2460}
        assert check(s) == []
