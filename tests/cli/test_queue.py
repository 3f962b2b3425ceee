"""app/cli/queue.py: `kestrel queue list|accept|reject` — the JSON shape of the README,
accepting only the orders without a flag, a refused one reported with exit 1."""

from __future__ import annotations

import json

import pytest

from app import cli


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def base(request, tmp_path, capsys):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'queue.sqlite'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    args = ["--database", url]
    assert cli.main([*args, "demo", "--products", "8", "--customers", "4", "--orders", "40"]) == 0
    capsys.readouterr()
    return args


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def _short_order(base, capsys) -> str:
    """A phone order for far more than the shop has: flagged stock_short."""
    from sqlalchemy import select

    from app import db
    from app.models import Party, Product

    database = db.Database.open(base[1])
    with database.read() as s:
        sku = s.scalar(select(Product.sku).where(Product.track_stock.is_(True)).limit(1))
        email = s.scalar(select(Party.email).where(Party.email != "").limit(1))
    database.dispose()
    line = f"{sku}:99999"
    create = ["order", "create", "--customer", email, "--line", line, "--json"]
    assert cli.main([*base, *create]) == 0
    return _json(capsys)["number"]


def test_list_accept_the_clear_ones_and_reject(base, capsys):
    short = _short_order(base, capsys)
    assert cli.main([*base, "queue", "list", "--json"]) == 0
    queue = _json(capsys)
    assert queue, "the demo store has new orders"
    assert set(queue[0]) == {"number", "source", "external_id", "customer", "flags"}
    clear = [o["number"] for o in queue if not o["flags"]]
    flagged = [o["number"] for o in queue if o["flags"]]
    assert short in flagged
    (mine,) = (o for o in queue if o["number"] == short)
    assert "stock_short" in {f["code"] for f in mine["flags"]}
    for order in queue:
        for flag in order["flags"]:
            assert set(flag) == {"code", "message"} and flag["message"]

    assert cli.main([*base, "queue", "accept", "--all-clear", "--json"]) in (0, 1)
    outcomes = _json(capsys)
    accepted = [o["number"] for o in outcomes if o["accepted"]]
    assert set(accepted) <= set(clear) and accepted
    assert cli.main([*base, "queue", "list", "--json"]) == 0
    left = {o["number"] for o in _json(capsys)}
    assert not left & set(accepted) and set(flagged) <= left

    # a flagged order is left for a person (exit 1, the reason said) or refused by accept
    assert cli.main([*base, "queue", "accept", short, "--all-clear"]) == 1
    assert "needs attention" in capsys.readouterr().out
    assert cli.main([*base, "queue", "accept", short]) == 1
    assert "cannot be accepted" in capsys.readouterr().out
    assert cli.main([*base, "queue", "accept", "SO-999999"]) == 1
    assert "There is no order SO-999999" in capsys.readouterr().err
    assert cli.main([*base, "queue", "accept"]) == 1
    capsys.readouterr()

    target = short
    assert cli.main([*base, "queue", "reject", target, "--reason", "test order"]) == 0
    assert "rejected" in capsys.readouterr().out
    assert cli.main([*base, "order", "show", target, "--json"]) == 0
    shown = _json(capsys)
    assert shown["status"] == "cancelled"
    messages = [e["message"] for e in shown["events"]]
    assert "Cancelled: rejected at acceptance: test order" in messages
    assert cli.main([*base, "queue", "list", "--user", "nobody"]) == 1  # no such user
    capsys.readouterr()
