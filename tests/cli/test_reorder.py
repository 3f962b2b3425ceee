"""app/cli/reorder.py: `kestrel reorder` and `kestrel reorder-rule` on the hand-built case:
the JSON contract of issue 16, a dry run writes nothing, refusals exit 1 in words; and
`kestrel import|export reorder-rules` through the transfer commands."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app import cli
from app.core import auth
from app.models import PurchaseOrder
from tests.services.purchasing import reorder_case
from tests.services.purchasing.reorder_case import EXPECTED, OVERSTOCK


@pytest.fixture
def store(database, admin, capsys):
    reorder_case.build(database, admin)
    with database.write() as s:
        auth.create_user(s, admin, "carla", "clerk-pass-1", auth.Role.CLERK, "Carla")
    capsys.readouterr()
    return ["--database", database.engine.url.render_as_string(hide_password=False)]


def _json(capsys, *args):
    assert cli.main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def _orders(database):
    with database.read() as s:
        return s.scalar(select(func.count()).select_from(PurchaseOrder))


def test_reorder_dry_run_then_for_real_then_again(store, database, capsys):
    dry = _json(capsys, *store, "reorder", "--dry-run", "--json")
    assert set(dry) == {"purchase_orders", "overstock", "skipped"}
    assert dry["purchase_orders"] == [{**o, "number": None} for o in EXPECTED]
    assert dry["overstock"] == OVERSTOCK
    assert [(s["sku"], s["warehouse"]) for s in dry["skipped"]] == [("N-1", "MAIN")]
    assert _orders(database) == 4  # the case's own four
    real = _json(capsys, *store, "reorder", "--json")
    assert real["purchase_orders"] == EXPECTED
    assert _orders(database) == 6
    again = _json(capsys, *store, "reorder", "--json")
    assert again["purchase_orders"] == []
    assert _orders(database) == 6


def test_reorder_in_words_and_refusals(store, capsys):
    assert cli.main([*store, "reorder", "--warehouse", "WEST"]) == 0
    out = capsys.readouterr().out
    assert "Reorder drafted 1 purchase order(s):" in out
    assert "PO-000001  Bolt Ltd -> WEST: 1 line(s)" in out
    assert cli.main([*store, "reorder", "--user", "carla"]) == 1
    assert "kestrel reorder: " in capsys.readouterr().err
    assert cli.main([*store, "reorder", "--warehouse", "NOPE"]) == 1
    assert "There is no warehouse NOPE." in capsys.readouterr().err


def test_reorder_rule_set_list_remove(store, capsys):
    base = [*store, "reorder-rule"]
    assert (
        cli.main(
            [
                *base,
                "set",
                "K-1",
                "--warehouse",
                "WEST",
                "--min",
                "2",
                "--max",
                "9",
                "--multiple",
                "3",
                "--supplier",
                "ACME",
                "--lead-days",
                "4",
            ]
        )
        == 0
    )
    assert "Rule for K-1 in WEST: min 2, max 9." in capsys.readouterr().out
    listed = _json(capsys, *base, "list", "--warehouse", "WEST", "--json")
    assert listed == [
        {
            "sku": "B-1",
            "warehouse": "WEST",
            "min": 3,
            "max": 7,
            "multiple": 1,
            "supplier": "Bolt Ltd",
            "lead_days": 0,
        },
        {
            "sku": "K-1",
            "warehouse": "WEST",
            "min": 2,
            "max": 9,
            "multiple": 3,
            "supplier": "ACME",
            "lead_days": 4,
        },
    ]
    assert cli.main([*base, "set", "K-1", "--warehouse", "WEST", "--min", "5", "--max", "4"]) == 1
    assert "must be at least the minimum" in capsys.readouterr().err
    assert cli.main([*base, "remove", "K-1", "--warehouse", "WEST"]) == 0
    assert "Removed the rule for K-1 in WEST." in capsys.readouterr().out
    assert len(_json(capsys, *base, "list", "--json")) == 7
    assert cli.main([*base, "list"]) == 0
    assert "(no supplier)" in capsys.readouterr().out  # N-1


def test_import_and_export_reorder_rules(store, capsys, tmp_path):
    path = tmp_path / "rules.csv"
    assert cli.main([*store, "export", "reorder-rules", str(path)]) == 0
    assert "7 row(s)" in capsys.readouterr().out
    again = _json(capsys, *store, "import", "reorder-rules", str(path), "--json")
    assert (again["unchanged"], again["added"], again["updated"]) == (7, 0, 0)
    path.write_text("sku,warehouse,min,max\nK-1,MAIN,9,3\nA-1,MAIN,1,2\n", encoding="utf-8")
    assert cli.main([*store, "import", "reorder-rules", str(path), "--json"]) == 1
    bad = json.loads(capsys.readouterr().out)
    assert bad["written"] is False and bad["refused"][0]["row"] == 2
    assert cli.main([*store, "import", "reorder-rules", str(path), "--skip-bad", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["updated"] == 1
