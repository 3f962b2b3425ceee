"""app/cli/lots.py: `kestrel lot expiring` and `kestrel lot trace` on a demo store: the JSON
of the module docstring, and a refusal exits 1 in words."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app import cli
from app.core.auth import Role
from app.models import Location, Product
from app.services.stock import lots
from app.services.stock.inventory import MoveRef
from tests.cli.test_stock import store  # noqa: F401 (the fixture)
from tests.conftest import role_actor


def test_expiring_and_trace(store, capsys):  # noqa: F811
    base, sku, bin_code, database = store
    admin = role_actor(Role.ADMIN)
    with database.write() as s:
        product = s.scalar(select(Product).where(Product.sku == sku))
        product.tracking = "lot"
        bin_id = s.scalar(select(Location.id).where(Location.code == bin_code))
        expiry = lots.today() + timedelta(days=5)
        lots.receive_lot(s, admin, product, bin_id, 3, "CLI-LOT-1", expiry, MoveRef())
    assert cli.main([*base, "lot", "expiring", "--days", "7", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) == {"within_days", "lots"} and shown["within_days"] == 7
    (row,) = [r for r in shown["lots"] if r["lot"] == "CLI-LOT-1"]
    assert set(row) == {"sku", "name", "lot", "expires_on", "bin", "on_hand"}
    assert (row["sku"], row["bin"], row["on_hand"]) == (sku, bin_code, 3)
    assert row["expires_on"] == expiry.isoformat()
    assert cli.main([*base, "lot", "expiring", "--days", "2"]) == 0
    assert "CLI-LOT-1" not in capsys.readouterr().out

    assert cli.main([*base, "lot", "trace", sku, "CLI-LOT-1", "--json"]) == 0
    trace = json.loads(capsys.readouterr().out)
    assert set(trace) == {"sku", "name", "lot", "expires_on", "received", "delivered", "on_hand"}
    assert [r["quantity"] for r in trace["received"]] == [3] and trace["delivered"] == []
    assert set(trace["received"][0]) == {
        "at",
        "quantity",
        "bin",
        "origin",
        "purchase_order",
        "supplier",
    }
    assert trace["on_hand"] == [{"bin": bin_code, "quantity": 3}]
    assert cli.main([*base, "lot", "trace", sku, "CLI-LOT-1"]) == 0
    assert f"3 in {bin_code}" in capsys.readouterr().out

    assert cli.main([*base, "lot", "trace", sku, "NO-SUCH-LOT"]) == 1
    assert "has no lot or serial NO-SUCH-LOT" in capsys.readouterr().err
    assert cli.main([*base, "lot", "expiring", "--days", "-1"]) == 1
    assert "days" in capsys.readouterr().err
