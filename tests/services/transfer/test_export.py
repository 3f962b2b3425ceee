"""Export writes what the import reads: exporting and importing the same file changes
nothing, in CSV and in XLSX, and a file exported from one store builds the same in another."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.auth import Role
from app.core.errors import PermissionDenied, ValidationError
from app.models import AuditEntry
from app.services.sales import customers
from app.services.stock import catalogue
from app.services.transfer import export
from tests import factories
from tests.conftest import role_actor
from tests.services.transfer.conftest import run_import, write_csv

PRODUCTS = [
    [
        "SKU",
        "Name",
        "Description",
        "Price",
        "Cost",
        "Tax %",
        "Tax class",
        "Barcode",
        "Category",
        "Weight",
    ],
    [
        "K-1",
        "Kaffee „Spezial“",
        'two\nlines, "quoted"',
        "12.50",
        "6",
        "7.5",
        "",
        "4006381333931|96385074",
        "Coffee > Beans",
        "1000",
    ],
    ["K-2", "=Not a formula", "", "0.99", "0", "0", "Zero", "012345678905", "", "0"],
    ["K-3", "Tea", "", "3", "1", "23", "Standard", "", "Tea", "250"],
]


def fill(database, admin, tmp_path):
    run_import(database, admin, "products", write_csv(tmp_path / "seed.csv", PRODUCTS))
    factories.customer(database, admin, "Orla Walsh")
    with database.write() as s:
        customers.create_customer(s, admin, customers.CustomerInput("Walk-up Wanda", phone="1"))
        customers.create_customer(
            s,
            admin,
            customers.CustomerInput("Beans Ltd", "b@beans.ie", is_supplier=True, is_customer=False),
        )
        k1 = catalogue.find_by_code(s, "K-1").product_id
        extra = factories.bin_beside_main(s, "B-02", 3)
    run_import(
        database,
        admin,
        "stock",
        write_csv(
            tmp_path / "stock.csv",
            [
                ["SKU", "Qty", "Bin"],
                ["K-1", "5", "MAIN-STOCK"],
                ["K-1", "2", "B-02"],
                ["K-3", "9", "MAIN-STOCK"],
            ],
        ),
    )
    return k1, extra


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", ["products", "customers", "suppliers", "stock"])
def test_export_then_import_changes_nothing(database, admin, tmp_path, kind, suffix):
    fill(database, admin, tmp_path)
    path = tmp_path / f"{kind}{suffix}"
    with database.read() as s:
        written = export.export(s, admin, kind, path)
    assert written == {"products": 3, "customers": 2, "suppliers": 1, "stock": 3}[kind]
    with database.read() as s:
        audited = s.scalar(select(func.count(AuditEntry.id)))
    preview, result = run_import(database, admin, kind, path)
    assert preview.ok, preview.refused
    assert (result.added, result.updated, result.unchanged) == (0, 0, written)
    with database.read() as s:  # only the import's own entry: no product or stock changed
        assert s.scalar(select(func.count(AuditEntry.id))) == audited + 1
    again = tmp_path / f"again{suffix}"
    with database.read() as s:
        export.export(s, admin, kind, again)
    if suffix == ".csv":
        assert again.read_bytes() == path.read_bytes()


def test_a_product_export_rebuilds_the_catalogue_in_an_empty_store(
    database, admin, tmp_path, sqlite_template
):
    import shutil

    from app import db
    from app.core.bootstrap import ensure_base_data

    fill(database, admin, tmp_path)
    path = tmp_path / "all.csv"
    with database.read() as s:
        export.export(s, admin, "products", path)
    copy = tmp_path / "other.sqlite"
    shutil.copyfile(sqlite_template, copy)
    other = db.Database.open(f"sqlite:///{copy}")
    with other.write() as s:
        ensure_base_data(s)
    _preview, result = run_import(other, admin, "products", path)
    assert result.added == 3
    second = tmp_path / "second.csv"
    with other.read() as s:
        export.export(s, admin, "products", second)
    other.dispose()
    assert second.read_bytes() == path.read_bytes()
    assert "012345678905" in path.read_text("utf-8")  # the UPC keeps its leading zero


def test_export_needs_a_manager_and_a_known_format(database, admin, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with database.read() as s, pytest.raises(PermissionDenied, match="data.export"):
        export.export(s, role_actor(Role.CLERK), "customers", out / "c.csv")
    with database.read() as s, pytest.raises(ValidationError, match="xlsx"):
        export.export(s, admin, "customers", out / "c.pdf")
    assert list(out.iterdir()) == []


def test_tax_text():
    assert [export.tax_text(v) for v in (0, 750, 2000, 1234)] == ["0", "7.5", "20", "12.34"]
