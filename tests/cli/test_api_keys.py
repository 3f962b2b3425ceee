"""app/cli/api_keys.py and the tracking link of `kestrel order show --json`: the key
alone on create's last line and working in the API, list's JSON shape, revoke; a
refusal is exit 1. SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app import cli, db
from app.api.server import create_app


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def base(request, tmp_path, capsys):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'keys.sqlite'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    assert cli.main(["--database", url, "demo", "--products", "3", "--orders", "1"]) == 0
    capsys.readouterr()
    return url


def test_create_list_use_and_revoke(base, capsys):
    args = ["--database", base, "api-key"]
    assert cli.main([*args, "create", "shop", "--scopes", "orders:read,stock:read"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("kst_") and " " not in key
    assert cli.main([*args, "create", "shop", "--scopes", "orders:read"]) == 1
    assert "already" in capsys.readouterr().err
    assert cli.main([*args, "create", "x", "--scopes", "orders:delete"]) == 1
    assert "not a scope" in capsys.readouterr().err
    assert cli.main([*args, "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert set(row) == {
        "id",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    }
    assert row["scopes"] == ["orders:read", "stock:read"] and key.startswith(row["prefix"])
    assert key not in json.dumps(row)
    database = db.Database.open(base)
    try:
        client = TestClient(create_app(database))
        headers = {"Authorization": f"Bearer {key}"}
        assert client.get("/api/v1/orders/SO-000001", headers=headers).status_code == 200
        assert cli.main([*args, "revoke", "shop"]) == 0
        capsys.readouterr()
        assert client.get("/api/v1/orders/SO-000001", headers=headers).status_code == 403
    finally:
        database.dispose()
    assert cli.main([*args, "revoke", "nobody"]) == 1


def test_order_show_json_has_the_tracking_url(base, capsys):
    assert cli.main(["--database", base, "order", "show", "SO-000001", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tracking_url"].startswith("http://127.0.0.1:8765/track/")
    assert cli.main(["--database", base, "order", "show", "SO-000001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tracking_url"] == data["tracking_url"]
