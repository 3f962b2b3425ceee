"""services/shop_defaults.py: a new shop set up on a German workstation is proposed German
words, de_DE, EUR and Europe/Berlin; anything the shop already saved stays as it is."""

from __future__ import annotations

import pytest

from app.core import i18n
from app.core.settings import DEFAULTS
from app.services import shop_defaults
from app.services.shop_defaults import currency_for, likely_locale, suggested, zone_for


@pytest.fixture
def german():
    i18n.use_language("de")
    yield
    i18n.use_language("en")


@pytest.fixture
def no_zone(monkeypatch):
    """A workstation whose own zone says nothing (UTC), as on this test machine."""
    monkeypatch.setenv("TZ", "UTC")


def test_a_german_workstation_sees_a_german_shop(german, no_zone):
    shown = suggested(dict(DEFAULTS), "de")
    assert shown == {
        "company_name": "Mein Geschäft",
        "receipt_footer": "Vielen Dank für Ihren Einkauf!",
        "currency": "EUR",
        "locale": "de_DE",
        "timezone": "Europe/Berlin",
    }


def test_what_the_shop_saved_is_kept(german, no_zone):
    shared = {
        **DEFAULTS,
        "company_name": "Eckladen",
        "locale": "en_GB",
        "currency": "GBP",
        "timezone": "Europe/London",
    }
    shown = suggested(shared, "de_CH")
    assert (shown["company_name"], shown["locale"], shown["currency"], shown["timezone"]) == (
        "Eckladen",
        "en_GB",
        "GBP",
        "Europe/London",
    )


def test_an_english_workstation_keeps_the_built_in_defaults(no_zone):
    shown = suggested(dict(DEFAULTS), "en")
    assert shown == {key: DEFAULTS[key] for key in shop_defaults.SUGGESTED}


def test_the_country_decides_currency_and_zone(no_zone):
    assert likely_locale("fr") == "fr_FR" and likely_locale("fr_CA") == "fr_CA"
    assert likely_locale("qps") == likely_locale("xx") == likely_locale("") == ""
    assert currency_for("de_CH") == "CHF" and currency_for("en_GB") == "GBP"
    assert zone_for("de_AT") == "Europe/Vienna"  # the country's only zone
    assert zone_for("es_ES") == "Europe/Madrid"  # the main one of three
    assert zone_for("en_US") == "America/New_York"
    assert zone_for("nonsense") == ""


def test_the_workstations_own_zone_wins_inside_its_country(monkeypatch):
    monkeypatch.setenv("TZ", "Atlantic/Canary")
    assert zone_for("es_ES") == "Atlantic/Canary"
    assert zone_for("de_DE") == "Europe/Berlin"  # not in Germany: the country's main zone
