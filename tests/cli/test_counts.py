"""app/cli/counts.py: `kestrel count start|scan|show|approve|cancel` on a demo store: the
JSON of the module docstring, a variance applied on approval, refusals exit 1 in words."""

from __future__ import annotations

import json

from app import cli
from app.services.stock.integrity import check
from tests.cli.test_stock import _bin, _stock, store  # noqa: F401 (the fixture)


def _show(capsys, base, number):
    assert cli.main([*base, "count", "show", number, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_count_a_bin_and_approve_its_variance(store, capsys):  # noqa: F811
    base, sku, bin_code, database = store
    on_hand = _bin(_stock(capsys, base, sku), bin_code)["on_hand"]
    assert cli.main([*base, "count", "start", "--bin", bin_code, "--json"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    assert number.startswith("CNT-")
    # a second count of the same bin at once is refused in words
    assert cli.main([*base, "count", "start", "--bin", bin_code]) == 1
    assert bin_code in capsys.readouterr().err
    counted = on_hand - 1  # one unit is missing on the shelf
    args = [*base, "count", "scan", number, "--bin", bin_code, "--code", sku]
    assert cli.main([*args, "--qty", str(counted - 1)]) == 0
    assert cli.main(args) == 0
    capsys.readouterr()
    shown = _show(capsys, base, number)
    assert set(shown) == {"number", "state", "blind", "scope", "lines"}
    line = next(ln for ln in shown["lines"] if ln["sku"] == sku)
    assert set(line) == {"sku", "bin", "expected", "counted", "variance", "value"}
    assert (line["expected"], line["counted"], line["variance"]) == (on_hand, counted, -1)
    # a clerk may count but not approve
    assert cli.main([*base, "count", "approve", number, "--user", "carla"]) == 1
    assert capsys.readouterr().err.startswith("kestrel count approve: ")
    assert _bin(_stock(capsys, base, sku), bin_code)["on_hand"] == on_hand
    assert cli.main([*base, "count", "approve", number]) == 0
    assert "approved" in capsys.readouterr().out
    assert _bin(_stock(capsys, base, sku), bin_code)["on_hand"] == counted
    assert _show(capsys, base, number)["state"] == "approved"
    assert cli.main([*args]) == 1  # a closed count takes no more scans
    capsys.readouterr()
    with database.read() as s:
        assert check(s) == []


def test_a_cancelled_count_moves_nothing_and_frees_the_bin(store, capsys):  # noqa: F811
    base, sku, bin_code, _database = store
    before = _bin(_stock(capsys, base, sku), bin_code)["on_hand"]
    assert cli.main([*base, "count", "start", "--bin", bin_code, "--blind", "--json"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    assert cli.main([*base, "count", "scan", number, "--bin", bin_code, "--code", sku]) == 0
    assert cli.main([*base, "count", "cancel", number]) == 0
    assert "nothing moved" in capsys.readouterr().out
    assert _bin(_stock(capsys, base, sku), bin_code)["on_hand"] == before
    assert cli.main([*base, "count", "start", "--bin", bin_code]) == 0
    assert cli.main([*base, "count", "show", "CNT-x"]) == 1
    assert "not a count number" in capsys.readouterr().err
