"""The audit log records who did what on which workstation, and nobody can change it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core import audit
from app.core.auth import Role
from app.core.errors import AuthenticationFailed, PermissionDenied
from app.services.access import login
from app.services.sales import till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender, complete_sale
from tests import factories
from tests.conftest import role_actor


def test_logins_sales_moves_prints_and_drawer_are_recorded(database, admin):
    with pytest.raises(AuthenticationFailed):
        login.sign_in(database, "admin", "wrong", "till-7")
    signed = login.sign_in(database, "admin", "admin-pass", "till-7")
    pid = factories.product(database, admin, stock=3, name="Audited tea")
    with database.write() as s:
        till.open_session(s, signed, "till-7", 5000, "till-7")
        cart = Cart()
        cart.add(_hit(s, pid))
        sale = complete_sale(s, signed, cart, [Tender("cash", 5000)], "till-7", "till-7")
    with database.read() as s:
        rows = audit.search(s, admin)
        actions = [r.action for r in rows]
        assert actions.count("login.failed") == 1 and "login" in actions
        assert {
            "till.open",
            "order.created",
            "order.completed",
            "stock.move",
            "print",
            "drawer.open",
        } <= set(actions)
        sale_rows = audit.search(s, admin, sale.number)
        assert {r.workstation for r in sale_rows} == {"till-7"}
        assert {r.user_name for r in sale_rows} == {"Ada Admin"}
        logins = [r.action for r in audit.search(s, admin, action="login")]
        assert logins == ["login", "login.failed"]  # newest first
        assert all(r.action.startswith("order") for r in audit.search(s, admin, action="order"))
        with pytest.raises(PermissionDenied):
            audit.search(s, role_actor(Role.CASHIER))


def test_products_are_named_by_sku_and_name_and_found_by_them(database, admin):
    pid = factories.product(database, admin, stock=4, name="Audited oolong")
    with database.read() as s:
        from app.services.stock import catalogue

        sku = catalogue.product_rows(s, [pid])[0].sku
        moves = audit.search(s, admin, action="stock.move")
        assert moves and {r.subject for r in moves} == {f"{sku} Audited oolong"}
        assert not [r for r in audit.search(s, admin) if r.subject == f"product {pid}"]
        for words in (sku, "oolong"):
            found = audit.search(s, admin, words)
            assert [r.subject for r in found] == [f"{sku} Audited oolong"] * len(moves)


def _hit(session, product_id):
    from app.services.stock import catalogue

    return catalogue.find_by_code(session, catalogue.product_rows(session, [product_id])[0].sku)


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"]
)
def test_nobody_can_edit_the_audit_log(database, admin, statement):
    login.sign_in(database, "admin", "admin-pass", "ws")
    with pytest.raises(DBAPIError, match="append-only"):
        with database.write() as s:
            s.execute(text(statement))
    with database.read() as s:
        assert [r.action for r in audit.search(s, admin)] == ["login"]
