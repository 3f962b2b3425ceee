"""app/cli/users.py: `kestrel add-user` and `kestrel user ...`."""

from __future__ import annotations

import json

import pytest

from app import cli, db
from app.core.auth import Role
from app.core.errors import AuthenticationFailed
from app.services.access import login


def test_add_user(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    monkeypatch.setenv("KESTREL_PASSWORD", "s3cret-pass")
    assert cli.main(["add-user", "boss", "--role", "admin", "--database", url]) == 0
    assert cli.main(["add-user", "till", "--role", "cashier", "--database", url]) == 0
    assert cli.main(["add-user", "till", "--role", "cashier", "--database", url]) == 2
    assert "is taken" in capsys.readouterr().err


def _store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    monkeypatch.setenv("KESTREL_PASSWORD", "long-enough-pass")
    assert cli.main(["add-user", "boss", "--role", "admin", "--database", url]) == 0
    assert (
        cli.main(["add-user", "till", "--role", "cashier", "--name", "Tom", "--database", url]) == 0
    )
    return url


def test_user_list_json_and_text(tmp_path, monkeypatch, capsys):
    url = _store(tmp_path, monkeypatch)
    capsys.readouterr()
    assert cli.main(["user", "list", "--json", "--database", url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["username"], r["role"], r["active"]) for r in rows] == [
        ("boss", "admin", True),
        ("till", "cashier", True),
    ]
    assert set(rows[0]) == {
        "username",
        "display_name",
        "role",
        "active",
        "must_change_password",
        "last_login_at",
    }
    assert cli.main(["user", "disable", "till", "--database", url]) == 0
    capsys.readouterr()
    assert cli.main(["user", "list", "--database", url]) == 0
    assert "disabled" in capsys.readouterr().out.splitlines()[-1]


def test_disable_enable_role_and_reset(tmp_path, monkeypatch, capsys):
    url = _store(tmp_path, monkeypatch)
    database = db.Database.open(url)
    assert cli.main(["user", "disable", "till", "--database", url]) == 0
    with pytest.raises(AuthenticationFailed, match="disabled"):
        login.sign_in(database, "till", "long-enough-pass")
    assert cli.main(["user", "enable", "till", "--database", url]) == 0
    assert cli.main(["user", "role", "till", "manager", "--database", url]) == 0
    assert login.sign_in(database, "till", "long-enough-pass").role is Role.MANAGER
    monkeypatch.setenv("KESTREL_PASSWORD", "another-long-one")
    assert cli.main(["user", "reset-password", "till", "--must-change", "--database", url]) == 0
    assert "asked at the next sign-in" in capsys.readouterr().out
    assert login.sign_in(database, "till", "another-long-one").must_change_password
    database.dispose()


def test_the_last_admin_and_bad_input_are_refused_in_words(tmp_path, monkeypatch, capsys):
    url = _store(tmp_path, monkeypatch)
    capsys.readouterr()
    assert cli.main(["user", "disable", "boss", "--database", url]) == 2
    assert "last active administrator" in capsys.readouterr().err
    assert cli.main(["user", "role", "boss", "clerk", "--database", url]) == 2
    assert cli.main(["user", "role", "till", "chef", "--database", url]) == 2
    assert "not a role" in capsys.readouterr().err
    assert cli.main(["user", "enable", "ghost", "--database", url]) == 2
    assert "no user 'ghost'" in capsys.readouterr().err
    monkeypatch.setenv("KESTREL_PASSWORD", "short")
    assert cli.main(["user", "reset-password", "till", "--database", url]) == 2
    assert "at least 10" in capsys.readouterr().err


def test_add_user_holds_the_shops_minimum_length(tmp_path, monkeypatch, capsys):
    """`kestrel add-user` checks the shop's setting (Settings > Shop), not a built-in 8."""
    from app.core.auth import SYSTEM
    from app.core.settings import set_setting

    url = _store(tmp_path, monkeypatch)
    database = db.Database.open(url)
    with database.write() as s:
        set_setting(s, SYSTEM, "password_min_length", 20)
    database.dispose()
    capsys.readouterr()
    monkeypatch.setenv("KESTREL_PASSWORD", "eleven-char")  # enough for 8 and for 10
    assert cli.main(["add-user", "clara", "--role", "clerk", "--database", url]) == 2
    assert "at least 20" in capsys.readouterr().err
    monkeypatch.setenv("KESTREL_PASSWORD", "twenty-characters-ok")
    assert cli.main(["add-user", "clara", "--role", "clerk", "--database", url]) == 0
