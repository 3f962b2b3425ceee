"""The back office end to end (issue 15's Tests), on SQLite and PostgreSQL, through the
services the screens and `kestrel` call: a shop that starts empty sets its tax classes,
imports its catalogue (CSV: barcodes, categories, tax classes) and opening stock (XLSX),
sells one item at the counter, adds a customer, takes a phone order, accepts and confirms
it, picks, packs and ships it. The ledger stays consistent at every step (`kestrel check`),
and a later change of a class's rate re-rates the catalogue but not the orders taken."""

from __future__ import annotations

from dataclasses import replace

from openpyxl import Workbook
from sqlalchemy import func, select

from app.core.auth import Role
from app.models import Barcode, Product, SalesOrder, StockLevel
from app.services import shop
from app.services.fulfilment import packing, picking, shipping, waves
from app.services.fulfilment.shipping import CarrierInput
from app.services.sales import counter, customers, entry, order_actions, order_detail, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.sales.entry import EntryInput, EntryLine
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests.conftest import role_actor
from tests.services.transfer.conftest import run_import, write_csv

CATALOGUE = [
    ["SKU", "Name", "Sale price", "Cost", "Tax class", "EAN", "Category"],
    ["BEAN-1", "House beans 1 kg", "18.50", "9.00", "Reduced", "4006381333931", "Coffee > Beans"],
    ["MUG-1", "Blue enamel mug", "12.30", "4.00", "standard", "96385074", "Kitchen"],
    ["CARD-1", "Greeting card", "3.00", "0.80", "Zero", "", "Cards"],
]
CLERK = role_actor(Role.CLERK)
PICKER = role_actor(Role.PICKER, "bench-1")


def _opening_stock(path):
    book = Workbook()
    sheet = book.active
    for row in (
        ["SKU", "Quantity", "Bin"],
        ["BEAN-1", 20, "MAIN-STOCK"],
        ["MUG-1", 6, "MAIN-STOCK"],
        ["CARD-1", 10, "MAIN-STOCK"],
    ):
        sheet.append(row)
    book.save(path)
    return path


def _clean(database):
    with database.read() as s:
        assert check(s) == []


def _on_hand(database, sku):
    with database.read() as s:
        return s.scalar(
            select(func.sum(StockLevel.on_hand))
            .join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == sku)
        )


def _start_the_shop(database, admin, tmp_path):
    """Tax classes, the catalogue by CSV and the opening stock by XLSX."""
    with database.write() as s:
        details = shop.shop_details(s)
        classes = {"Standard": 2300, "Reduced": 1350, "Zero": 0}
        shop.update_shop(s, admin, replace(details, name="Quay Coffee", tax_classes=classes))
        assert s.scalar(select(func.count(Product.id))) == 0  # it starts empty
    preview, result = run_import(
        database, admin, "products", write_csv(tmp_path / "catalogue.csv", CATALOGUE)
    )
    assert preview.ok and result.added == 3, preview.refused
    preview, result = run_import(database, admin, "stock", _opening_stock(tmp_path / "o.xlsx"))
    assert preview.ok and result.refused_total == 0, preview.refused
    with database.read() as s:
        rows = {p.sku: p for p in s.scalars(select(Product))}
        assert s.scalar(select(func.count(Barcode.id))) == 2
    assert {sku: (p.tax_class, p.tax_rate_bp) for sku, p in rows.items()} == {
        "BEAN-1": ("Reduced", 1350),
        "MUG-1": ("Standard", 2300),
        "CARD-1": ("Zero", 0),
    }
    assert (_on_hand(database, "BEAN-1"), _on_hand(database, "MUG-1")) == (20, 6)
    _clean(database)


def _sell_at_the_counter(database, admin):
    with database.write() as s:
        till.open_session(s, admin, "Till 1", 5_000, "till-1")
        hit = catalogue.find_by_code(s, "96385074")  # the mug's EAN-8, scanned
        cart = Cart()
        cart.add(hit)
        sale = counter.complete_sale(s, admin, cart, [Tender("cash", 2000)], "Till 1", "till-1")
    assert (sale.total, sale.change) == (1230, 770)
    assert _on_hand(database, "MUG-1") == 5
    _clean(database)


def _phone_order(database, admin):
    with database.write() as s:
        shipping.add_carrier(
            s, admin, CarrierInput("KP", "Kestrel Post", tracking_template="KP{n:06d}")
        )
        customer = customers.create_customer(
            s,
            CLERK,
            CustomerInput(
                "Nora Byrne",
                "nora@example.ie",
                "+353 91 555 0101",
                AddressInput("4 Dock Road", "Galway", "H91 A1B2", "IE"),
            ),
        )
        ref = entry.create_entry_order(
            s,
            CLERK,
            EntryInput(
                (EntryLine("BEAN-1", 2), EntryLine("MUG-1", 1), EntryLine("CARD-1", 1)),
                customer_id=customer,
                carrier_code="KP",
                shipping_cost=495,
                note="Ring the bell",
            ),
        )
    with database.read() as s:
        detail = order_detail.get_order(s, ref.id, admin)
    assert (detail.status, detail.channel, detail.customer_name) == ("new", "phone", "Nora Byrne")
    assert [(ln.sku, ln.tax_rate_bp) for ln in detail.lines] == [
        ("BEAN-1", 1350),
        ("MUG-1", 2300),
        ("CARD-1", 0),
        ("SHIPPING", 0),
    ]
    assert detail.total == 2 * 1850 + 1230 + 300 + 495
    return ref.id


def _fulfil(database, admin, order_id):
    """Accept, confirm, pick by scanning, pack, ship."""
    with database.write() as s:
        order_actions.accept(s, CLERK, order_id)
        order_actions.confirm(s, CLERK, order_id)
        wave = waves.create_wave(s, PICKER, [order_id])
    _clean(database)
    with database.read() as s:
        walk = picking.lines(s, wave.id)
        codes = {
            pid: s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
            or s.get(Product, pid).sku
            for pid in {ln.product_id for ln in walk}
        }
    for line in walk:
        with database.write() as s:
            for _ in range(line.quantity):
                picking.pick_item(s, PICKER, line.id, codes[line.product_id], line.bin_code)
    with database.write() as s:
        number = s.get(SalesOrder, order_id).number
        assert packing.open_for_packing(s, number) == order_id
        for line in packing.state(s, order_id).lines:
            for _ in range(line.at_bench):
                packing.pack_item(s, PICKER, order_id, codes[line.product_id])
        (package,) = packing.state(s, order_id).packages
        packing.set_weight(s, PICKER, package.id, 2300)
        packing.finish(s, PICKER, order_id)
        carrier = next(c.id for c in shipping.carriers(s) if c.code == "KP")
        shipped = shipping.ship(s, PICKER, order_id, carrier, print_labels=False)
    assert shipped.status == "shipped" and shipped.tracking == ("KP000001",)


def test_a_shop_that_starts_empty_sells_and_ships(database, admin, tmp_path):
    _start_the_shop(database, admin, tmp_path)
    _sell_at_the_counter(database, admin)
    order_id = _phone_order(database, admin)
    _fulfil(database, admin, order_id)
    with database.read() as s:
        order = s.get(SalesOrder, order_id)
        assert order.status == "shipped"
        taken_tax = order.tax_total
    assert [_on_hand(database, sku) for sku in ("BEAN-1", "MUG-1", "CARD-1")] == [18, 4, 9]
    _clean(database)

    with database.write() as s:  # the reduced rate changes: the catalogue follows, orders do not
        details = shop.shop_details(s)
        new = {**details.tax_classes, "Reduced": 900}
        shop.update_shop(s, admin, replace(details, tax_classes=new))
    with database.read() as s:
        assert catalogue.find_by_code(s, "4006381333931").tax_rate_bp == 900
        assert s.get(SalesOrder, order_id).tax_total == taken_tax
