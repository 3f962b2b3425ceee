"""The paged Orders list queries: filters, text, sorting, paging."""

from __future__ import annotations

from app.admin.demo import build_demo
from app.services.sales import order_actions, order_detail, order_entry
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


def test_order_rows_reads_just_the_rows_asked_for(database, admin):
    """What a list re-reads for the rows a change named: one query by id, the same rows
    the page query gives, and with the list's query only those that still pass it."""
    from app.services.sales.order_list import order_rows

    with database.write() as s:
        build_demo(s, admin, products=20, customers=10, orders=40, with_users=False)
    with database.read() as s:
        page = list_orders(s, OrderQuery(), 0, 40)
        wanted = [page[3].id, page[17].id, page[30].id]
        rows = order_rows(s, [*wanted, wanted[0], 999_999])  # repeats and unknown ids
        assert [r.id for r in rows] == sorted(wanted)
        assert {r.id: r for r in rows} == {r.id: r for r in page if r.id in wanted}
        assert order_rows(s, []) == []
        status = page[3].status
        kept = order_rows(s, wanted, OrderQuery(status=status))
        assert kept and {r.status for r in kept} == {status}
        assert {r.id for r in kept} == {r.id for r in page if r.id in wanted and r.status == status}
        assert order_rows(s, wanted, OrderQuery(text="zzqqxx")) == []


def test_a_change_says_whether_a_list_must_reload_or_re_read_rows(database, admin):
    """A new order or a status change says so in its change set (with the ids); a list
    reloads for what may add or move a row, and re-reads the named rows otherwise."""
    from app.core import changes
    from app.services.sales.order_entry import LineInput, OrderInput
    from app.services.sales.order_list import keeps_place, order_rows, reload_needed
    from tests import factories

    pid = factories.product(database, admin, stock=5)
    seen: list[changes.ChangeSet] = []
    changes.subscribe(seen.append)
    try:
        with database.write() as s:
            ref = order_entry.create_order(s, admin, OrderInput("phone", (LineInput(pid, 1),)))
        with database.write() as s:
            order_actions.add_note(s, admin, ref.id, "customer called")
        with database.write() as s:
            order_actions.hold(s, admin, ref.id, "address unclear", ref.version + 1)
    finally:
        changes.unsubscribe(seen.append)
    created, noted, held = seen
    assert created.orders == noted.orders == held.orders == {ref.id}
    everything = OrderQuery()
    by_status = OrderQuery(status="new")
    assert reload_needed(everything, created) and reload_needed(by_status, created)
    assert not reload_needed(everything, noted) and not reload_needed(by_status, noted)
    assert not reload_needed(everything, held)  # the row stays where it is: re-read it
    assert reload_needed(by_status, held) and reload_needed(OrderQuery(sort="status"), held)
    assert reload_needed(everything, changes.ChangeSet(kinds=frozenset({"external"})))

    with database.read() as s:
        (now,) = order_rows(s, [ref.id])
    before = type(now)(**{**now.__dict__, "status": "new"})
    assert keeps_place(everything, before, now)
    assert not keeps_place(OrderQuery(sort="status"), before, now)
    assert not keeps_place(by_status, before, None)  # it left the filter
