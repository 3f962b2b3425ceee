"""app/cli/purchasing.py: `kestrel po ...` on a store `kestrel demo` made: create -> send
(PDF file) -> receive in part with a lot -> put away -> receive the rest, the JSON shapes
of the README, exit codes and refusals in words; SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import cli
from app.core import auth
from app.models import PrintJob, Product
from app.services.purchasing import suppliers
from app.services.stock import lots
from app.services.stock.integrity import check


@pytest.fixture
def store(demo_store):
    base, database = demo_store
    with database.write() as s:
        plain, lotted = s.scalars(
            select(Product.sku).where(Product.track_stock.is_(True)).order_by(Product.id).limit(2)
        ).all()
        s.scalar(select(Product).where(Product.sku == lotted)).tracking = "lot"
        suppliers.create_supplier(
            s, auth.SYSTEM, suppliers.SupplierInput("Kite Wholesale", code="KITE")
        )
    return base, plain, lotted, database


def _show(capsys, base, number):
    assert cli.main([*base, "po", "show", number, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_create_send_receive_put_away_receive_rest(store, capsys, tmp_path):
    base, plain, lotted, database = store
    create = ["po", "create", "--supplier", "kite", "--warehouse", "MAIN", "--json"]
    assert cli.main([*base, *create, "--line", f"{plain}:10:2.50", "--line", f"{lotted}:4"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    data = _show(capsys, base, number)
    assert set(data) == {"number", "status", "supplier", "warehouse", "currency", "lines"}
    assert data["status"] == "draft" and data["supplier"] == "KITE"
    assert set(data["lines"][0]) == {"sku", "supplier_sku", "ordered", "received", "unit_cost"}
    assert (data["lines"][0]["sku"], data["lines"][0]["unit_cost"]) == (plain, 250)

    pdf = tmp_path / "po.pdf"
    assert cli.main([*base, "po", "send", number, "--pdf", str(pdf)]) == 0
    assert "sent" in capsys.readouterr().out and pdf.read_bytes().startswith(b"%PDF")

    expiry = (lots.today() + timedelta(days=60)).isoformat()
    receive = ["po", "receive", number, "--line", f"{plain}:4", "--line", f"{lotted}:4:B1:{expiry}"]
    assert cli.main([*base, *receive, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["status"] == "partly_received"
    assert [(ln["sku"], ln["received"], ln["lot"]) for ln in got["lines"]] == [
        (plain, 4, ""),
        (lotted, 4, "B1"),
    ]
    assert {ln["location"] for ln in got["lines"]} == {"MAIN-RECEIVING"}

    away = [
        "po",
        "put-away",
        "--warehouse",
        "MAIN",
        "--line",
        f"{plain}:4",
        "--line",
        f"{lotted}:4",
    ]
    assert cli.main([*base, *away]) == 0
    assert "from MAIN-RECEIVING to" in capsys.readouterr().out

    assert cli.main([*base, "po", "receive", number, "--line", f"{plain}:7"]) == 0
    out = capsys.readouterr().out
    assert "over-receipt: 1 more than ordered" in out and "is received" in out
    data = _show(capsys, base, number)
    assert data["status"] == "received"
    assert [(ln["ordered"], ln["received"]) for ln in data["lines"]] == [(10, 11), (4, 4)]

    assert cli.main([*base, "po", "list", "--status", "received", "--json"]) == 0
    assert [r["number"] for r in json.loads(capsys.readouterr().out)] == [number]
    assert cli.main([*base, "stock", plain, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["warehouses"][0]["incoming"] == 0
    with database.read() as s:
        assert check(s) == []


def test_close_short_and_cancel(store, capsys):
    base, plain, _lotted, database = store
    create = ["po", "create", "--supplier", "KITE", "--warehouse", "main", "--send", "--json"]
    assert cli.main([*base, *create, "--line", f"{plain}:5"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    assert (
        cli.main([*base, "po", "receive", number, "--line", f"{plain}:2", "--bin", "MAIN-STOCK"])
        == 0
    )
    assert cli.main([*base, "po", "receive", number, "--line", f"{plain}:1", "--labels"]) == 0
    with database.read() as s:
        job = s.scalar(select(PrintJob).where(PrintJob.document == "product-labels"))
        assert job is not None and job.payload.count(b"\x1dV") == 1  # one label, one cut
    assert cli.main([*base, "po", "show", number]) == 0
    assert f"{plain}: 3 of 5 received" in capsys.readouterr().out
    assert cli.main([*base, "po", "close", number]) == 0
    assert "2 unit(s) will not come" in capsys.readouterr().out
    assert _show(capsys, base, number)["status"] == "received"
    assert (
        cli.main(
            [
                *base,
                "po",
                "create",
                "--supplier",
                "KITE",
                "--warehouse",
                "MAIN",
                "--line",
                f"{plain}:1",
            ]
        )
        == 0
    )
    second = capsys.readouterr().out.split()[0]
    assert cli.main([*base, "po", "cancel", second, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "cancelled"


def test_refusals_exit_1_in_words(store, capsys):
    base, plain, lotted, _database = store
    create = ["po", "create", "--supplier", "KITE", "--warehouse", "MAIN", "--json"]
    assert cli.main([*base, *create, "--line", f"{plain}:5", "--line", f"{lotted}:5"]) == 0
    draft = json.loads(capsys.readouterr().out)["number"]
    past = (lots.today() - timedelta(days=1)).isoformat()
    for args, words in (
        (
            ["po", "create", "--supplier", "NOPE", "--warehouse", "MAIN", "--line", f"{plain}:1"],
            "no supplier",
        ),
        ([*create, "--line", f"{plain}:x"], "whole quantity"),
        ([*create, "--line", f"{plain}:1:abc"], "not an amount"),
        ([*create, "--line", f"{plain}:1", "--user", "carla"], "permission"),
        (["po", "receive", draft, "--line", f"{plain}:1"], "still a draft"),
        (["po", "send", "PO-999999"], "no purchase order"),
        (["po", "close", draft], "only a partly received"),
        (["po", "list", "--status", "lost"], "not one of"),
        (["po", "receive", draft, "--line", f"{lotted}:1:L:2027-13-01"], "not a date"),
    ):
        assert cli.main([*base, *args]) == 1, args
        assert words.lower() in capsys.readouterr().err.lower(), args
    assert cli.main([*base, "po", "send", draft]) == 0
    capsys.readouterr()
    for args, words in (
        (["po", "receive", draft, "--line", f"{lotted}:1:OLD:{past}"], "expired"),
        (["po", "receive", draft, "--line", f"{plain}:1", "--line", f"{lotted}:1"], "needs a lot"),
    ):
        assert cli.main([*base, *args]) == 1, args
        assert words.lower() in capsys.readouterr().err.lower(), args
    data = _show(capsys, base, draft)
    assert data["status"] == "sent" and data["lines"][0]["received"] == 0
