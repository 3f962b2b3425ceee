"""app/cli/__init__.py: the top-level parser, `--database` anywhere, and domain errors
as words and exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from app import cli
from tests.cli.process import run


def test_database_option_before_or_after_the_command(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    assert cli.main(["--database", url, "migrate"]) == 0
    assert cli.main(["migrate", "--status", "--database", url]) == 0
    assert "schema current" in capsys.readouterr().out


def test_unreachable_server_is_a_clear_error_not_a_traceback():
    result = run("check", "--database", "postgresql://kestrel@127.0.0.1:1/shop")
    assert result.returncode == 2
    assert "Cannot open the database (shared server 127.0.0.1:1/shop)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url", ["postgresql://u:pw-secret@[::1/x", "postgresql://u:pw-secret@host:port/x", "nope"]
)
def test_a_malformed_database_address_is_a_clear_error(url):
    result = run("check", "--database", url)
    assert result.returncode == 2
    assert "is not a database address" in result.stderr
    assert "Traceback" not in result.stderr
    assert "pw-secret" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("language", "help_words", "error_words"),
    [
        ("de", "Benutzer auflisten und verwalten", "gibt es keine Datenbank"),
        ("fr", "lister et gérer les utilisateurs", "Il n'y a pas de base de données"),
        ("es", "listar y gestionar usuarios", "No hay base de datos"),
    ],
)
def test_help_and_messages_speak_kestrel_lang(
    tmp_path, monkeypatch, capsys, language, help_words, error_words
):
    from app.core import i18n

    monkeypatch.setenv("KESTREL_LANG", language)
    missing = f"sqlite:///{tmp_path / 'none' / 'kestrel.sqlite'}"
    try:
        with pytest.raises(SystemExit):
            cli.main(["--help"])
        assert help_words in capsys.readouterr().out
        assert cli.main(["order", "show", "SO-000001", "--database", missing]) == 2
        assert error_words in capsys.readouterr().err
    finally:
        i18n.use_language("en")
