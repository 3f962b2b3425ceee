"""Importing customers and suppliers: matched by e-mail (or name and phone without one),
with their default address; a customer imported as a supplier becomes both."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Address, Party
from app.services.sales import customers
from app.services.transfer import imports
from tests.services.transfer.conftest import write_csv

HEAD = [
    "Full name",
    "E-mail address",
    "Telephone",
    "Address line 1",
    "Town",
    "Post code",
    "Country",
]


def parties(database):
    with database.read() as s:
        return {
            p.name: (p.email, p.phone, p.is_customer, p.is_supplier)
            for p in s.scalars(select(Party).where(Party.is_walk_in.is_(False)))
        }


def test_customers_are_added_then_matched_by_e_mail(database, admin, tmp_path, importer):
    rows = [
        HEAD,
        ["Orla Walsh", "orla@example.ie", "+353 1 555", "1 Quay St", "Galway", "H91", "Ireland"],
        ["Jan Nowak", "", "600 100 200", "", "", "", ""],
    ]
    preview, result = importer(
        "customers", write_csv(tmp_path / "c.csv", rows, encoding="utf-8-sig", delimiter=";")
    )
    assert (
        preview.columns["email"] == "E-mail address" and preview.columns["postcode"] == "Post code"
    )
    assert result.added == 2
    with database.read() as s:
        (hit,) = customers.search_customers(s, "orla@example.ie")
        address = customers.default_address(s, hit.id)
    assert (address.line1, address.city, address.country) == ("1 Quay St", "Galway", "IE")
    moved = [
        HEAD,
        ["Orla Walsh", "ORLA@example.ie", "", "", "Dublin", "D01", ""],
        ["Jan Nowak", "", "600 100 200", "", "", "", ""],
    ]
    _preview, result = importer("customers", write_csv(tmp_path / "d.csv", moved))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    with database.read() as s:
        addresses = s.scalars(select(Address)).all()
    assert [(a.line1, a.city, a.postcode) for a in addresses] == [("1 Quay St", "Dublin", "D01")]


def test_a_customer_imported_as_a_supplier_is_both(database, admin, tmp_path, importer):
    rows = [HEAD, ["Roastery Ltd", "sales@roastery.ie", "", "", "", "", ""]]
    importer("customers", write_csv(tmp_path / "c.csv", rows))
    _preview, result = importer("suppliers", write_csv(tmp_path / "s.csv", rows))
    assert result.updated == 1
    assert parties(database)["Roastery Ltd"][2:] == (True, True)


def test_bad_party_rows_name_their_column(database, admin, tmp_path):
    rows = [
        HEAD,
        ["No mail", "not-an-address", "", "", "", "", ""],
        ["", "", "123", "", "", "", ""],
        ["Half address", "half@example.ie", "", "1 Main St", "", "", "IE"],
        ["Nowhere", "nowhere@example.ie", "", "1 Main St", "Town", "", "Atlantis"],
        ["Twice", "orla@example.ie", "", "", "", "", ""],
        ["Twice again", "Orla@example.ie", "", "", "", "", ""],
    ]
    with database.read() as s:
        preview = imports.preview(s, admin, "customers", write_csv(tmp_path / "b.csv", rows))
    found = {(r.row, r.column): r.reason for r in preview.refused}
    assert "not a valid e-mail" in found[(2, "E-mail address")]
    assert "needs an e-mail or a name" in found[(3, "E-mail address")]
    assert "City is required" in found[(4, "Town")]
    assert "not a country" in found[(5, "Country")]
    assert "on row 6" in found[(7, "E-mail address")]
    assert preview.to_add == 1


def test_suppliers_import_and_export_their_code(database, admin, tmp_path, importer):
    from app.services.purchasing.suppliers import supplier_by_code
    from app.services.transfer import export

    rows = [
        ["code", "name", "email"],
        ["acme", "Acme Supplies", "orders@acme.example"],
        ["KITE-01", "Kite Wholesale", "kite@example.com"],
        ["", "No Code Ltd", "nocode@example.com"],
    ]
    _preview, result = importer("suppliers", write_csv(tmp_path / "s.csv", rows))
    assert result.added == 3
    with database.read() as s:
        assert supplier_by_code(s, "Acme").name == "Acme Supplies"
        assert supplier_by_code(s, "kite-01").email == "kite@example.com"
        written = export.export(s, admin, "suppliers", tmp_path / "out.csv")
    assert written == 3
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith(",Code") and ",ACME" in text
    _preview, again = importer("suppliers", tmp_path / "out.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_a_supplier_code_twice_is_refused_by_row(database, admin, tmp_path, importer):
    importer(
        "suppliers",
        write_csv(tmp_path / "a.csv", [["Supplier code", "Name"], ["ACME", "Acme Supplies"]]),
    )
    rows = [
        ["Supplier code", "Name", "E-mail"],
        ["acme", "Other Acme", "other@example.com"],  # held by Acme Supplies
        ["NEW", "New One", "new@example.com"],
        ["new", "New Two", "two@example.com"],  # the row above has it
        ["bad code!", "Bad Code", "bad@example.com"],
    ]
    with database.read() as s:
        preview = imports.preview(s, admin, "suppliers", write_csv(tmp_path / "b.csv", rows))
    found = {(r.row, r.column): r.reason for r in preview.refused}
    assert "belongs to another supplier" in found[(2, "Supplier code")]
    assert "on row 3" in found[(4, "Supplier code")]
    assert "letters, digits" in found[(5, "Supplier code")]
    assert preview.to_add == 1
