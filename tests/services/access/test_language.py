"""A user's language (services/access/users.set_language): checked against Babel, audited,
carried by the signed-in Actor so the screens and Qt's buttons speak it."""

from __future__ import annotations

import pytest

from app.core import auth, i18n
from app.core.errors import ValidationError
from app.services.access import login, users

PASSWORD = "long-enough-pass"


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use_language("en")


def test_the_language_is_kept_and_signs_in_with_the_user(database, admin):
    with database.write() as s:
        auth.create_user(s, admin, "anna", PASSWORD, auth.Role.CASHIER)
        row = users.set_language(s, admin, "anna", "de-at")
    assert row.language == "de_AT"
    actor = login.sign_in(database, "anna", PASSWORD, "till-1")
    assert actor.language == "de_AT"
    with database.write() as s:
        assert users.set_language(s, admin, "anna", "").language == ""  # the workstation's
        with pytest.raises(ValidationError, match="not a language") as refused:
            users.set_language(s, admin, "anna", "xx-nowhere")
        assert refused.value.field == "language"
    assert login.sign_in(database, "anna", PASSWORD).language == ""


def test_the_screens_and_qt_follow_the_signed_in_user(qapp, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from app.views.qt_i18n import install_qt_translations, use_user_language

    monkeypatch.setenv("KESTREL_LANG", "fr")
    try:
        assert use_user_language(qapp, "es_ES") == "es_ES"
        assert i18n._("Invoice") == "Factura"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
        assert use_user_language(qapp, "") == "fr"  # no choice of their own: KESTREL_LANG
        assert i18n._("Invoice") == "Facture"
    finally:
        install_qt_translations(qapp, "en")
