"""app/admin/demo/__init__.py, the whole build (item 9 of issue 11): the demo store looks
like a real shop — prices that fit the product, SKUs without stray spaces — and its history
is not credited to the real administrator."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.admin.demo import (
    DEMO_ACTOR_NAME,
    ITEMS,
    SENT,
    build_demo,
)
from app.core import audit
from app.models import Carrier, OrderEvent, Product, SalesOrder
from app.services.fulfilment import returns, shipping
from app.services.sales import order_actions

SKU = re.compile(r"^[A-Z0-9]{2,3}-\d{7}$")


def test_demo_products_and_history(database, admin):
    with database.write() as s:
        build_demo(s, admin, products=120, customers=10, orders=500, with_users=False)
    with database.read() as s:
        products = s.execute(select(Product.sku, Product.name, Product.price)).all()
        assert products and all(SKU.match(sku) for sku, _, _ in products)
        by_item = {item: base for item, _, _, base in ITEMS}
        for _sku, name, price in products:
            item = next(i for i in by_item if f" {i} " in f" {name} ")
            assert by_item[item] * 0.6 <= price <= by_item[item] * 4, (name, price)
            assert price % 10 == 9
        salt = [p for _, n, p in products if "Sea Salt" in n]
        chargers = [p for _, n, p in products if "Phone Charger" in n]
        if salt and chargers:
            assert max(salt) < min(chargers)  # salt never costs what a charger does
        who = set(s.scalars(select(OrderEvent.user_name)))
        assert who == {DEMO_ACTOR_NAME}
        assert s.scalar(select(OrderEvent.user_id).where(OrderEvent.user_id.is_not(None))) is None
        accepted = s.scalars(select(SalesOrder).where(SalesOrder.status == "accepted")).all()
        assert accepted  # accepting verified the stock: it is still there to confirm
        assert all(order_actions.verification_problems(s, o) == ([], []) for o in accepted)
        sent = s.scalars(select(SalesOrder).where(SalesOrder.status.in_(SENT))).all()
        assert sent
        for order in sent:  # each left with a tracking number, and can come back
            (shipment,) = shipping.shipments_of(s, order.id)
            assert shipment.links and shipment.links[0].startswith("https://")
            assert all(
                ln.returnable == ln.shipped > 0 for ln in returns.returnable_lines(s, order.id)
            )
        post = s.scalar(select(Carrier).where(Carrier.code == "KPOST"))
        used = {t for o in sent for t in shipping.shipments_of(s, o.id)[0].tracking}
        assert shipping.generate_tracking(s, post) not in used  # the series goes on
        entries = audit.search(s, admin)  # the demo's wave and its stock moves, if any
        assert not [r for r in entries if r.user_name == admin.display_name]
