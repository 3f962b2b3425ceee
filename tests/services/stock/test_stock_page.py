"""The Inventory screen's stock list (services/stock/stock_page.py): rows per product and
bin with levels, incoming and value, paged, narrowed by code or words; on both engines."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.bootstrap import default_warehouse_id
from app.core.errors import ValidationError
from app.models import Party, Product, PurchaseOrder, PurchaseOrderLine
from app.services.stock import catalogue, inventory
from app.services.stock.stock_page import stock_page
from tests import factories
from tests.conftest import role_actor


@pytest.fixture
def shelf(database, admin):
    with database.write() as s:
        a, b = factories.main_bin(s), factories.bin_beside_main(s, "MAIN-B2", 2)
    kettle = factories.product(database, admin, name="Copper kettle")
    mugs = [factories.product(database, admin, name=f"Blue mug {i}") for i in range(3)]
    with database.write() as s:
        catalogue.update_product(s, admin, kettle, cost=1250)
        inventory.receive(s, admin, kettle, a, 4)
        inventory.receive(s, admin, kettle, b, 2)
        inventory.reserve(s, admin, kettle, a, 1, inventory.MoveRef("order_line", 1))
        for pid in mugs:
            inventory.receive(s, admin, pid, b, 5)
        supplier = Party(name="Copper & Co", is_supplier=True)
        s.add(supplier)
        s.flush()
        order = PurchaseOrder(
            number="PO-000001",
            supplier_id=supplier.id,
            warehouse_id=default_warehouse_id(s),
            status="sent",
        )
        s.add(order)
        s.flush()
        s.add(PurchaseOrderLine(order_id=order.id, product_id=kettle, ordered=10, received=3))
    return kettle, mugs, a, b


def test_rows_carry_levels_incoming_and_value(database, admin, shelf):
    kettle, mugs, _a, _b = shelf
    with database.read() as s:
        sku = s.get(Product, kettle).sku
        rows = stock_page(s, admin, sku)
    assert [(r.bin, r.on_hand, r.reserved, r.available, r.incoming, r.value) for r in rows] == [
        ("MAIN-STOCK", 4, 1, 3, 7, 4 * 1250),
        ("MAIN-B2", 2, 0, 2, 7, 2 * 1250),
    ]
    assert {r.warehouse for r in rows} == {"MAIN"} and rows[0].name == "Copper kettle"


def test_pages_follow_product_then_bin_and_search_narrows(database, admin, shelf):
    kettle, mugs, _a, _b = shelf
    with database.read() as s:
        every = stock_page(s, admin, "", 0, 50)
        first, second = stock_page(s, admin, "", 0, 3), stock_page(s, admin, "", 3, 3)
        by_words = stock_page(s, admin, "blue mu")
        by_code = stock_page(s, admin, factories.make_ean(int(s.get(Product, mugs[1]).sku[2:])))
        nothing = stock_page(s, admin, "zzqx")
        elsewhere = stock_page(s, admin, "", warehouse_code="NOWHERE")
    assert len(every) == 5 and first + second == every
    assert [r.product_id for r in every] == sorted(r.product_id for r in every)
    assert sorted(r.product_id for r in by_words) == sorted(mugs)
    assert [r.product_id for r in by_code] == [mugs[1]]
    assert nothing == [] and elsewhere == []


def test_a_page_size_out_of_reason_is_refused(database, shelf):
    with database.read() as s:
        with pytest.raises(ValidationError):
            stock_page(s, role_actor(Role.PICKER), "", 0, 0)
        assert len(stock_page(s, role_actor(Role.CASHIER), "", 0, 2)) == 2
