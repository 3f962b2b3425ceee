"""app/core/i18n.py: the language choice (user, KESTREL_LANG, LC_ALL/LC_MESSAGES/LANG),
the catalogues (compiled in memory from the .po where no .mo is there), the fallback to
English said once in the log; and Qt's own strings through QTranslator."""

from __future__ import annotations

import logging
import shutil

import pytest

from app.core import i18n


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use_language("en")


def test_the_users_choice_wins_then_kestrel_lang_then_the_system_locale():
    env = {"KESTREL_LANG": "fr", "LC_ALL": "", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}
    assert i18n.choose_language("de-at", env) == "de_AT"
    assert i18n.choose_language("", env) == "fr"
    assert i18n.choose_language("", {**env, "KESTREL_LANG": ""}) == "es_ES"
    assert i18n.choose_language("", {"LANG": "de_DE.UTF-8@euro"}) == "de_DE"
    assert i18n.choose_language("", {"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "fr_FR"
    assert i18n.choose_language("", {"LANG": "C.UTF-8"}) == "en"
    assert i18n.choose_language("", {}) == "en"


def test_a_region_uses_its_languages_catalogue():
    assert i18n.translations("de_AT").gettext("Receipt") == "Kassenbon"
    assert i18n.translations("fr_FR.UTF-8").gettext("Receipt") == "Ticket de caisse"
    assert i18n.translations("es").gettext("Receipt") == "Ticket"
    assert i18n.translations("en_GB").gettext("Receipt") == "Receipt"


def test_the_process_language_and_plurals():
    assert i18n.use_language("de_DE") == "de_DE"
    assert i18n._("Invoice") == "Rechnung"
    assert i18n.ngettext("{count} order", "{count} orders", 2) == "{count} Bestellungen"
    i18n.use_language("fr")
    assert i18n.ngettext("{count} order", "{count} orders", 0) == "{count} commande"  # 0 is one
    assert i18n._("not a message") == "not a message"


@pytest.mark.allow_log(logging.WARNING, logger="kestrel.i18n", match="no kestrel catalogue")
def test_a_missing_catalogue_is_english_and_said_once(caplog):
    i18n.translations.cache_clear()
    i18n._said.discard("pl")
    with caplog.at_level(logging.WARNING, logger="kestrel.i18n"):
        assert i18n.use_language("pl_PL") == "en"
        assert i18n._("Invoice") == "Invoice"
        i18n.use_language("pl_PL")
        i18n.translations("pl")
    said = [r for r in caplog.records if "catalogue" in r.getMessage()]
    assert len(said) == 1 and "'pl_PL'" in said[0].getMessage()


def test_without_a_compiled_file_the_po_is_compiled_in_memory(tmp_path, monkeypatch):
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "kestrel.po", folder / "kestrel.po")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert not (folder / "kestrel.mo").exists()
        assert i18n.translations("de").gettext("Change") == "Rückgeld"
    finally:
        i18n.translations.cache_clear()


def test_qt_standard_buttons_follow_the_language(qapp):
    from PySide6.QtCore import QCoreApplication

    from app.views.qt_i18n import install_qt_translations

    try:
        assert install_qt_translations(qapp, "de")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
        assert install_qt_translations(qapp, "fr")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    finally:
        assert not install_qt_translations(qapp, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


@pytest.mark.parametrize(
    ("language", "required", "permission"),
    [
        ("de", "ist erforderlich", "darf das nicht"),
        ("fr", "est obligatoire", "ne peut pas faire cela"),
        ("es", "es obligatorio", "no puede hacer esto"),
    ],
)
def test_domain_errors_speak_the_process_language(language, required, permission):
    from app.core import auth
    from app.core.errors import PermissionDenied, ValidationError
    from app.core.validation import clean_text

    cashier = auth.Actor(7, "cas", "Cas", auth.Role.CASHIER)
    i18n.use_language(language)
    try:
        with pytest.raises(ValidationError, match=required):
            clean_text(" ", "Name", max_length=10, required=True)
        with pytest.raises(PermissionDenied, match=permission):
            auth.require(cashier, auth.Permission.USERS_MANAGE)
    finally:
        i18n.use_language("en")
    with pytest.raises(ValidationError, match="Name is required"):
        clean_text(" ", "Name", max_length=10, required=True)


def test_a_program_value_is_shown_in_words_and_an_unknown_one_as_stored():
    queues = {"to_pick": i18n.N_("To pick")}  # a label the catalogue knows
    i18n.use_language("de")
    try:
        assert i18n.label(queues, "to_pick") == "Zu picken"
        assert i18n.label(queues, "no_such_queue") == "no_such_queue"
    finally:
        i18n.use_language("en")
    assert i18n.label(queues, "to_pick") == "To pick"
