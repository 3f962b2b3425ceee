"""app/cli/shop.py: `kestrel shop show [--json]` and `kestrel shop set KEY=VALUE ...` on a
real SQLite file and a real PostgreSQL database; refusals name their field, exit 1 and
change nothing; a user's own language speaks the command's words."""

from __future__ import annotations

import json

import pytest

from app import cli
from app.core import i18n


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use_language("en")


def _url(database) -> list[str]:
    return ["--database", database.engine.url.render_as_string(hide_password=False)]


def _show(base, capsys) -> dict:
    capsys.readouterr()
    assert cli.main([*base, "shop", "show", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_set_then_show(database, capsys):
    base = _url(database)
    args = [
        "name=Bäckerei Müller",
        "address=Hauptstraße 5\\n10115 Berlin",
        "language=de-DE",
        "currency=eur",
        "timezone=Europe/Berlin",
        "tax_id=DE123456788",
        "prices_include_tax=ja",
    ]
    assert cli.main([*base, "shop", "set", *args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("changed: ") and "locale" in out
    shown = _show(base, capsys)
    assert shown["name"] == "Bäckerei Müller" and shown["address"] == "Hauptstraße 5\n10115 Berlin"
    assert (shown["locale"], shown["currency"], shown["timezone"]) == (
        "de_DE",
        "EUR",
        "Europe/Berlin",
    )
    assert shown["tax_id"] == "DE123456788" and shown["prices_include_tax"] is True
    assert set(shown) >= {"receipt_header", "receipt_footer", "paper", "tax_classes"}
    assert cli.main([*base, "shop", "set", "name=Bäckerei Müller"]) == 0
    assert capsys.readouterr().out.strip() == "nothing changed"
    assert cli.main([*base, "shop", "show"]) == 0
    text = capsys.readouterr().out
    assert "Hauptstraße 5 / 10115 Berlin" in text and "de_DE" in text


@pytest.mark.parametrize(
    ("pair", "words"),
    [
        ("locale=xx_QQ", "locale: 'xx_QQ' is not a language and region"),
        ("currency=EURO", "currency:"),
        ("timezone=Mars/Olympus", "timezone: 'Mars/Olympus' is not a time zone"),
        ("name=", "name:"),
        ("prices_include_tax=maybe", "yes or no"),
        ("prices=net", "prices: Prices are shown 'inclusive' or 'exclusive' of tax, not 'net'"),
        ("tax_id=DE123456789", "tax_id: 'DE123456789' is not a valid VAT number"),
        ("colour=blue", "'colour' is not a shop setting"),
        ("locale", "KEY=VALUE"),
    ],
)
def test_bad_values_are_refused_with_the_field_and_change_nothing(database, capsys, pair, words):
    base = _url(database)
    before = _show(base, capsys)
    assert cli.main([*base, "shop", "set", "name=Changed", pair]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kestrel shop set: ") and words in err, err
    assert _show(base, capsys) == before


def test_prices_inclusive_or_exclusive_are_set_and_shown(database, capsys):
    base = _url(database)
    assert _show(base, capsys)["prices"] == "inclusive"  # what receipts printed before
    assert cli.main([*base, "shop", "set", "prices=Exclusive"]) == 0
    assert capsys.readouterr().out.strip() == "changed: prices"
    assert _show(base, capsys)["prices"] == "exclusive"
    assert cli.main([*base, "shop", "show"]) == 0
    assert any(
        line.split() == ["prices", "exclusive"] for line in capsys.readouterr().out.splitlines()
    )


def test_a_user_without_settings_rights_is_refused(sqlite_db, monkeypatch, capsys):
    base = _url(sqlite_db)
    monkeypatch.setenv("KESTREL_PASSWORD", "long-enough-pass")
    assert cli.main([*base, "add-user", "boss", "--role", "admin"]) == 0
    assert cli.main([*base, "add-user", "till", "--role", "cashier"]) == 0
    assert cli.main([*base, "shop", "show", "--user", "till"]) == 1
    assert "kestrel shop show:" in capsys.readouterr().err


def test_the_users_language_speaks_the_commands_words(sqlite_db, monkeypatch, capsys):
    base = _url(sqlite_db)
    monkeypatch.setenv("KESTREL_PASSWORD", "long-enough-pass")
    assert cli.main([*base, "add-user", "chef", "--role", "admin"]) == 0
    assert cli.main([*base, "user", "language", "chef", "de"]) == 0
    assert "chef speaks de" in capsys.readouterr().out
    assert cli.main([*base, "user", "language", "chef", "klingon"]) == 2  # as `user role`
    assert "'klingon' is not a language" in capsys.readouterr().err
    assert cli.main([*base, "shop", "set", "--user", "chef", "colour=blue"]) == 1
    assert "'colour' ist keine Shop-Einstellung" in capsys.readouterr().err
    assert cli.main([*base, "shop", "set", "--user", "chef", "receipt_footer=Danke!"]) == 0
    assert capsys.readouterr().out.strip() == "geändert: receipt_footer"


def test_kestrel_lang_chooses_the_language_without_a_user(sqlite_db, monkeypatch, capsys):
    base = _url(sqlite_db)
    monkeypatch.setenv("KESTREL_LANG", "fr_FR")
    assert cli.main([*base, "shop", "set", "receipt_footer=Merci !"]) == 0
    assert capsys.readouterr().out.strip() == "modifié : receipt_footer"
