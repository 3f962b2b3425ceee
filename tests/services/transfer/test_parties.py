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
