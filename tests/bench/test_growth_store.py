"""bench/growth_store.py: the growth bench's plain-SQL stores hold rows the services read
as their own, and `kestrel check` finds nothing wrong in them (a bench on a store the
program would call broken would measure nothing). Small stores; no time is asserted."""

from __future__ import annotations

from sqlalchemy import text

from app import cli, db
from app.core import auth
from app.services.sales import acceptance, order_detail
from app.services.sales.customer_search import find_customers
from app.services.sales.order_list import OrderQuery, count_orders, list_orders
from app.services.stock import catalogue
from app.services.stock.integrity import check
from app.services.stock.lookup import CodeLookup
from app.services.stock.stock_page import stock_page
from bench import growth_store, sales


def test_a_growth_store_reads_as_the_programs_own_and_passes_kestrel_check(tmp_path, capsys):
    path = growth_store.path_for(tmp_path, 2_000)
    growth_store.build(path, 2_000)
    url = f"sqlite:///{path}"
    assert cli.main(["check", "--database", url]) == 0, capsys.readouterr().out
    database, actor = db.Database.open(url), auth.SYSTEM
    with database.read() as s:
        assert count_orders(s, OrderQuery()) == 2_000
        newest = list_orders(s, OrderQuery(), 0, 200)
        assert len(newest) == 200 and newest[0].number == "SO-002000"
        assert [r.id for r in list_orders(s, OrderQuery(text="SO-001234"), 0, 10)] == [1234]
        by_name = list_orders(s, OrderQuery(text="murphy"), 0, 50)
        assert by_name and all("Murphy" in r.customer_name for r in by_name)
        order = order_detail.get_order(s, 1234, actor)
        assert len(order.lines) == 2 and order.events
        assert sum(line.total for line in order.lines) == order.total
        lumen = catalogue.products_page(s, "lumen", 0, 100)
        assert lumen and all("Lumen" in p.name for p in lumen)
        assert all("Mug" in p.name for p in catalogue.products_page(s, "lumen mug", 0, 100))
        assert len(find_customers(s, actor, "", 0, 50)) == 50
        assert len(stock_page(s, actor, "", 0, 50)) == 50
        queue = acceptance.queue_page(s, actor, 0, acceptance.PAGE)
        assert queue and all(row.email and row.ship_to.postcode for row in queue)
        code = s.execute(text("SELECT code FROM barcodes WHERE product_id = 7")).scalar_one()
    scanner = CodeLookup(database.engine)
    hit = scanner.find(code)
    scanner.close()
    assert hit is not None and hit.product_id == 7
    hits = sales.counter_hits(database)  # a till opened, counter stock found
    sales.sell(database, hits, 1)
    with database.read() as s:
        assert check(s) == []  # a sale on the bench store keeps it whole
    database.dispose()


def test_the_orders_only_store_passes_kestrel_check(tmp_path, capsys):
    path = growth_store.path_for(tmp_path, 500, orders=3_000)
    growth_store.build(path, 500, orders=3_000)
    assert cli.main(["check", "--database", f"sqlite:///{path}"]) == 0, capsys.readouterr().out
    database = db.Database.open(f"sqlite:///{path}")
    with database.read() as s:
        assert count_orders(s, OrderQuery()) == 3_000
        assert len(order_detail.get_order(s, 3_000).lines) == 1
    database.dispose()
    growth_store.build(path, 500, orders=3_000)  # cached: reused, not built again
    assert "reusing" in capsys.readouterr().out
