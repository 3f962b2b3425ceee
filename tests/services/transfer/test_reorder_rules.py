"""Reorder rules from and to CSV: columns by name, bad rows listed with row and reason
before anything is written, and export then import changes nothing."""

from __future__ import annotations

import csv

import pytest

from app.core import auth
from app.services.purchasing import rules
from app.services.transfer import imports
from app.services.transfer.export import export
from tests.services.purchasing import reorder_case
from tests.services.transfer.conftest import write_csv


def _rules(database):
    with database.read() as s:
        return [
            (r.sku, r.warehouse, r.min_qty, r.max_qty, r.multiple, r.supplier)
            for r in rules.list_rules(s, auth.SYSTEM)
        ]


def test_export_then_import_changes_nothing(database, admin, tmp_path, importer):
    reorder_case.build(database, admin)
    before = _rules(database)
    path = tmp_path / "rules.csv"
    with database.read() as s:
        assert export(s, admin, "reorder-rules", path) == 7
    with path.open(encoding="utf-8") as f:
        written = list(csv.reader(f))
    assert written[0] == ["SKU", "Warehouse", "Min", "Max", "Multiple", "Supplier"]
    assert ["B-1", "WEST", "3", "7", "1", "Bolt Ltd"] in written
    assert ["N-1", "MAIN", "1", "4", "1", ""] in written
    preview, result = importer("reorder-rules", path)
    assert preview.ok and result.unchanged == 7 and result.added == result.updated == 0
    assert _rules(database) == before


def test_columns_by_name_adds_and_updates(database, admin, tmp_path, importer):
    reorder_case.build(database, admin)
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Product code", "Warehouse code", "Reorder point", "Order up to", "Supplier code"],
            ["K-1", "main", "6", "25", "bolt ltd"],  # changes K-1's rule
            ["A-2", "WEST", "1", "3", ""],  # a new rule, ACME the only supplier
        ],
    )
    _, result = importer("reorder-rules", path)
    assert (result.added, result.updated) == (1, 1)
    got = {(r[0], r[1]): r[2:] for r in _rules(database)}
    assert got[("K-1", "MAIN")] == (6, 25, 1, "Bolt Ltd")
    assert got[("A-2", "WEST")] == (1, 3, 1, "ACME")


def test_bad_rows_are_listed_and_nothing_is_written(database, admin, tmp_path):
    reorder_case.build(database, admin)
    before = _rules(database)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["sku", "warehouse", "min", "max", "multiple", "supplier"],
            ["K-1", "MAIN", "9", "3", "", ""],
            ["NOPE", "MAIN", "1", "2", "", ""],
            ["K-1", "EAST", "1", "2", "", ""],
            ["K-1", "MAIN", "1.5", "2", "0", "ZED"],
            ["O-1", "MAIN", "1", "2", "", ""],
            ["O-1", "main", "1", "3", "", ""],
        ],
    )
    with database.read() as s:
        preview = imports.preview(s, admin, "reorder-rules", path)
    reasons = {(r.row, r.column): r.reason for r in preview.refused}
    assert reasons[(2, "max")] == "The maximum (3) must be at least the minimum (9)"
    assert reasons[(3, "sku")] == "There is no product NOPE: import the products first"
    assert reasons[(4, "warehouse")] == "There is no warehouse EAST"
    assert reasons[(5, "min")] == "'1.5' is not a whole number"
    assert reasons[(5, "multiple")] == "The multiple must be at least 1"
    assert reasons[(5, "supplier")] == "There is no supplier ZED"
    assert reasons[(7, "sku")] == "O-1 in main is also on row 6"
    with database.write() as s, pytest.raises(imports.ImportRefused):
        imports.apply(s, admin, preview)
    assert _rules(database) == before
