"""Opening stock levels: written as ledger adjustments, never as levels, so `kestrel
check` stays clean; a bin or a warehouse names where."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import StockMove
from app.services.stock import catalogue, inventory
from app.services.stock.integrity import check
from app.services.transfer import imports
from tests import factories
from tests.services.transfer.conftest import write_csv


def on_hand(database, product_id):
    with database.read() as s:
        return {
            r.location_code: (r.on_hand, r.reserved) for r in catalogue.product_stock(s, product_id)
        }


def sku(database, product_id):
    with database.read() as s:
        return catalogue.product_rows(s, [product_id])[0].sku


def test_levels_are_set_through_the_ledger_and_check_stays_clean(
    database, admin, tmp_path, importer
):
    one = factories.product(database, admin)
    two = factories.product(database, admin, stock=10)
    with database.write() as s:
        extra = factories.bin_beside_main(s, "A-01-02", 5)
    rows = [
        ["SKU", "Qty", "Warehouse", "Bin"],
        [sku(database, one), "7", "main", ""],
        [sku(database, two), "4", "MAIN", "MAIN-STOCK"],
        [sku(database, two), "3", "", "A-01-02"],
    ]
    preview, result = importer("stock", write_csv(tmp_path / "s.csv", rows))
    assert (preview.to_add, preview.to_update) == (2, 1)
    assert (result.added, result.updated) == (2, 1)
    assert on_hand(database, one) == {"MAIN-STOCK": (7, 0)}
    assert on_hand(database, two) == {"MAIN-STOCK": (4, 0), "A-01-02": (3, 0)}
    with database.read() as s:
        assert check(s) == []
        reasons = set(
            s.scalars(select(StockMove.reason).where(StockMove.origin_type == "adjustment"))
        )
    assert reasons == {"Opening stock (import)"}
    assert extra
    _preview, again = importer("stock", write_csv(tmp_path / "s.csv", rows))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_bad_stock_rows(database, admin, tmp_path):
    tracked = factories.product(database, admin, stock=5)
    service = factories.product(database, admin, track=False)
    with database.write() as s:
        inventory.reserve(s, admin, tracked, factories.main_bin(s), 4, inventory.MoveRef())
    rows = [
        ["SKU", "On hand", "Bin"],
        ["NOPE", "1", "MAIN-STOCK"],
        [sku(database, service), "1", "MAIN-STOCK"],
        [sku(database, tracked), "2", "MAIN-STOCK"],
        [sku(database, tracked), "1.5", "MAIN-STOCK"],
        [sku(database, tracked), "-1", "MAIN-STOCK"],
        [sku(database, tracked), "1", "NO-SUCH-BIN"],
        [sku(database, tracked), "6", "V-LOSS"],
    ]
    with database.read() as s:
        preview = imports.preview(s, admin, "stock", write_csv(tmp_path / "b.csv", rows))
    found = {(r.row, r.column): r.reason for r in preview.refused}
    assert "no product NOPE" in found[(2, "SKU")]
    assert "not a stock-tracked" in found[(3, "SKU")]
    assert "4 of" in found[(4, "On hand")] and "reserved" in found[(4, "On hand")]
    assert "whole number" in found[(5, "On hand")]
    assert "negative" in found[(6, "On hand")]
    assert "no bin NO-SUCH-BIN" in found[(7, "Bin")]
    assert "no bin V-LOSS" in found[(8, "Bin")]  # a virtual location holds no stock


def test_a_stock_file_needs_a_place_column(database, admin, tmp_path):
    with database.read() as s, pytest.raises(Exception, match="Warehouse or a Bin"):
        imports.preview(s, admin, "stock", write_csv(tmp_path / "n.csv", [["SKU", "Qty"]]))
