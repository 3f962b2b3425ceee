"""The counter sale through prebuilt statements (counter_rows.py, stock/issuing.py): each
row read once, the stock levels changed last, two lines of one product sharing its bins;
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from app.core.errors import OutOfStock
from app.models import AuditEntry, OrderEvent, SalesOrder, StockMove
from app.services.sales import counter
from app.services.sales.cart import Cart, CartLine
from app.services.sales.counter import Tender
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests.services.sales.shop import TILL, cart_of


def _statements(database, work):
    sent: list[str] = []

    def grab(_conn, _cursor, statement, _parameters, _context, _many):
        sent.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", grab)
    try:
        work()
    finally:
        event.remove(database.engine, "before_cursor_execute", grab)
    return sent


def test_a_sale_reads_each_row_once_and_changes_the_levels_last(database, admin, shop):
    coffee, salt = shop
    cart = cart_of(database, coffee, salt)

    def sell():
        with database.write() as s:
            counter.complete_sale(s, admin, cart, [Tender("card", cart.totals()[2])], TILL, "t")

    sell()  # the first sale of a database makes what is missing (preview printers)
    sent = _statements(database, sell)
    reads = [sql for sql in sent if sql.startswith("SELECT")]
    assert len([sql for sql in reads if " FROM products " in sql]) == 1
    assert not [sql for sql in reads if " FROM sales_orders" in sql]  # nothing read back
    assert not [sql for sql in reads if sql.startswith("SELECT locations.")]  # codes come along
    writes = [i for i, sql in enumerate(sent) if sql.startswith(("INSERT", "UPDATE"))]
    levels = [i for i in writes if sent[i].startswith("UPDATE stock_levels")]
    chain = [i for i in writes if "audit_" in sent[i]]
    assert len(levels) == 2
    # every other write of the sale comes first; after the levels only the audit chain
    assert [i for i in writes if i > min(levels) and i not in levels] == chain


def test_two_lines_of_one_product_share_its_stock(database, admin, shop):
    coffee, _salt = shop  # 10 coffee on the shelf
    [line] = cart_of(database, coffee).lines

    def two_lines(first: int, second: int) -> Cart:
        return Cart([CartLine(**{**vars(line), "quantity": q}) for q in (first, second)])

    with pytest.raises(OutOfStock), database.write() as s:  # rolled back whole
        counter.complete_sale(s, admin, two_lines(6, 5), [Tender("cash", 99_999)], TILL, "t")
    with database.write() as s:
        cart = two_lines(6, 4)
        sale = counter.complete_sale(s, admin, cart, [Tender("card", cart.totals()[2])], TILL, "t")
    with database.read() as s:
        assert sum(r.on_hand for r in catalogue.product_stock(s, coffee)) == 0
        moves = s.scalars(
            select(StockMove.quantity).where(
                StockMove.product_id == coffee, StockMove.origin_type == "order_line"
            )
        ).all()
        assert sorted(moves) == [4, 6]  # the refused sale left none
        assert check(s) == []
        order = s.get(SalesOrder, sale.order_id)
        assert (order.status, order.version) == ("completed", 2)
        kinds = s.scalars(
            select(OrderEvent.kind)
            .where(OrderEvent.order_id == sale.order_id)
            .order_by(OrderEvent.id)
        ).all()
        assert kinds == ["created", "completed", "printed"]
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(5)).all()
        assert sorted(actions) == sorted(
            ["order.created", "stock.move", "stock.move", "order.completed", "print"]
        )
