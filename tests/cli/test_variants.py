"""app/cli/variants.py: `kestrel variants make|list` — the JSON of the module docstring,
a second make that adds only new combinations, refusals exit 1."""

from __future__ import annotations

import json

from app import cli


def test_make_and_list(tmp_path, capsys):
    base = ["--database", f"sqlite:///{tmp_path / 'v.sqlite'}"]
    assert cli.main([*base, "demo", "--products", "3", "--customers", "1", "--orders", "0"]) == 0
    capsys.readouterr()
    from app import db
    from app.models import Product

    database = db.Database.open(base[1])
    with database.read() as s:
        sku = s.query(Product.sku).order_by(Product.id).first()[0]
    database.dispose()
    args = [*base, "variants", "make", sku, "--axis", "size=S,M", "--axis", "colour=Red", "--json"]
    assert cli.main(args) == 0
    assert json.loads(capsys.readouterr().out) == {"made": [f"{sku}-S-RED", f"{sku}-M-RED"]}
    assert (
        cli.main([*base, "variants", "make", sku, "--axis", "size=S,M,L", "--axis", "colour=Red"])
        == 0
    )
    assert "1 variant(s) made" in capsys.readouterr().out
    assert cli.main([*base, "variants", "list", sku, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [v["attrs"] for v in data["variants"]] == [
        "size: S, colour: Red",
        "size: M, colour: Red",
        "size: L, colour: Red",
    ]
    assert set(data["variants"][0]) == {"sku", "name", "attrs", "price", "on_hand", "active"}
    assert cli.main([*base, "variants", "make", sku, "--axis", "size"]) == 1
    assert "NAME=V1,V2" in capsys.readouterr().err
