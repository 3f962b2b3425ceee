"""A counter sale of a lot-tracked product takes its lots first-expiry-first-out on its
own, and never refuses the sale for the lot books: what they lack leaves untagged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select

from app.models import LotLevel, Product, StockMove
from app.services.sales import counter
from app.services.sales.counter import Tender
from app.services.stock import inventory, lots
from app.services.stock.integrity import check
from app.services.stock.inventory import MoveRef
from tests import factories
from tests.services.sales.shop import TILL, cart_of


def test_the_sale_takes_the_first_lot_to_expire_then_untagged_stock(database, admin, shop):
    pid = factories.product(database, admin, price=500, name="Fresh milk")
    today = lots.today()
    with database.write() as s:
        product = s.get(Product, pid)
        product.tracking = "lot"
        bin_id = factories.main_bin(s)
        inventory.receive(s, admin, pid, bin_id, 1)  # before the product tracked lots
        _m, late = lots.receive_lot(
            s, admin, product, bin_id, 2, "M-LATE", today + timedelta(days=9), MoveRef()
        )
        _m, soon = lots.receive_lot(
            s, admin, product, bin_id, 1, "M-SOON", today + timedelta(days=3), MoveRef()
        )
    with database.write() as s:
        sale = counter.complete_sale(
            s, admin, cart_of(database, pid, pid), [Tender("cash", 1000)], TILL, "till-1"
        )
    with database.read() as s:
        moves = s.execute(
            select(StockMove.lot_id, StockMove.quantity)
            .where(StockMove.product_id == pid, StockMove.origin_type == "order_line")
            .order_by(StockMove.id)
        ).all()
        assert [tuple(m) for m in moves] == [(soon.id, 1), (late.id, 1)]
        assert sale.order_id
    with database.write() as s:  # two more: one of M-LATE, one untagged; never refused
        counter.complete_sale(
            s, admin, cart_of(database, pid, pid), [Tender("cash", 1000)], TILL, "till-1"
        )
    with database.read() as s:
        left = s.scalars(select(LotLevel.on_hand).where(LotLevel.lot_id.in_([soon.id, late.id])))
        assert sum(left) == 0
        last = s.execute(
            select(StockMove.lot_id, StockMove.quantity)
            .where(StockMove.product_id == pid, StockMove.origin_type == "order_line")
            .order_by(StockMove.id)
        ).all()[2:]
        assert [tuple(m) for m in last] == [(late.id, 1), (None, 1)]
        assert check(s) == []


def test_a_product_without_lots_costs_the_sale_no_lot_query(database, admin, shop):
    coffee, _salt = shop
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = database.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        with database.write() as s:
            counter.complete_sale(
                s, admin, cart_of(database, coffee), [Tender("cash", 2000)], TILL, "till-1"
            )
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert any("stock_levels" in q for q in seen)  # the listener saw the sale's statements
    assert not [q for q in seen if "lot" in q.lower()]
