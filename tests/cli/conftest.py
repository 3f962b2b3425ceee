"""What the command tests share: the printer emulator for the printing commands, and a
small store `kestrel demo` made (SQLite and PostgreSQL) with a clerk beside the admin."""

from __future__ import annotations

import pytest

from app import cli, db
from tests.printing.conftest import emulator

__all__ = ["demo_store", "emulator"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_store(request, tmp_path, capsys, monkeypatch):
    """(the `--database URL` arguments, the open Database) for ten demo products, two
    customers and no orders; user carla (clerk, password clerk-pass-1)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    base = ["--database", url]
    assert cli.main([*base, "demo", "--products", "10", "--customers", "2", "--orders", "0"]) == 0
    monkeypatch.setenv("KESTREL_PASSWORD", "clerk-pass-1")
    assert cli.main([*base, "add-user", "carla", "--role", "clerk"]) == 0
    capsys.readouterr()
    database = db.Database.open(url)
    yield base, database
    database.dispose()
