"""Headers matched by name with the variants shops write, and mappings saved per file
layout and by name."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.services.transfer import headers, imports
from tests.conftest import role_actor
from tests.services.transfer.conftest import write_csv


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("products", "Sale Price", "price"),
        ("products", "VAT %", "tax"),
        ("products", "Tax rate", "tax"),
        ("products", "EAN13", "barcode"),
        ("products", "GTIN", "barcode"),
        ("products", "UPC", "barcode"),
        ("products", " sku ", "sku"),
        ("products", "Weight (kg)", "weight_kg"),
        ("stock", "Qty", "quantity"),
        ("stock", "On hand", "quantity"),
        ("stock", "Bin code", "bin"),
        ("customers", "Zip", "postcode"),
        ("customers", "Post code", "postcode"),
        ("customers", "E-mail address", "email"),
        ("suppliers", "EMAIL", "email"),
        ("products", "Artikelnummer", "sku"),
        ("products", "Art.-Nr.", "sku"),  # also the German screen's own column title
        ("products", "MwSt. %", "tax"),
        ("products", "EK-Preis", "cost"),
        ("products", "Warengruppe", "category"),
        ("products", "Référence", "sku"),
        ("products", "Désignation", "name"),
        ("products", "Prix TTC", "price"),
        ("products", "TVA", "tax"),
        ("products", "Código de barras", "barcode"),
        ("products", "PVP", "price"),
        ("customers", "PLZ", "postcode"),
        ("customers", "Straße", "street"),
        ("customers", "Ort", "city"),
        ("customers", "Code postal", "postcode"),
        ("customers", "Correo electrónico", "email"),
        ("suppliers", "Lieferantennummer", "code"),
        ("stock", "Lagerplatz", "bin"),
        ("stock", "Menge", "quantity"),
        ("stock", "Existencias", "quantity"),
        ("reorder-rules", "Meldebestand", "min"),
    ],
)
def test_usual_headers_need_no_mapping(kind, header, field):
    assert headers.auto_mapping(kind, ["x", header]) == {field: 1}


def test_a_german_shops_header_row_maps_itself():
    header = ["Artikelnummer", "Bezeichnung", "VK-Preis", "MwSt.", "EAN", "Warengruppe"]
    assert headers.auto_mapping("products", header) == {
        "sku": 0,
        "name": 1,
        "price": 2,
        "tax": 3,
        "barcode": 4,
        "category": 5,
    }


def test_the_missing_column_is_named_in_the_users_language():
    from app.core import i18n

    i18n.use_language("de")
    try:
        with pytest.raises(ValidationError, match=r"Keine Spalte für Art\.-Nr\. \(oder item sku"):
            headers.mapping_for(None, "products", ["Name", "Price"], columns={})  # type: ignore[arg-type]
    finally:
        i18n.use_language("en")


def test_a_missing_required_column_is_named():
    with pytest.raises(ValidationError, match="No column for SKU"):
        headers.mapping_for(None, "products", ["Name", "Price"], columns={})  # type: ignore[arg-type]


def test_a_mapping_is_saved_per_layout_and_by_name(database, admin, tmp_path):
    odd = ["Artikel", "Bezeichnung", "VK"]
    path = write_csv(tmp_path / "odd.csv", [odd, ["A-1", "Becher", "4,50"]], delimiter=";")
    with database.read() as s, pytest.raises(ValidationError, match="No column for SKU"):
        imports.preview(s, admin, "products", path)
    columns = {"sku": "Artikel", "name": "Bezeichnung", "price": "VK"}
    with database.read() as s:
        assert imports.preview(s, admin, "products", path, columns=columns).to_add == 1
    with database.write() as s:
        headers.save_mapping(s, admin, "products", odd, columns, name="lieferant")
    with database.read() as s:  # the same layout again: no mapping needed
        assert imports.preview(s, admin, "products", path).columns == columns
    other = write_csv(tmp_path / "o2.csv", [["Artikel", "VK", "Bezeichnung"], ["A", "1", "B"]])
    with database.read() as s:
        preview = imports.preview(s, admin, "products", other, mapping_name="lieferant")
        assert preview.columns == columns
        with pytest.raises(NotFound, match="no saved mapping"):
            imports.preview(s, admin, "products", other, mapping_name="nobody")
        with pytest.raises(ValidationError, match="for products, not stock"):
            headers.named(s, "stock", "lieferant")
    with database.write() as s, pytest.raises(PermissionDenied):
        headers.save_mapping(s, role_actor(Role.CLERK), "products", odd, columns)


def test_a_mapping_naming_a_missing_column_is_refused():
    with pytest.raises(ValidationError, match="column 'Preis' this file does not have"):
        headers.resolve("products", ["SKU"], {"price": "Preis"})
    with pytest.raises(ValidationError, match="not a field"):
        headers.resolve("products", ["SKU"], {"colour": "SKU"})
