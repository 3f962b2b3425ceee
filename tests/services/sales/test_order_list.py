"""The paged Orders list queries: filters, text, sorting, paging."""

from __future__ import annotations

from app.admin.demo import build_demo
from app.services.sales import order_detail, order_entry
from app.services.sales.order_list import OrderQuery, count_orders, list_orders


def test_filters_sorts_and_pages_over_a_demo_store(database, admin):
    with database.write() as s:
        build_demo(s, admin, products=60, customers=30, orders=300, with_users=False)
    with database.read() as s:
        page1 = list_orders(s, OrderQuery(), 0, 50)
        page2 = list_orders(s, OrderQuery(), 50, 50)
        assert len(page1) == 50 and len(page2) == 50
        assert page1[0].number == "SO-000300"
        assert page1[-1].id > page2[0].id
        assert count_orders(s, OrderQuery()) == 300

        confirmed = list_orders(s, OrderQuery(status="confirmed"), 0, 500)
        assert confirmed and {r.status for r in confirmed} == {"confirmed"}
        assert count_orders(s, OrderQuery(status="confirmed")) == len(confirmed)

        web = list_orders(s, OrderQuery(channel="web"), 0, 500)
        assert web and {r.channel for r in web} == {"web"}

        by_number = list_orders(s, OrderQuery(text="123"), 0, 10)
        assert [r.number for r in by_number] == ["SO-000123"]
        assert [r.number for r in list_orders(s, OrderQuery(text="so-000042"), 0, 10)] == [
            "SO-000042"
        ]

        name = page1[0].customer_name
        last = name.split()[-1][:4]
        by_customer = list_orders(s, OrderQuery(text=last), 0, 500)
        assert by_customer and all(last.lower() in r.customer_name.lower() for r in by_customer)
        assert list_orders(s, OrderQuery(text="zzqqxx"), 0, 10) == []

        by_total = list_orders(s, OrderQuery(sort="total", descending=False), 0, 300)
        totals = [r.total for r in by_total]
        assert totals == sorted(totals)

        detail = order_detail.get_order(s, page1[0].id)
        assert detail.number == page1[0].number


def test_numbering_continues_after_the_demo_store(database, admin):
    from app.services.sales.order_entry import LineInput, OrderInput
    from tests import factories

    with database.write() as s:
        build_demo(s, admin, products=5, customers=3, orders=7, with_users=False)
    pid = factories.product(database, admin)
    with database.write() as s:
        ref = order_entry.create_order(s, admin, OrderInput("phone", (LineInput(pid, 1),)))
    assert ref.number == "SO-000008"
