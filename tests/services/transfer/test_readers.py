"""Reading CSV and XLSX files as a shop's tools write them: real files in each encoding
and delimiter, a workbook with a formula and merged cells, and the broken ones."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from app.core.errors import ValidationError
from app.services.transfer.readers import cell_text, detect_delimiter, open_table

HEADER = ["SKU", "Name", "Price"]
ROWS = [["A-1", "Café crème", "2,50"], ["A-2", "Thé à la menthe", "3.10"]]


def write_csv(path, rows, encoding, delimiter):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def read_all(path):
    with open_table(path) as table:
        return table, [(r.number, list(r.cells)) for r in table.rows()]


@pytest.mark.parametrize(
    ("encoding", "label"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp1252", "cp1252"),
        ("utf-16", "utf-16"),
    ],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_encoding_and_delimiter_reads_the_same(tmp_path, encoding, label, delimiter):
    path = write_csv(tmp_path / "p.csv", [HEADER, *ROWS], encoding, delimiter)
    table, rows = read_all(path)
    assert table.header == tuple(HEADER)
    assert (table.encoding, table.delimiter) == (label, delimiter)
    assert rows == [(2, ROWS[0]), (3, ROWS[1])]


def test_windows_1252_euro_sign_and_latin_1_are_told_apart(tmp_path):
    euro = tmp_path / "euro.csv"
    euro.write_bytes("SKU;Price\nA;€12,50\n".encode("cp1252"))
    assert read_all(euro)[1] == [(2, ["A", "€12,50"])]
    latin = tmp_path / "latin.csv"  # 0x81 is undefined in Windows-1252: only Latin-1 reads it
    latin.write_bytes(b"SKU;Name\nA;Gr\xfc\x81n\n")
    table, rows = read_all(latin)
    assert table.encoding == "latin_1"
    assert rows[0][1][1].startswith("Grü")


def test_quoted_newlines_and_delimiters_stay_in_their_cell_and_rows_count_as_records(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('SKU,Name,Price\nA,"two\nlines, and a comma",1\nB,plain,2\n', "utf-8")
    _table, rows = read_all(path)
    assert rows == [(2, ["A", "two\nlines, and a comma", "1"]), (3, ["B", "plain", "2"])]


def test_sniffer_fallback_uses_the_header_line():
    assert detect_delimiter("sku;name\n") == ";"
    assert detect_delimiter("sku\n") == ","
    assert detect_delimiter('a|b|c\n1|"x|y"|3\n') == "|"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\r\n\r\n", "empty"),
        (b"PK\x03\x04rest", "workbook"),
        (b"S\x00K\x00U\x00", "not a text file"),
    ],
)
def test_files_that_are_not_csv_are_refused_in_words(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        open_table(path)


def test_other_extensions_and_missing_files_are_refused(tmp_path):
    with pytest.raises(ValidationError, match=r"\.xls"):
        open_table(tmp_path / "old.xls")
    with pytest.raises(ValidationError, match="no file"):
        open_table(tmp_path / "missing.csv")


def test_xlsx_values_formulas_without_saved_values_and_merged_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SKU", "Name", "Price", "EAN"])
    sheet.append(["A-1", "Mug", 12.5, 4006381333931])
    sheet.append(["A-2", "Cup", "=C2*2", "96385074"])  # openpyxl saves no value for it
    sheet.append(["A-3", "Bowl", 3, ""])
    sheet.merge_cells("A4:B4")
    path = tmp_path / "p.xlsx"
    book.save(path)
    with open_table(path) as table:
        assert table.header == ("SKU", "Name", "Price", "EAN")
        rows = list(table.rows())
    assert rows[0].cells == ("A-1", "Mug", "12.5", "4006381333931")
    assert not rows[0].problems
    assert [(i, "formula" in why) for i, why in rows[1].problems] == [(2, True)]
    assert rows[2].number == 4
    assert any(i == 0 and "A4:B4 are merged" in why for i, why in rows[2].problems)


def test_xlsx_with_a_merged_header_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["SKU", "", "Price"])
    book.active.merge_cells("A1:B1")
    path = tmp_path / "m.xlsx"
    book.save(path)
    with pytest.raises(ValidationError, match="header row: cells A1:B1 are merged"):
        open_table(path)


def test_a_broken_workbook_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError, match="not a workbook"):
        open_table(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (12.5, "12.5"), (0.1, "0.1"), (4006381333931.0, "4006381333931"), (True, "true")],
)
def test_cells_become_exact_text(value, text):
    assert cell_text(value) == text
