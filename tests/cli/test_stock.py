"""app/cli/stock.py: `kestrel stock`, `kestrel adjust` and `kestrel transfer` on a store
`kestrel demo` made: the JSON shape of the README, exit codes, refusals in words."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app import cli
from app.models import Location, Product, StockLevel
from app.services.stock.integrity import check


@pytest.fixture
def store(demo_store):
    base, database = demo_store
    with database.read() as s:
        sku, bin_code = s.execute(
            select(Product.sku, Location.code)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(StockLevel.on_hand - StockLevel.reserved >= 5, Location.kind == "internal")
            .order_by(Product.id)
            .limit(1)
        ).one()
    return base, sku, bin_code, database


def _stock(capsys, base, sku):
    assert cli.main([*base, "stock", sku, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _bin(data, code):
    return next(b for w in data["warehouses"] for b in w["bins"] if b["code"] == code)


def test_stock_adjust_transfer(store, capsys):
    base, sku, bin_code, database = store
    before = _stock(capsys, base, sku)
    assert set(before) == {"sku", "name", "warehouses"} and before["sku"] == sku
    warehouse = before["warehouses"][0]
    assert set(warehouse) == {"code", "on_hand", "reserved", "available", "incoming", "bins"}
    assert warehouse["available"] == warehouse["on_hand"] - warehouse["reserved"]
    assert warehouse["incoming"] == 0
    assert set(warehouse["bins"][0]) == {"code", "on_hand", "reserved"}
    on_hand = _bin(before, bin_code)["on_hand"]

    adjust = ["adjust", sku, "--bin", bin_code, "--qty", "-2", "--reason", "damaged"]
    assert cli.main([*base, *adjust]) == 0
    assert "by -2 (damaged)" in capsys.readouterr().out
    with database.write() as s:
        other = s.scalar(
            select(Location.code).where(
                Location.kind == "internal",
                Location.code != bin_code,
                Location.warehouse_id
                == select(Location.warehouse_id).where(Location.code == bin_code).scalar_subquery(),
            )
        )
        if other is None:  # a demo warehouse with one bin: add a second beside it
            here = s.scalar(select(Location).where(Location.code == bin_code))
            other = "CLI-B2"
            s.add(
                Location(
                    code=other,
                    name=other,
                    kind="internal",
                    warehouse_id=here.warehouse_id,
                    parent_id=here.parent_id,
                    pick_sequence=9,
                )
            )
    move = ["transfer", sku, "--from", bin_code, "--to", other, "--qty", "1"]
    assert cli.main([*base, *move]) == 0
    assert f"Moved 1 x {sku}" in capsys.readouterr().out
    after = _stock(capsys, base, sku)
    assert _bin(after, bin_code)["on_hand"] == on_hand - 3
    assert _bin(after, other)["on_hand"] >= 1
    with database.read() as s:
        assert check(s) == []


def test_refusals_exit_1_in_words(store, capsys):
    base, sku, bin_code, _database = store
    before = _stock(capsys, base, sku)
    for args, words in (
        (
            [
                "adjust",
                sku,
                "--bin",
                bin_code,
                "--qty",
                "-1",
                "--reason",
                "lost",
                "--user",
                "carla",
            ],
            "permission",
        ),
        (["adjust", sku, "--bin", bin_code, "--qty", "-99999", "--reason", "lost"], "Only"),
        (["adjust", sku, "--bin", bin_code, "--qty", "1", "--reason", "gift"], "not one of"),
        (["transfer", sku, "--from", bin_code, "--to", bin_code, "--qty", "1"], "both the bin"),
        (["stock", "NO-SUCH-SKU"], "no product with SKU"),
    ):
        assert cli.main([*base, *args]) == 1, args
        assert words.lower() in capsys.readouterr().err.lower(), args
    assert _stock(capsys, base, sku) == before
