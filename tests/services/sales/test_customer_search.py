"""Customer search: words of name, e-mail, phone; "where is my order" by order number and
by a parcel's tracking number; paging; merged customers are not found."""

from __future__ import annotations

from sqlalchemy import select

from app.admin.demo import build_demo
from app.core.auth import Role
from app.models import Package, SalesOrder
from app.services.sales import customers
from app.services.sales.customer_search import find_customers
from app.services.sales.customers import CustomerInput
from tests.conftest import role_actor

CLERK = role_actor(Role.CLERK)


def _make(database, admin, name, email="", phone=""):
    with database.write() as s:
        return customers.create_customer(s, admin, CustomerInput(name, email, phone))


def test_by_name_email_and_phone_however_it_is_typed(database, admin):
    orla = _make(database, admin, "Orla Walsh", "orla.walsh@example.com", "087 123 4567")
    _make(database, admin, "Oisín Walsh", "oisin@example.ie", "+353 1 555 0000")
    with database.read() as s:
        assert {h.name for h in find_customers(s, CLERK, "walsh")} == {"Orla Walsh", "Oisín Walsh"}
        assert [h.id for h in find_customers(s, CLERK, "orla wal")] == [orla]
        assert [h.id for h in find_customers(s, CLERK, "orla.walsh@example.com")] == [orla]
        assert [h.id for h in find_customers(s, CLERK, "0871234567")] == [orla]
        assert [h.id for h in find_customers(s, CLERK, "871234567")] == [orla]
        assert [h.name for h in find_customers(s, CLERK, "oisin")] == ["Oisín Walsh"]
        assert find_customers(s, CLERK, "zzqx") == []


def test_where_is_my_order_by_number_and_tracking(database, admin):
    with database.write() as s:
        build_demo(s, admin, products=30, customers=20, orders=120, with_users=False)
    with database.read() as s:
        order = s.execute(select(SalesOrder.number, SalesOrder.customer_id).limit(1)).one()
        parcel = s.execute(
            select(Package.tracking_number, SalesOrder.customer_id, SalesOrder.number)
            .join(SalesOrder, SalesOrder.id == Package.order_id)
            .where(Package.tracking_number != "")
            .limit(1)
        ).one()
        hits = find_customers(s, CLERK, order.number.lower())
        assert [h.id for h in hits] == [order.customer_id]
        assert hits[0].matched == f"order {order.number}"
        short = "SO-" + str(int(order.number[3:]))  # SO-42 finds SO-000042
        assert [h.id for h in find_customers(s, CLERK, short)] == [order.customer_id]
        by_parcel = find_customers(s, CLERK, f" {parcel.tracking_number.lower()} ")
        assert [h.id for h in by_parcel] == [parcel.customer_id]
        assert parcel.number in by_parcel[0].matched
        assert find_customers(s, CLERK, order.number, offset=50) == []


def test_pages_do_not_overlap(database, admin):
    for i in range(12):
        _make(database, admin, f"Pager Person{i:02d}")
    with database.read() as s:
        first = find_customers(s, CLERK, "pager", 0, 5)
        second = find_customers(s, CLERK, "pager", 5, 5)
        third = find_customers(s, CLERK, "pager", 10, 5)
        ids = [h.id for h in first + second + third]
        assert len(first) == len(second) == 5 and len(third) == 2
        assert len(set(ids)) == 12
        newest = find_customers(s, CLERK, "", 0, 3)
        assert [h.id for h in newest] == sorted((h.id for h in newest), reverse=True)
