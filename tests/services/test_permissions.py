"""The permission matrix, enforced by the services themselves: every entry point that
changes something is called as every role. A role without the right gets PermissionDenied
and nothing is written; a role with it gets past the check (here it then stumbles on the
made-up arguments, which is fine: the point is that the check let it through)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.services import (
    assignment,
    audit,
    auth,
    catalogue,
    customers,
    demo,
    documents,
    gift_cards,
    inventory,
    orders,
    packing,
    parking,
    picking,
    printing,
    returns,
    shipping,
    till,
)
from app.services.auth import ROLE_PERMISSIONS, Permission, Role
from app.services.counter import Cart, Tender, complete_sale, refund_sale
from app.services.errors import KestrelError, PermissionDenied
from app.services.orders import LineInput, OrderInput
from tests.conftest import role_actor

P = Permission
NO = 999_999  # an id nothing has
ENTRY_POINTS: list[tuple[str, Permission, Callable[[Any, auth.Actor], object]]] = [
    (
        "orders.create_order",
        P.ORDERS_CREATE,
        lambda s, a: orders.create_order(s, a, OrderInput("phone", (LineInput(NO, 1),))),
    ),
    ("orders.accept", P.ORDERS_ACCEPT, lambda s, a: orders.accept(s, a, NO)),
    ("orders.confirm", P.ORDERS_ACCEPT, lambda s, a: orders.confirm(s, a, NO)),
    ("orders.hold", P.ORDERS_HOLD, lambda s, a: orders.hold(s, a, NO, "why")),
    ("orders.cancel", P.ORDERS_CANCEL, lambda s, a: orders.cancel(s, a, NO, "why")),
    ("orders.set_warehouse", P.ORDERS_ACCEPT, lambda s, a: orders.set_warehouse(s, a, NO, NO)),
    (
        "catalogue.create_product",
        P.CATALOGUE_EDIT,
        lambda s, a: catalogue.create_product(s, a, catalogue.ProductInput("", "", 0)),
    ),
    (
        "catalogue.update_product",
        P.CATALOGUE_EDIT,
        lambda s, a: catalogue.update_product(s, a, NO, name="x"),
    ),
    (
        "customers.create_customer",
        P.CUSTOMERS_EDIT,
        lambda s, a: customers.create_customer(s, a, customers.CustomerInput("")),
    ),
    ("inventory.receive", P.STOCK_RECEIVE, lambda s, a: inventory.receive(s, a, NO, NO, 1)),
    ("inventory.adjust", P.STOCK_ADJUST, lambda s, a: inventory.adjust(s, a, NO, NO, 1, "count")),
    (
        "inventory.transfer",
        P.STOCK_TRANSFER,
        lambda s, a: inventory.transfer(s, a, NO, NO, NO + 1, 1),
    ),
    (
        "inventory.write_off",
        P.STOCK_TRANSFER,
        lambda s, a: inventory.write_off(s, a, NO, NO, 1, "short"),
    ),
    (
        "inventory.reserve",
        P.STOCK_RESERVE,
        lambda s, a: inventory.reserve(s, a, NO, NO, 1, inventory.MoveRef()),
    ),
    ("auth.create_user", P.USERS_MANAGE, lambda s, a: auth.create_user(s, a, "", "", Role.CLERK)),
    ("demo.build_demo", P.DEMO_LOAD, lambda s, a: demo.build_demo(s, a, products=-1)),
    (
        "printing.add_printer",
        P.SETTINGS_MANAGE,
        lambda s, a: printing.add_printer(s, a, "ws", printing.PrinterInput("", "", "receipt")),
    ),
    (
        "documents.print_test_page",
        P.SETTINGS_MANAGE,
        lambda s, a: documents.print_test_page(s, a, NO),
    ),
    (
        "shipping.add_carrier",
        P.SETTINGS_MANAGE,
        lambda s, a: shipping.add_carrier(s, a, shipping.CarrierInput("", "")),
    ),
    ("assignment.add_rule", P.SETTINGS_MANAGE, lambda s, a: assignment.add_rule(s, a, "NOPE")),
    ("till.open_session", P.TILL_OPERATE, lambda s, a: till.open_session(s, a, "", 0)),
    ("till.cash_in", P.TILL_OPERATE, lambda s, a: till.cash_in(s, a, "nowhere", 100, "float")),
    (
        "counter.complete_sale",
        P.SALE_COMPLETE,
        lambda s, a: complete_sale(s, a, Cart(), [Tender("cash", 1)], "t", "t"),
    ),
    ("counter.refund_sale", P.SALE_COMPLETE, lambda s, a: refund_sale(s, a, NO, {}, "nowhere")),
    ("parking.park", P.SALE_COMPLETE, lambda s, a: parking.park(s, a, Cart(), "t")),
    (
        "gift_cards.redeem",
        P.SALE_COMPLETE,
        lambda s, a: gift_cards.redeem(s, a, "GC-NONE-000", 1, None, "x"),
    ),
    ("picking.create_wave", P.STOCK_TRANSFER, lambda s, a: picking.create_wave(s, a, [])),
    ("picking.pick_item", P.STOCK_TRANSFER, lambda s, a: picking.pick_item(s, a, NO, "x", "x")),
    (
        "picking.short_pick",
        P.STOCK_TRANSFER,
        lambda s, a: picking.short_pick(s, a, NO, "backorder"),
    ),
    ("packing.pack_item", P.STOCK_TRANSFER, lambda s, a: packing.pack_item(s, a, NO, "x")),
    ("packing.finish", P.STOCK_TRANSFER, lambda s, a: packing.finish(s, a, NO)),
    ("shipping.ship", P.STOCK_TRANSFER, lambda s, a: shipping.ship(s, a, NO, NO)),
    ("shipping.mark_delivered", P.ORDERS_ACCEPT, lambda s, a: shipping.mark_delivered(s, a, NO)),
    ("returns.create", P.ORDERS_ACCEPT, lambda s, a: returns.create(s, a, NO, {}, "why")),
    ("returns.receive_scan", P.STOCK_RECEIVE, lambda s, a: returns.receive_scan(s, a, NO, "x")),
    ("returns.refund", P.ORDERS_CANCEL, lambda s, a: returns.refund(s, a, NO)),
    ("audit.search", P.AUDIT_VIEW, audit.search),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "permission", "call"), ENTRY_POINTS, ids=[e[0] for e in ENTRY_POINTS]
)
def test_every_entry_point_as_every_role(sqlite_db, role, name, permission, call):
    actor = role_actor(role)
    allowed = permission in ROLE_PERMISSIONS[role]
    with sqlite_db.write() as s:
        nested = s.begin_nested()
        try:
            call(s, actor)
        except PermissionDenied:
            assert not allowed, f"{role.value} may {permission.value} but {name} refused"
        except KestrelError:
            assert allowed, f"{name} let {role.value} past the permission check"
        else:
            assert allowed, f"{name} let {role.value} through"
        nested.rollback()


def test_a_cashier_calling_a_manager_service_is_refused_in_words(sqlite_db):
    with sqlite_db.write() as s, pytest.raises(PermissionDenied, match="."):
        inventory.adjust(s, role_actor(Role.CASHIER), NO, NO, -1, "shrink")
