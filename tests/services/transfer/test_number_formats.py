"""Real export files and their number formats: a German Excel CSV (semicolons,
Windows-1252, 1.234,56), an English one, a Swiss one (1'234.50) and an XLSX whose number
cells are numbers; a cell that does not fit the file's format is a bad row with its row
and reason; a saved mapping keeps the format."""

from __future__ import annotations

import openpyxl
from sqlalchemy import select

from app.core.number_format import NumberFormat
from app.core.settings import set_setting
from app.models import Product
from app.services.transfer import headers, imports
from tests.services.transfer.conftest import write_csv

HEAD = ["SKU", "Name", "Price", "Cost", "Weight (kg)"]
DE, EN, CH = NumberFormat(",", "."), NumberFormat(".", ","), NumberFormat(".", "'")


def products(database):
    with database.read() as s:
        rows = s.execute(select(Product.sku, Product.price, Product.cost, Product.weight_g))
        return {sku: (price, cost, weight) for sku, price, cost, weight in rows}


def test_a_german_excel_csv(database, importer, tmp_path):
    path = write_csv(
        tmp_path / "Artikel.csv",
        [
            HEAD,
            ["K-1", "Kaffeemühle", "1.234,56", "800,00", "1,5"],
            ["K-2", "Tasse weiß", "12,50", "4", "0,25"],
            ["K-3", "Löffel", "3", "1,2", "0,02"],
        ],
        encoding="cp1252",
        delimiter=";",
    )
    preview, result = importer("products", path)
    assert "Windows-1252" in preview.described and "semicolons" in preview.described
    assert (preview.number, preview.number_detected) == (DE, True)
    assert result.added == 3
    assert products(database) == {
        "K-1": (123456, 80000, 1500),
        "K-2": (1250, 400, 250),
        "K-3": (300, 120, 20),
    }


def test_an_english_csv_reads_the_ambiguous_cell_as_english(database, importer, tmp_path):
    path = write_csv(
        tmp_path / "products.csv",
        [
            HEAD,
            ["E-1", "Grinder", "1,234.56", "800", "1.5"],
            ["E-2", "Scale", "12.50", "4.00", "1.234"],  # 1.234 kg: one point two three four
        ],
    )
    preview, _result = importer("products", path)
    assert preview.number == EN
    assert products(database) == {"E-1": (123456, 80000, 1500), "E-2": (1250, 400, 1234)}


def test_a_swiss_csv(database, importer, tmp_path):
    path = write_csv(
        tmp_path / "artikel.csv",
        [HEAD, ["S-1", "Uhr", "1'234.50", "700.05", "0.3"], ["S-2", "Band", "45", "12", "0.05"]],
        delimiter=";",
    )
    preview, _result = importer("products", path)
    assert preview.number == CH
    assert products(database) == {"S-1": (123450, 70005, 300), "S-2": (4500, 1200, 50)}


def test_an_xlsx_with_number_cells_has_no_separator_question(database, admin, importer, tmp_path):
    """The cells hold numbers, not text: whatever the shop's locale or a format given,
    1234.56 is 1234.56; a text cell in the same file is read by the file's format."""
    with database.write() as s:
        set_setting(s, admin, "locale", "de_DE")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    sheet.append(["X-1", "Grinder", 1234.56, 800, 1.5])
    sheet.append(["X-2", "Scale", 12.5, 4.25, 1.234])
    sheet.append(["X-3", "Spoon", "1.234,50", "3", "0,02"])  # typed as text
    path = tmp_path / "products.xlsx"
    book.save(path)
    preview, result = importer("products", path)
    assert preview.number == DE  # from the text cells only
    assert result.added == 3
    assert products(database) == {
        "X-1": (123456, 80000, 1500),
        "X-2": (1250, 425, 1234),
        "X-3": (123450, 300, 20),
    }
    with database.read() as s:  # an English format given: the number cells do not care
        again = imports.preview(s, admin, "products", path, number=EN)
    assert sorted((r.row, r.column) for r in again.refused) == [(4, "Price"), (4, "Weight (kg)")]


def test_a_cell_that_does_not_fit_is_a_bad_row_not_a_guess(database, admin, tmp_path):
    path = write_csv(
        tmp_path / "products.csv",
        [
            HEAD,
            ["E-1", "Grinder", "1,234.56", "800.00", ""],
            ["E-2", "Scale", "12.50", "4.00", ""],
            ["E-3", "Mixed", "1.234,5", "4.00", ""],
        ],
    )
    with database.read() as s:
        preview = imports.preview(s, admin, "products", path)
    assert preview.number == EN
    [refusal] = preview.refused
    assert (refusal.row, refusal.column) == (4, "Price")
    assert "'1.234,5' does not fit the file's numbers" in refusal.reason
    assert "1,234.50" in refusal.reason  # what the file's numbers look like


def test_the_format_given_and_saved_with_the_mapping(database, admin, importer, tmp_path):
    """Cells that prove nothing ('1.234') are read by the format given; saved with the
    mapping, it is the next file's of that layout, and the named mapping's."""
    rows = [HEAD, ["G-1", "Kiste", "1.234", "1.000", "2"]]
    path = write_csv(tmp_path / "a.csv", rows, delimiter=";")
    with database.read() as s:
        guessed = imports.preview(s, admin, "products", path)
    assert guessed.number == EN  # the shop is en_IE: what the locale says
    with database.write() as s:
        headers.save_mapping(s, admin, "products", guessed.header, guessed.columns, "lager", DE)
    preview, _result = importer("products", path)
    assert (preview.number, preview.number_detected) == (DE, False)
    assert products(database)["G-1"] == (123400, 100000, 2000)
    with database.read() as s:
        assert headers.saved_number(s, "products", guessed.header, "lager") == DE
        assert headers.saved_for_layout(s, "products", guessed.header) == guessed.columns
        given = imports.preview(s, admin, "products", path, number=EN)
    assert (given.number, given.number_detected) == (EN, False)


def test_a_mapping_saved_before_number_formats_still_reads(database, admin, tmp_path):
    import json

    from app.models import Setting

    path = write_csv(tmp_path / "a.csv", [["Artikel", "Preis"], ["A-1", "12,50"]], delimiter=";")
    header = ("Artikel", "Preis")
    with database.write() as s:
        s.add(
            Setting(
                key=headers.layout_key("products", header),
                value=json.dumps({"sku": "Artikel", "price": "Preis"}),
            )
        )
    with database.read() as s:
        preview = imports.preview(s, admin, "products", path)
    assert preview.columns == {"sku": "Artikel", "price": "Preis"}
    assert preview.number == DE and preview.number_detected
