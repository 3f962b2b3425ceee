"""The mapped order format reads amounts and quantities in the file's own number format:
named in the mapping (and kept with the source), else shown by its cells, else the shop
locale's; an order with a cell that does not fit is refused with its row and reason."""

from __future__ import annotations

import openpyxl
from sqlalchemy import select

from app.core.number_format import NumberFormat
from app.core.settings import set_setting
from app.models import SalesOrder
from app.services.channels import formats, mapped, order_import, sources
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductInput

HEADER = "order id;sku;qty;unit price;shipping;email;street;city;postcode;country\n"
TO = ";eva@example.de;Hauptstr. 1;Bonn;53111;DE\n"  # where each order goes


def _shop(database, admin, locale="en_IE"):
    with database.write() as s:
        set_setting(s, admin, "currency", "EUR")
        set_setting(s, admin, "locale", locale)
        for sku in ("MUG", "BOX"):
            catalogue.create_product(s, admin, ProductInput(sku=sku, name=sku, price=100))
        sources.add_source(s, admin, "shop", "mapped")


def _totals(database):
    with database.read() as s:
        return dict(s.execute(select(SalesOrder.external_ref, SalesOrder.total)).all())


def test_a_german_file_is_read_as_german(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        HEADER + "A;MUG;1.000;1.234,50;4,90" + TO + "B;BOX;2;12,5;0" + TO, encoding="cp1252"
    )
    _fmt, parsed = formats.read_file(path, "mapped", {}, "EUR")
    assert not parsed.problems
    first, second = parsed.orders
    assert (first.lines[0].quantity, first.lines[0].unit_price, first.shipping) == (
        1000,
        123450,
        490,
    )
    assert second.lines[0].unit_price == 1250


def test_a_cell_that_does_not_fit_refuses_its_order(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        HEADER + "A;MUG;1;1,234.50;0" + TO + "B;BOX;1;1.234,5;0" + TO + "C;BOX;1;9.99;0" + TO
    )
    _fmt, parsed = formats.read_file(path, "mapped", {}, "EUR")
    assert [o.external_id for o in parsed.orders] == ["A", "C"]
    [problem] = parsed.problems
    assert problem.row == 3
    assert "unit_price: '1.234,5' does not fit the file's numbers" in problem.reason


def test_the_mapping_names_the_format_where_the_cells_prove_nothing(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "A;MUG;1;1.234;0" + TO)
    _fmt, english = formats.read_file(path, "mapped", {}, "EUR")
    assert english.orders[0].lines[0].unit_price == 123  # 1.234 read as the shop reads it
    _fmt, german = formats.read_file(path, "mapped", {"decimal": ",", "grouping": "."}, "EUR")
    assert german.orders[0].lines[0].unit_price == 123400
    _fmt, locale = formats.read_file(path, "mapped", {}, "EUR", "de_DE")
    assert locale.orders[0].lines[0].unit_price == 123400
    assert mapped.number_of({"grouping": "."}) == NumberFormat(",", ".")


def test_the_source_keeps_the_format(database, admin, tmp_path):
    _shop(database, admin)
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "A;MUG;2;1.234;0" + TO)
    given = {"decimal": ",", "grouping": "."}
    with database.write() as s:
        result = order_import.import_file(s, admin, path, "shop", columns=given)
    assert result.written, result.as_json()
    assert _totals(database) == {"A": 246800}
    again = tmp_path / "more.csv"
    again.write_text(HEADER + "B;BOX;1;2.000;0" + TO)
    with database.write() as s:
        order_import.import_file(s, admin, again, "shop")
    assert _totals(database)["B"] == 200000


def test_xlsx_number_cells_are_numbers(database, admin, tmp_path):
    _shop(database, admin, locale="de_DE")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(";"))
    sheet.append(["A", "MUG", 2, 1234.5, 4.9, *TO.strip(";\n").split(";")])
    sheet.append(["B", "BOX", "1", "1.234,50", "0", *TO.strip(";\n").split(";")])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    with database.write() as s:
        result = order_import.import_file(s, admin, path, "shop", "mapped")
    assert result.written, result.as_json()
    assert _totals(database) == {"A": 247390, "B": 123450}
