"""Importing products: matched by SKU, with barcodes and category paths; every bad row
named with its column and reason; all or nothing, or skipping the bad rows; audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core import audit, changes
from app.core.auth import Role
from app.core.errors import PermissionDenied
from app.models import AuditEntry, Barcode, Category, Product
from app.services.stock import catalogue
from app.services.stock.categories import CategoryTree
from app.services.transfer import imports
from tests.conftest import role_actor
from tests.services.transfer.conftest import write_csv

HEAD = ["SKU", "Name", "Sale Price", "Cost", "VAT %", "EAN", "Category", "Weight"]
GOOD = [
    ["C-1", "Beans 1 kg", "€12.50", "6.00", "23", "4006381333931", "Coffee > Beans", "1000"],
    ["C-2", "Ground 250 g", "4.20", "", "13.5", "96385074", "Coffee > Ground", "250"],
]


def products(database):
    with database.read() as s:
        return {p.sku: p for p in s.scalars(select(Product).order_by(Product.sku))}


def test_a_clean_file_previews_then_imports(database, admin, tmp_path, importer):
    path = write_csv(tmp_path / "p.csv", [HEAD, *GOOD], delimiter=";")
    heard = []
    changes.subscribe(heard.append)
    try:
        preview, result = importer("products", path)
    finally:
        changes.unsubscribe(heard.append)
    assert (preview.to_add, preview.to_update, preview.unchanged, preview.ok) == (2, 0, 0, True)
    assert preview.columns["price"] == "Sale Price" and preview.columns["tax"] == "VAT %"
    assert (result.added, result.updated, result.refused_total) == (2, 0, 0)
    rows = products(database)
    assert (rows["C-1"].price, rows["C-1"].cost, rows["C-1"].tax_rate_bp) == (1250, 600, 2300)
    assert (rows["C-2"].tax_rate_bp, rows["C-2"].weight_g) == (1350, 250)
    with database.read() as s:
        assert CategoryTree.load(s).path(rows["C-2"].category_id) == "Coffee > Ground"
        assert s.scalar(select(func.count(Category.id))) == 3  # Coffee, Beans, Ground
        hit = catalogue.find_by_code(s, "4006381333931")
        assert hit is not None and hit.sku == "C-1"
        assert [r.sku for r in catalogue.search_products(s, "ground")] == ["C-2"]
        created = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "product.created")
        ).all()
    assert any("price 12.50" in d for d in created)
    assert heard and {rows["C-1"].id, rows["C-2"].id} <= heard[-1].products


def test_the_preview_writes_nothing(database, admin, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEAD, *GOOD])
    with database.read() as s:
        preview = imports.preview(s, admin, "products", path)
    assert preview.to_add == 2
    assert products(database) == {}


def test_a_price_change_updates_and_is_audited_old_to_new(database, admin, tmp_path, importer):
    importer("products", write_csv(tmp_path / "a.csv", [HEAD, *GOOD]))
    changed = [HEAD, ["C-1", "", "13.00", "", "", "", "", ""], GOOD[1]]
    preview, result = importer("products", write_csv(tmp_path / "b.csv", changed))
    assert (preview.to_update, preview.unchanged) == (1, 1)
    assert (result.updated, result.unchanged) == (1, 1)
    assert products(database)["C-1"].price == 1300
    assert products(database)["C-1"].name == "Beans 1 kg"  # an empty cell keeps what is there
    with database.read() as s:
        details = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "product.updated")
        ).all()
    assert details == ["imported: price 12.50 -> 13.00"]
    with database.read() as s:  # the audit screen finds it under "product", named by SKU
        found = audit.search(s, admin, action="product")
    assert [r.subject for r in found if r.action == "product.updated"] == ["C-1 Beans 1 kg"]


def test_add_only_keeps_existing_products(database, admin, tmp_path, importer):
    importer("products", write_csv(tmp_path / "a.csv", [HEAD, GOOD[0]]))
    changed = [HEAD, ["C-1", "Renamed", "99", "", "", "", "", ""], GOOD[1]]
    _preview, result = importer(
        "products", write_csv(tmp_path / "b.csv", changed), update_existing=False
    )
    assert (result.added, result.updated, result.kept) == (1, 0, 1)
    assert products(database)["C-1"].name == "Beans 1 kg"


BAD = [
    (["C-9", "Neg", "-1.00", "", "", "", "", ""], "Sale Price", "negative"),
    (["C-9", "Neg cost", "1.00", "-2", "", "", "", ""], "Cost", "negative"),
    (["C-9", "Tax", "1.00", "", "101", "", "", ""], "VAT %", "between 0 and 100"),
    (["C-9", "Check", "1.00", "", "", "4006381333932", "", ""], "EAN", "check digit"),
    (["C-9", "", "1.00", "", "", "", "", ""], "Name", "needs a name"),
    (["C-9", "No price", "", "", "", "", "", ""], "Sale Price", "needs a price"),
    (["C 9", "Space", "1", "", "", "", "", ""], "SKU", "no spaces"),
    (["C-9", "Bell\x07", "1", "", "", "", "", ""], "Name", "control character"),
    (["C-9", "Money", "12.5.0", "", "", "", "", ""], "Sale Price", "does not fit"),
    (["C-9", "Cat", "1", "", "", "", "Coffee >  > Beans", ""], "Category", "required"),
]


@pytest.mark.parametrize(("row", "column", "reason"), BAD, ids=[b[2] for b in BAD])
def test_each_bad_row_names_its_row_column_and_reason(
    database, admin, tmp_path, row, column, reason
):
    path = write_csv(tmp_path / "bad.csv", [HEAD, GOOD[0], row])
    with database.read() as s:
        preview = imports.preview(s, admin, "products", path)
    assert not preview.ok
    assert [(r.row, r.column) for r in preview.refused] == [(3, column)]
    assert reason in preview.refused[0].reason
    with pytest.raises(imports.ImportRefused) as refused, database.write() as s:
        imports.apply(s, admin, preview)
    assert refused.value.result.refused[0].row == 3
    assert products(database) == {}  # one bad row: nothing, not even the good one


def test_duplicates_in_the_file_and_against_the_database(database, admin, tmp_path, importer):
    importer("products", write_csv(tmp_path / "a.csv", [HEAD, GOOD[0]]))
    rows = [
        HEAD,
        ["N-1", "New", "1", "", "", "4006381333931", "", ""],  # C-1's barcode
        ["N-2", "Dup sku", "1", "", "", "", "", ""],
        ["N-2", "Dup sku again", "1", "", "", "", "", ""],
        ["N-3", "Code", "1", "", "", "96385074", "", ""],
        ["N-4", "Same code", "1", "", "", "96385074", "", ""],
    ]
    path = write_csv(tmp_path / "b.csv", rows)
    preview, result = importer("products", path, skip_bad=True)
    found = {(r.row, r.column): r.reason for r in preview.refused}
    assert "already belongs to C-1" in found[(2, "EAN")]
    assert "also on row 3" in found[(4, "SKU")]
    assert "also on row 5" in found[(6, "EAN")]
    assert (result.added, result.refused_total) == (2, 3)
    assert set(products(database)) == {"C-1", "N-2", "N-3"}


def test_several_barcodes_in_one_cell_and_codes_the_product_has_are_left(
    database, admin, tmp_path, importer
):
    first = [HEAD, ["M-1", "Multi", "1", "", "", "4006381333931|96385074", "", ""]]
    importer("products", write_csv(tmp_path / "a.csv", first))
    again = [HEAD, ["M-1", "Multi", "1", "", "", "96385074; 5012345678900", "", ""]]
    preview, _ = importer("products", write_csv(tmp_path / "b.csv", again))
    assert preview.to_update == 1
    with database.read() as s:
        codes = s.scalars(select(Barcode.code).order_by(Barcode.code)).all()
    assert codes == ["4006381333931", "5012345678900", "96385074"]


def test_importing_needs_a_manager(database, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEAD, *GOOD])
    for role in (Role.CLERK, Role.CASHIER, Role.PICKER):
        with database.read() as s, pytest.raises(PermissionDenied, match="data.import"):
            imports.preview(s, role_actor(role), "products", path)
    with database.read() as s:
        assert imports.preview(s, role_actor(Role.MANAGER), "products", path).to_add == 2


def test_progress_is_reported_and_cancel_stops_with_nothing_written(
    database, admin, tmp_path, monkeypatch
):
    monkeypatch.setattr(imports, "CHUNK", 10)
    rows = [[f"P-{i}", f"Product {i}", "1.00", "", "", "", "", ""] for i in range(45)]
    path = write_csv(tmp_path / "p.csv", [HEAD, *rows])
    seen = []
    with database.read() as s:
        preview = imports.preview(s, admin, "products", path, report=lambda *a: seen.append(a))
    assert len(seen) >= 4 and seen[-1][0] == "checking" and seen[-1][1] == seen[-1][2]
    calls = iter(range(100))
    with pytest.raises(imports.ImportCancelled, match="nothing"), database.write() as s:
        imports.apply(s, admin, preview, cancelled=lambda: next(calls) >= 2)
    assert products(database) == {}


def test_a_tax_class_column_brings_the_class_rate(database, admin, tmp_path, importer):
    head = ["SKU", "Name", "Price", "VAT %", "Tax class"]
    path = write_csv(
        tmp_path / "p.csv",
        [head, ["T-1", "Tea", "3", "", "reduced"], ["T-2", "Cup", "5", "23", "Standard"]],
    )
    preview, result = importer("products", path)
    assert preview.columns["tax_class"] == "Tax class" and result.added == 2
    rows = products(database)
    assert (rows["T-1"].tax_class, rows["T-1"].tax_rate_bp) == ("Reduced", 1350)
    assert (rows["T-2"].tax_class, rows["T-2"].tax_rate_bp) == ("Standard", 2300)
    again = write_csv(tmp_path / "q.csv", [["SKU", "Tax"], ["T-1", "9"], ["T-2", "23"]])
    _preview, result = importer("products", again)
    assert (result.updated, result.unchanged) == (1, 1)
    rows = products(database)
    assert (rows["T-1"].tax_class, rows["T-1"].tax_rate_bp) == ("", 900)  # its own rate now
    assert rows["T-2"].tax_class == "Standard"


def test_a_bad_tax_class_or_a_rate_against_it_is_named(database, admin, tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        [
            ["SKU", "Name", "Price", "Tax %", "Tax class"],
            ["T-1", "Tea", "3", "", "Luxury"],
            ["T-2", "Cup", "5", "20", "Standard"],
        ],
    )
    with database.read() as s:
        preview = imports.preview(s, admin, "products", path)
    said = {(r.row, r.column): r.reason for r in preview.refused}
    assert "no tax class 'Luxury'" in said[(2, "Tax class")]
    assert "not the rate of the class Standard (23 %)" in said[(3, "Tax %")]
