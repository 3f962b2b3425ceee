"""app/cli/order.py: `kestrel order` end to end on a store the command line made itself,
its stable JSON, its exit codes and its refusals of bad input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app import cli, db
from app.core import auth
from app.models import Party, Product, StockLevel
from app.services.stock import catalogue
from tests.cli.process import run


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path, capsys, monkeypatch):
    """A demo store made by `kestrel demo`, a clerk made by `kestrel add-user`, and what
    the tests need from it: a customer's e-mail and a product with stock to sell."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'orders.sqlite'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    base = ["--database", url]
    demo = ["demo", "--products", "30", "--customers", "5", "--orders", "20"]
    assert cli.main([*base, *demo]) == 0
    monkeypatch.setenv("KESTREL_PASSWORD", "clerk-pass-1")
    assert cli.main([*base, "add-user", "carla", "--role", "clerk"]) == 0
    capsys.readouterr()
    database = db.Database.open(url)
    with database.write() as s:
        email = s.scalar(select(Party.email).where(Party.email != "").order_by(Party.id))
        free = func.sum(StockLevel.on_hand - StockLevel.reserved)
        sku, archived = s.execute(
            select(Product.sku, Product.id)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .where(Product.track_stock.is_(True), Product.price > 0)
            .group_by(Product.sku, Product.id)
            .having(free >= 4)
            .order_by(Product.id)
            .limit(2)
        ).all()
        catalogue.update_product(s, auth.SYSTEM, archived[1], active=False)
    database.dispose()
    return base, email, sku[0], archived[0]


def _json(capsys, *args):
    assert cli.main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_create_accept_confirm_ship_deliver(store, capsys):
    base, email, sku, _archived = store
    created = _json(
        capsys,
        *base,
        "order",
        "create",
        "--customer",
        email.upper(),
        "--line",
        f"{sku}:2",
        "--ship-to-default",
        "--shipping",
        "4.95",
        "--carrier",
        "kpost",
    )
    number = created["number"]
    assert created["status"] == "new" and created["channel"] == "phone"
    assert [ln["sku"] for ln in created["lines"]] == [sku, "SHIPPING"]
    assert created["lines"][1]["line_total"] == 495
    for step, status in (("accept", "accepted"), ("confirm", "confirmed")):
        assert cli.main([*base, "order", step, number]) == 0
        assert capsys.readouterr().out.strip() == f"{number}: {status}"
    assert cli.main([*base, "order", "ship", number, "--carrier", "KPOST", "--weight", "1.5"]) == 0
    assert "shipped, tracking KP" in capsys.readouterr().out
    assert cli.main([*base, "order", "deliver", number]) == 0
    capsys.readouterr()
    shown = _json(capsys, *base, "order", "show", number.lower())
    assert set(shown) == {
        "number",
        "status",
        "channel",
        "customer",
        "lines",
        "subtotal",
        "tax_total",
        "total",
        "currency",
        "shipments",
        "events",
        "tracking_url",
    }
    assert shown["status"] == "delivered" and shown["customer"]["email"] == email
    assert set(shown["lines"][0]) == {"sku", "name", "quantity", "unit_price", "line_total"}
    line = shown["lines"][0]
    assert line["quantity"] == 2 and line["line_total"] == 2 * line["unit_price"]
    assert shown["subtotal"] + shown["tax_total"] == shown["total"]
    assert shown["total"] == sum(ln["line_total"] for ln in shown["lines"])
    (shipment,) = shown["shipments"]
    assert shipment["status"] == "delivered" and shipment["tracking"][0].startswith("KP")
    kinds = [e["kind"] for e in shown["events"] if e["kind"] != "email"]
    assert kinds[0] == "created" and kinds[-1] == "delivered" and "unverified" in kinds
    assert all(e["at"].endswith("+00:00") for e in shown["events"])
    # a second deliver, or a step the order cannot take, is refused (exit 1, words on stderr)
    assert cli.main([*base, "order", "deliver", number]) == 1
    assert "no shipment on its way" in capsys.readouterr().err
    assert cli.main([*base, "order", "cancel", number, "--reason", "late"]) == 1
    assert "cannot be cancelled" in capsys.readouterr().err
    assert run("check", *base).returncode == 0


BAD_LINES = [
    ("NOPE-404:1", "no product with SKU NOPE-404"),
    ("{sku}:0", "quantity"),
    ("{sku}:-1", "quantity"),
    ("{sku}:x", "'x' is not a number"),
    ("{sku}", "SKU:QUANTITY"),
    ("{archived}:1", "archived"),
    ("{sku}:1:abc", "not an amount"),
]


def test_bad_lines_are_refused_with_exit_1(store, capsys):
    base, email, sku, archived = store
    for line, words in BAD_LINES:
        text = line.format(sku=sku, archived=archived)
        assert cli.main([*base, "order", "create", "--customer", email, "--line", text]) == 1, text
        captured = capsys.readouterr()
        assert words in captured.err and captured.out == "", text
    assert cli.main([*base, "order", "show", "SO-000021"]) == 1  # nothing was created


def test_refusals_and_what_could_not_work(store, capsys, tmp_path):
    base, email, sku, _archived = store
    create = [*base, "order", "create", "--customer", email, "--line", f"{sku}:1:0.01"]
    assert cli.main([*create, "--user", "carla", "--reason", "friend"]) == 1
    assert "price.override" in capsys.readouterr().err
    assert cli.main(create) == 1
    assert "needs a reason" in capsys.readouterr().err
    paid = ["--advance", "0.01", "--advance-by", "bank_transfer", "--deliver-by", "2099-01-01"]
    assert cli.main([*create, "--reason", "damaged box", *paid]) == 1
    assert "too far ahead" in capsys.readouterr().err
    paid[-1] = ""
    assert cli.main([*create, "--reason", "damaged box", *paid]) == 0
    number = capsys.readouterr().out.split()[0]
    assert cli.main([*base, "order", "show", number]) == 0
    assert "paid €0.01, due €0.00" in capsys.readouterr().out
    assert cli.main([*base, "order", "ship", number, "--carrier", "KPOST", "--user", "carla"]) == 1
    assert "fulfilment.unverified" in capsys.readouterr().err
    assert cli.main([*base, "order", "ship", number, "--carrier", "KPOST"]) == 1
    assert "only a confirmed order" in capsys.readouterr().err
    assert cli.main([*base, "order", "hold", number]) == 1
    assert "Reason" in capsys.readouterr().err
    assert cli.main([*base, "order", "hold", number, "--reason", "call back"]) == 0
    assert cli.main([*base, "order", "release", number]) == 0
    capsys.readouterr()
    assert (
        cli.main([*base, "order", "create", "--customer", "no@example.com", "--line", "X:1"]) == 1
    )
    assert "no@example.com" in capsys.readouterr().err
    assert cli.main([*base, "order", "show", "SO-999999"]) == 1
    assert "There is no order SO-999999" in capsys.readouterr().err
    missing = ["--database", f"sqlite:///{tmp_path / 'nowhere.sqlite'}"]
    assert cli.main([*missing, "order", "show", "SO-000001"]) == 2
    assert "no database" in capsys.readouterr().err


def test_show_reads_the_timeline_in_kestrel_lang_and_json_stays_english(store, capsys, monkeypatch):
    from app.core import i18n

    base, email, sku, _archived = store
    created = _json(capsys, *base, "order", "create", "--customer", email, "--line", f"{sku}:1")
    number = created["number"]
    assert cli.main([*base, "order", "hold", number, "--reason", "Anruf"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("KESTREL_LANG", "de")
    try:
        assert cli.main([*base, "order", "show", number]) == 0
        out = capsys.readouterr().out
        assert "Zurückgestellt: Anruf" in out
        assert "Bestellung angelegt (phone)" in out
        shown = _json(capsys, *base, "order", "show", number)
    finally:
        i18n.use_language("en")
    messages = [e["message"] for e in shown["events"]]
    assert "Put on hold: Anruf" in messages  # --json keeps the English sentence
    assert set(shown["events"][0]) == {"at", "kind", "message"}
