"""The reports' hand-built shop, made through the real services and then dated.

The shop is in America/New_York, so a sale at 23:30 local is already the next day in UTC.
Coffee costs 12.30 with 23 % tax in it (10.00 + 2.30), salt 3.50 with none.

| order | made (local)      | what                      | channel | then                        |
| ----- | ----------------- | ------------------------- | ------- | --------------------------- |
| S1    | 2026-12-01 23:30  | 2 coffee  = 24.60 (4.60)  | counter |                             |
| S2    | 2026-12-02 10:00  | 1 salt    =  3.50 (0)     | counter | refunded 2026-12-03 09:00   |
| P1    | 2026-12-02 12:00  | 1 coffee  = 12.30 (2.30)  | phone   | cancelled                   |
| P2    | 2026-12-02 15:00  | 2 coffee  = 24.60 (4.60)  | phone   | 1 shipped, 1 on backorder   |
| P2 shipped 2026-12-03 15:00, due at 12:00 that day: 24 hours, late                |
| R1    | 2026-12-04 10:00  | P2's shipped coffee, "damaged", asked back (return)     |

Coffee's average cost is 6.00, salt has none. Reorder rules in MAIN: coffee min 2 max 10
(none left: 2 short), salt min 0 max 3 (5 on the shelf: 2 over).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from app.core.settings import set_setting
from app.models import Barcode, OrderEvent, Payment, Product, ReturnOrder, SalesOrder, Shipment
from app.services.fulfilment import packing, picking, returns, shipping, waves
from app.services.fulfilment.shipping import CarrierInput
from app.services.purchasing import rules
from app.services.purchasing.rules import RuleInput
from app.services.sales import counter, order_actions, order_entry, till
from app.services.sales.counter import Tender
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.sales.refunds import refund_sale, refundable_lines
from app.services.stock import catalogue
from tests import factories
from tests.services.sales.shop import cart_of

ZONE = "America/New_York"
TILL = "Till 1"


@dataclass(frozen=True)
class Case:
    coffee: int
    salt: int
    s1: int
    s2: int
    p1: int
    p2: int


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(ZONE)).astimezone(dt.UTC)


def _date(database, order_id: int, at: dt.datetime) -> None:
    """The order, its events and its payments as if made at `at` (services stamp now)."""
    with database.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.id == order_id).values(created_at=at))
        s.execute(update(OrderEvent).where(OrderEvent.order_id == order_id).values(at=at))
        s.execute(
            update(Payment)
            .where(Payment.order_id == order_id, Payment.kind == "payment")
            .values(created_at=at)
        )


def build(database, admin) -> Case:
    coffee = factories.product(database, admin, price=1230, tax=2300, stock=4, name="Coffee")
    salt = factories.product(database, admin, price=350, tax=0, stock=5, name="Sea salt")
    customer = factories.customer(database, admin, "Orla Walsh")
    with database.write() as s:
        set_setting(s, admin, "timezone", ZONE)
        till.open_session(s, admin, TILL, 10_000, "till-1")
    s1 = _sale(database, admin, [coffee, coffee], 2460)
    _date(database, s1, local("2026-12-01T23:30"))
    s2 = _sale(database, admin, [salt], 350)
    _date(database, s2, local("2026-12-02T10:00"))
    with database.read() as s:
        (line,) = refundable_lines(s, s2)
    with database.write() as s:
        refund_sale(s, admin, s2, {line.line_id: 1}, TILL)
        s.execute(
            update(Payment)
            .where(Payment.order_id == s2, Payment.kind == "refund")
            .values(created_at=local("2026-12-03T09:00"))
        )
    with database.write() as s:
        p1 = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(coffee, 1),), customer_id=customer)
        ).id
        order_actions.cancel(s, admin, p1, "changed their mind")
    _date(database, p1, local("2026-12-02T12:00"))
    p2 = _partly_shipped(database, admin, coffee, customer)
    _date(database, p2, local("2026-12-02T15:00"))
    with database.write() as s:  # shipped a day later, three hours past its due time
        s.execute(
            update(Shipment)
            .where(Shipment.order_id == p2)
            .values(shipped_at=local("2026-12-03T15:00"))
        )
        s.execute(
            update(SalesOrder).where(SalesOrder.id == p2).values(due_at=local("2026-12-03T12:00"))
        )
    with database.write() as s:
        (line,) = s.get(SalesOrder, p2).lines
        rma = returns.create(s, admin, p2, {line.id: 1}, "damaged")
        s.execute(
            update(ReturnOrder)
            .where(ReturnOrder.id == rma)
            .values(created_at=local("2026-12-04T10:00"))
        )
        catalogue.update_product(s, admin, coffee, cost=600)
        rules.set_rule(s, admin, RuleInput(_sku(s, coffee), "MAIN", 2, 10))
        rules.set_rule(s, admin, RuleInput(_sku(s, salt), "MAIN", 0, 3))
    return Case(coffee, salt, s1, s2, p1, p2)


def _sku(s, product_id: int) -> str:
    return s.get(Product, product_id).sku


def _sale(database, admin, products: list[int], total: int) -> int:
    cart = cart_of(database, *products)
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("card", total)], TILL, "till-1")
    return sale.order_id


def _partly_shipped(database, admin, coffee: int, customer: int) -> int:
    """Two coffees ordered and reserved, one found in the bin: it is picked, packed and
    shipped, the other is on backorder."""
    with database.write() as s:
        order_id = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(coffee, 2),), customer_id=customer)
        ).id
        order_actions.confirm(s, admin, order_id)
        wave = waves.create_wave(s, admin, [order_id])
        carrier = shipping.add_carrier(
            s, admin, CarrierInput("RPT", "Report Post", tracking_template="RP{n:08d}")
        )
        code = s.scalar(select(Barcode.code).where(Barcode.product_id == coffee))
    with database.write() as s:
        (row,) = picking.lines(s, wave.id)
        picking.pick_item(s, admin, row.id, code, row.bin_code)
        if row.quantity > 1:
            picking.short_pick(s, admin, row.id, "backorder")
    with database.write() as s:
        packing.pack_item(s, admin, order_id, code)
        for package in packing.state(s, order_id).packages:
            packing.set_weight(s, admin, package.id, 400)
        packing.finish(s, admin, order_id)
    with database.write() as s:
        shipping.ship(s, admin, order_id, carrier, print_labels=False)
    with database.read() as s:
        assert s.get(SalesOrder, order_id).status == "partly_shipped"
    return order_id
