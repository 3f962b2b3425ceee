"""app/cli/users.py: `kestrel add-user`."""

from __future__ import annotations

from app import cli


def test_add_user(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    monkeypatch.setenv("KESTREL_PASSWORD", "s3cret-pass")
    assert cli.main(["add-user", "boss", "--role", "admin", "--database", url]) == 0
    assert cli.main(["add-user", "till", "--role", "cashier", "--database", url]) == 0
    assert cli.main(["add-user", "till", "--role", "cashier", "--database", url]) == 2
    assert "is taken" in capsys.readouterr().err
