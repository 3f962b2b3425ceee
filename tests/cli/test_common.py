"""app/cli/common.py: a command opens only a database it may, at the schema it knows."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import cli, db


def test_newer_schema_refused_by_every_command(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert cli.main(["migrate", "--database", url]) == 0
    database = db.Database.open(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()
    for command in ("migrate", "check", "demo"):
        assert cli.main([command, "--database", url]) == 2
        assert "newer Kestrel" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["check"], ["migrate", "--status"], ["wave", "--all"]])
def test_reading_commands_create_no_folder_and_no_file(tmp_path, capsys, command):
    missing = tmp_path / "not" / "here" / "shop.sqlite"
    assert cli.main([*command, "--database", f"sqlite:///{missing}"]) == 2
    assert "There is no database at" in capsys.readouterr().err
    assert not (tmp_path / "not").exists()
