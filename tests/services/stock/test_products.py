"""The catalogue editor's use cases on SQLite and PostgreSQL: detail, save with a version
check, codes, archiving, bulk edits, audited prices that the counter sells at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core import audit, changes
from app.core.errors import ConflictError, NotFound, ValidationError
from app.models import Barcode, Product, SalesOrder
from app.services.sales import counter, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.stock import catalogue, products
from app.services.stock.catalogue import BarcodeInput
from app.services.stock.lookup import CodeLookup
from app.services.stock.products import BulkEdit, ProductForm
from tests import factories

EAN = "4006381333931"
CASE = "14006381333938"  # a GTIN-14 case code of the same item


def _form(**kw) -> ProductForm:
    data = {"sku": "MUG-1", "name": "Blue enamel mug", "price": 1299, **kw}
    return ProductForm(**data)


def _save(database, admin, form, product_id=None, version=""):
    with database.write() as s:
        return products.save(s, admin, form, product_id, version)


def _detail(database, admin, pid):
    with database.read() as s:
        return products.detail(s, admin, pid)


def test_create_and_read_back_everything(database, admin):
    form = _form(
        description="Holds 350 ml",
        unit="box",
        cost=400,
        tax_rate_bp=2300,
        weight_g=320,
        track_stock=False,
        barcodes=(BarcodeInput(EAN), BarcodeInput(CASE, 12)),
    )
    pid = _save(database, admin, form)
    got = _detail(database, admin, pid)
    assert (got.sku, got.name, got.description, got.unit) == (
        "MUG-1",
        "Blue enamel mug",
        "Holds 350 ml",
        "box",
    )
    assert (got.price, got.cost, got.tax_rate_bp, got.weight_g) == (1299, 400, 2300, 320)
    assert (got.track_stock, got.archived) == (False, False)
    assert [(b.code, b.symbology, b.pack_qty) for b in got.barcodes] == [
        (EAN, "EAN-13", 1),
        (CASE, "GTIN-14", 12),
    ]
    with database.read() as s:
        assert catalogue.find_by_code(s, CASE).pack_qty == 12
    with database.read() as s, pytest.raises(NotFound):
        products.detail(s, admin, 999_999)


def test_save_changes_fields_and_codes_and_checks_the_version(database, admin):
    pid = _save(database, admin, _form(barcodes=(BarcodeInput(EAN), BarcodeInput("OLD-CASE", 6))))
    opened = _detail(database, admin, pid)
    changed = _form(
        sku="MUG-2",
        name="Red enamel mug",
        price=1499,
        archived=True,
        barcodes=(BarcodeInput(EAN, 1), BarcodeInput(CASE, 24)),
    )
    _save(database, admin, changed, pid, opened.version)
    got = _detail(database, admin, pid)
    assert (got.sku, got.name, got.price, got.archived) == ("MUG-2", "Red enamel mug", 1499, True)
    assert [(b.code, b.pack_qty) for b in got.barcodes] == [(EAN, 1), (CASE, 24)]
    assert got.version != opened.version
    with database.read() as s:
        assert [r.id for r in catalogue.search_products(s, "red mug")] == [pid]
        assert catalogue.find_by_code(s, "OLD-CASE") is None
    # the editor that opened before that save cannot overwrite it
    with pytest.raises(ConflictError, match="changed on another workstation"):
        _save(database, admin, _form(price=1), pid, opened.version)
    assert _detail(database, admin, pid).price == 1499
    # a change of codes alone moves the version too
    _save(database, admin, changed, pid, got.version)
    assert _detail(database, admin, pid).version == got.version  # nothing changed
    with_fewer = ProductForm(**{**changed.__dict__, "barcodes": (BarcodeInput(EAN),)})
    _save(database, admin, with_fewer, pid, got.version)
    assert _detail(database, admin, pid).version != got.version


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"sku": "TAKEN-1"}, "sku", "SKU TAKEN-1 is already used"),
        ({"barcodes": (BarcodeInput(EAN),)}, "barcode", f"Barcode {EAN} already belongs to"),
        ({"barcodes": (BarcodeInput("4006381333932"),)}, "barcode", "check digit is wrong"),
        ({"price": -1}, "Price", "Price cannot be negative"),
        ({"cost": -5}, "Cost", "Cost cannot be negative"),
        ({"tax_rate_bp": 10_001}, "tax_rate_bp", "between 0 and 100 %"),
        ({"barcodes": (BarcodeInput(CASE, 0),)}, "Pack quantity", "Pack quantity must be more"),
        ({"sku": " "}, "SKU", "SKU is required"),
    ],
)
def test_bad_forms_name_the_field_and_write_nothing(database, admin, kw, field, message):
    _save(database, admin, _form(sku="TAKEN-1", barcodes=(BarcodeInput(EAN),)))
    pid = _save(database, admin, _form(sku="MINE-1"))
    before = _detail(database, admin, pid)
    for target in (None, pid):  # a new product, and an edit of an existing one
        with pytest.raises(ValidationError, match=message) as caught:
            _save(database, admin, _form(**kw), target, before.version if target else "")
        assert caught.value.field == field
    assert _detail(database, admin, pid) == before
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 2


def test_remove_barcode_and_set_pack_quantity(database, admin):
    pid = _save(database, admin, _form(barcodes=(BarcodeInput(EAN), BarcodeInput(CASE, 6))))
    with database.write() as s:
        products.set_pack_qty(s, admin, pid, CASE, 12)
    with database.read() as s:
        assert catalogue.find_by_code(s, CASE).pack_qty == 12
    with database.write() as s:
        products.remove_barcode(s, admin, pid, EAN)
    with database.read() as s:
        assert catalogue.find_by_code(s, EAN) is None
        assert s.scalar(select(func.count()).select_from(Barcode)) == 1
    other = factories.product(database, admin)
    with database.write() as s, pytest.raises(NotFound, match="no barcode"):
        products.remove_barcode(s, admin, other, CASE)  # not that product's code
    with database.write() as s, pytest.raises(ValidationError, match="Pack quantity"):
        products.set_pack_qty(s, admin, pid, CASE, 0)


def test_archive_and_bring_back(database, admin):
    first, second = factories.product(database, admin), factories.product(database, admin)
    with database.write() as s:
        assert products.set_archived(s, admin, [first, second], True) == 2
    assert _detail(database, admin, first).archived and _detail(database, admin, second).archived
    with database.write() as s:
        products.set_archived(s, admin, [second], False)
    assert not _detail(database, admin, second).archived
    with database.write() as s, pytest.raises(NotFound):
        products.set_archived(s, admin, [first, 999_999], False)
    assert _detail(database, admin, first).archived  # all or nothing


def test_bulk_edit_price_percent_and_tax_in_one_transaction(database, admin):
    a = factories.product(database, admin, price=1000, tax=2300)
    b = factories.product(database, admin, price=333, tax=2300)
    untouched = factories.product(database, admin, price=500)
    with database.write() as s:
        assert products.bulk_edit(s, admin, [a, b], BulkEdit(percent_bp=1000)) == 2
    assert [_detail(database, admin, p).price for p in (a, b, untouched)] == [1100, 366, 500]
    with database.write() as s:
        products.bulk_edit(s, admin, [a, b], BulkEdit(price=999, tax_rate_bp=1350))
    for pid in (a, b):
        assert (_detail(database, admin, pid).price, _detail(database, admin, pid).tax_rate_bp) == (
            999,
            1350,
        )
    for bad, message in (
        (BulkEdit(tax_rate_bp=10_001), "between 0 and 100 %"),
        (BulkEdit(price=-1), "Price cannot be negative"),
        (BulkEdit(percent_bp=-10_001), "between -100 % and"),
        (BulkEdit(price=1, percent_bp=10), "not both"),
        (BulkEdit(), "Say what to change"),
    ):
        with database.write() as s, pytest.raises(ValidationError, match=message):
            products.bulk_edit(s, admin, [a, b], bad)
    with database.write() as s, pytest.raises(ValidationError, match="at least one"):
        products.bulk_edit(s, admin, [], BulkEdit(price=1))
    assert _detail(database, admin, a).price == 999


def test_a_bad_product_in_a_bulk_edit_changes_none(database, admin):
    a = factories.product(database, admin, price=1000)
    with database.write() as s, pytest.raises(NotFound):
        products.bulk_edit(s, admin, [a, 999_999], BulkEdit(price=1))
    assert _detail(database, admin, a).price == 1000


def test_price_changes_are_audited_with_old_and_new(database, admin):
    pid = _save(database, admin, _form(price=1299, cost=500))
    opened = _detail(database, admin, pid)
    _save(database, admin, _form(price=1349, cost=500), pid, opened.version)
    with database.write() as s:
        products.bulk_edit(s, admin, [pid], BulkEdit(percent_bp=-1000))
    with database.read() as s:
        rows = audit.search(s, admin, "MUG-1", "product.price")
    assert [r.detail for r in rows] == ["price €13.49 -> €12.14", "price €12.99 -> €13.49"]
    assert rows[0].subject == "MUG-1 Blue enamel mug"
    assert {r.user_name for r in rows} == {"Ada Admin"}


def test_a_price_change_is_noticed_and_the_counter_sells_at_the_new_price(database, admin):
    pid = factories.product(database, admin, price=1000, tax=0, stock=5)
    with database.read() as s:
        code = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
    with database.write() as s:
        till.open_session(s, admin, "Till 1", 10_000, "till-1")
    heard: list[changes.ChangeSet] = []
    changes.subscribe(heard.append)
    lookup = CodeLookup(database.engine)  # the counter's scanner connection, opened first
    try:
        assert lookup.find(code).price == 1000
        opened = _detail(database, admin, pid)
        _save(
            database,
            admin,
            _form(sku=opened.sku, name=opened.name, price=1250, barcodes=(BarcodeInput(code),)),
            pid,
            opened.version,
        )
        assert any(pid in c.products and "catalogue" in c.kinds for c in heard)
        cart = Cart()
        cart.add(lookup.find(code))  # the next scan
    finally:
        lookup.close()
        changes.unsubscribe(heard.append)
    assert cart.lines[0].unit_price == 1250
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("cash", 1250)], "Till 1", "till-1")
    with database.read() as s:
        assert s.get(SalesOrder, sale.order_id).total == 1250
