"""app/cli/bins.py: `kestrel bin list|add|show` and `kestrel transit receive|show` on a
store `kestrel demo` made, and `kestrel transfer` across warehouses going through transit:
the JSON of the README, exit codes, refusals in words, the ledger clean after."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app import cli
from app.models import Location, Product, StockLevel
from app.services.stock.integrity import check


@pytest.fixture
def store(demo_store):
    return demo_store


def _json(capsys, base, *args):
    assert cli.main([*base, *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_bin_list_add_show(store, capsys):
    base, database = store
    rows = _json(capsys, base, "bin", "list", "--warehouse", "main")
    assert set(rows[0]) == {
        "code",
        "name",
        "kind",
        "warehouse",
        "parent",
        "sequence",
        "active",
        "on_hand",
    }
    assert {r["warehouse"] for r in rows} == {"MAIN"} and {"bin", "zone"} == {
        r["kind"] for r in rows
    }
    zone = next(r["code"] for r in rows if r["kind"] == "zone" and r["parent"])
    add = ["bin", "add", "main-cli1", "--warehouse", "MAIN", "--parent", zone, "--sequence", "5"]
    assert cli.main([*base, *add]) == 0
    assert "Added bin MAIN-CLI1 in MAIN." in capsys.readouterr().out
    added = next(r for r in _json(capsys, base, "bin", "list") if r["code"] == "MAIN-CLI1")
    assert (added["parent"], added["sequence"], added["on_hand"]) == (zone, 5, 0)
    full = next(r for r in rows if r["kind"] == "bin" and r["on_hand"])
    shown = _json(capsys, base, "bin", "show", full["code"])
    assert shown["code"] == full["code"]
    assert set(shown["contents"][0]) == {"sku", "name", "on_hand", "reserved"}
    assert sum(c["on_hand"] for c in shown["contents"]) == full["on_hand"]
    for args, words in (
        (add, "already a location"),
        (["bin", "add", "X-1", "--warehouse", "NOPE"], "no warehouse"),
        (["bin", "add", "MAIN-CLI2", "--warehouse", "MAIN", "--user", "carla"], "permission"),
        (["bin", "show", "NO-SUCH-BIN"], "no bin or zone"),
    ):
        assert cli.main([*base, *args]) == 1, args
        assert words.lower() in capsys.readouterr().err.lower(), args


def test_a_transfer_to_another_warehouse_goes_through_transit(store, capsys):
    base, database = store
    with database.read() as s:
        sku, source = s.execute(
            select(Product.sku, Location.code)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(StockLevel.on_hand - StockLevel.reserved >= 3, Location.code.like("MAIN-%"))
            .order_by(Product.id)
            .limit(1)
        ).one()
    move = ["transfer", sku, "--from", source, "--to", "SHOP-COUNTER", "--qty", "3"]
    assert cli.main([*base, *move]) == 0
    said = capsys.readouterr().out
    number = next(word.rstrip(":") for word in said.split() if word.startswith("TR-"))
    sent = _json(capsys, base, "transit", "show", number)
    assert sent == {
        "number": number,
        "state": "in_transit",
        "from": "MAIN",
        "to": "SHOP",
        "lines": [{"sku": sku, "quantity": 3, "received": 0}],
    }
    wrong = ["transit", "receive", number, "--bin", source]
    assert cli.main([*base, *wrong]) == 1
    assert "not in the warehouse" in capsys.readouterr().err
    assert cli.main([*base, "transit", "receive", number, "--bin", "SHOP-COUNTER"]) == 0
    assert f"Received 3 unit(s) of {number}" in capsys.readouterr().out
    assert _json(capsys, base, "transit", "show", number)["state"] == "received"
    assert cli.main([*base, "transit", "receive", number, "--bin", "SHOP-COUNTER"]) == 1
    assert "received already" in capsys.readouterr().err
    with database.read() as s:
        assert check(s) == []
