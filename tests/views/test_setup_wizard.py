"""The setup wizard after the first administrator: the whole first run to a demo store,
every page skippable, languages by name (item 9 of issue 11), the scanner's verdict shown
before the wizard moves on (a scan ends in Enter, which would press Next), and every text
whole and without raw markup on every page. Pages save in the background: tests settle."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWizard
from sqlalchemy import func, select

from app.core import auth
from app.core.settings import all_settings
from app.models import SalesOrder
from app.services.stock.scanning import TEST_CODE
from app.views.setup_wizard import SetupWizard
from tests.views.conftest import show_active

TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _admin(database):
    with database.write() as s:
        return auth.create_user(s, None, "admin", "s3cret-pass", auth.Role.ADMIN)


@pytest.fixture
def wizard(qtbot, sqlite_db, settle):
    made = SetupWizard(sqlite_db, _admin(sqlite_db), "till-1")
    qtbot.addWidget(made)
    show_active(qtbot, made)
    settle()  # the store's settings arrive from a background read
    return made


def test_first_run_sets_up_the_shop_and_loads_the_demo(qtbot, wizard, sqlite_db, settle):
    wizard.company.setText("Corner Shop")
    wizard.address.setPlainText("1 Main Street\nGalway")
    wizard.next()
    wizard.currency.setCurrentText("XYZ")  # not a currency: the page stays
    wizard.next()
    settle()
    assert "not a currency code" in wizard.money_error.text()
    assert wizard.currentPage() is wizard.money_page
    wizard.currency.setCurrentText("GBP")
    wizard.locale.setCurrentText("en_GB")
    wizard.next()
    settle()
    assert wizard.currentPage() is wizard.database_page
    assert "kestrel.sqlite" in wizard.findChild(QLabel, "db_where").text()
    wizard.next()
    qtbot.mouseClick(wizard.findChild(QPushButton, "wizard_test"), Qt.MouseButton.LeftButton)
    settle()
    assert "Test page queued" in wizard.printer_result.text()
    wizard.next()
    wizard.scanner.check("KESTREL-TEST", True)
    wizard.next()
    assert wizard.currentPage() is wizard.store_page and wizard.demo.isChecked()
    with qtbot.waitSignal(wizard.accepted, timeout=60_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "manager" in wizard.message and "demo1234" in wizard.message
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) > 0
        shared = all_settings(s)
        assert (shared["company_name"], shared["currency"], shared["locale"]) == (
            "Corner Shop",
            "GBP",
            "en_GB",
        )
        assert "Galway" in shared["company_address"]


def test_every_wizard_page_can_be_skipped(qtbot, wizard, sqlite_db):
    wizard.currency.setCurrentText("NOT-A-CURRENCY")  # skipped pages keep nothing
    skip = wizard.button(QWizard.WizardButton.CustomButton1)
    for _ in range(5):
        qtbot.mouseClick(skip, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.store_page
    qtbot.mouseClick(skip, Qt.MouseButton.LeftButton)  # the last Skip: an empty store
    assert wizard.result() == QWizard.DialogCode.Accepted and not wizard.message
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == 0
        assert all_settings(s)["currency"] == "EUR"


def test_languages_are_named_and_saved_as_codes(wizard, sqlite_db, settle):
    wizard.next()
    names = [wizard.locale.itemText(i) for i in range(wizard.locale.count())]
    assert "English (Ireland)" in names and "Deutsch (Deutschland)" in names
    assert not [n for n in names if "_" in n]
    assert wizard.locale.currentText() == "English (Ireland)"  # the store's setting
    wizard.locale.setCurrentIndex(wizard.locale.findText("Deutsch (Deutschland)"))
    wizard.next()
    settle()  # saved in the background, then the wizard moves on by itself
    assert wizard.currentPage() is wizard.database_page
    with sqlite_db.read() as s:
        assert all_settings(s)["locale"] == "de_DE"


def _to_scanner_page(wizard, settle):
    while wizard.currentPage() is not wizard.scanner_page:
        wizard.next()
        settle()


def test_a_scan_ending_in_enter_shows_its_verdict_and_stays(qtbot, wizard, settle):
    _to_scanner_page(wizard, settle)
    field = wizard.scanner.input
    field.setFocus()
    for char in TEST_CODE:  # what a scanner sends: a press and a release per key
        shift = char.isupper()
        if shift:
            qtbot.keyPress(field, Qt.Key.Key_Shift)
        modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        qtbot.keyPress(field, char, modifier)
        qtbot.keyRelease(field, char, modifier)
        if shift:
            qtbot.keyRelease(field, Qt.Key.Key_Shift)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.scanner_page
    assert wizard.scanner.result.text() and wizard.scanner.result.property("kind") == "ok"
    wizard.next()  # the person reads it, then moves on
    assert wizard.currentPage() is wizard.store_page


def test_a_scan_without_enter_is_judged_before_next(qtbot, wizard, settle):
    _to_scanner_page(wizard, settle)
    wizard.scanner.input.setText(TEST_CODE.lower())
    wizard.next()
    assert wizard.currentPage() is wizard.scanner_page
    assert wizard.scanner.result.property("kind") == "error"
    wizard.next()
    assert wizard.currentPage() is wizard.store_page


def _plain(text: str) -> str:
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText() if QtGui_Qt.mightBeRichText(text) else text


def test_every_page_text_is_whole_and_without_markup(qtbot, wizard):
    problems = []
    seen = 0
    while True:
        page = wizard.currentPage()
        qtbot.wait(0)
        texts = [page.title(), page.subTitle()]
        for label in wizard.findChildren(QLabel):
            if not label.isVisible() or not label.text():
                continue
            texts.append(label.text())
            if label.wordWrap():
                whole = label.height() >= label.heightForWidth(label.width())
            else:
                whole = label.width() >= label.sizeHint().width()
            if not whole:
                problems.append(f"page {seen}: label cut: {label.text()[:50]!r}")
        for button in page.findChildren(QAbstractButton):
            if button.isVisible() and button.width() < button.sizeHint().width():
                problems.append(f"page {seen}: button cut: {button.text()[:50]!r}")
        for text in texts:
            shown = _plain(text)
            if any(mark in shown for mark in ("`", "**", "&lt;", "&amp;")) or TAG.search(shown):
                problems.append(f"page {seen}: raw markup in {shown[:60]!r}")
        seen += 1
        if page is wizard.store_page:
            break
        wizard.button(QWizard.WizardButton.CustomButton1).click()  # Skip: keep nothing
    assert seen == 6
    assert problems == [], "\n".join(problems)


def test_a_german_workstation_is_offered_a_german_shop(qtbot, sqlite_db, settle, monkeypatch):
    """A new store's built-in defaults are English and Irish; a German screen proposes its
    own shop name, footer, de_DE and Europe/Berlin, and the money page saves the zone."""
    from app.core import i18n

    monkeypatch.setenv("TZ", "UTC")  # this workstation's own zone says nothing
    i18n.use_language("de")
    try:
        made = SetupWizard(sqlite_db, _admin(sqlite_db), "till-1")
        qtbot.addWidget(made)
        show_active(qtbot, made)
        settle()
        assert (made.company.text(), made.footer.text()) == (
            "Mein Geschäft",
            "Vielen Dank für Ihren Einkauf!",
        )
        assert made._locale_code() == "de_DE"
        assert made.timezone.currentText() == "Europe/Berlin"
        made.next()
        made.locale.setCurrentIndex(made.locale.findData("es_ES"))  # the zone follows
        assert made.timezone.currentText() == "Europe/Madrid"
        made.timezone.setCurrentText("Atlantic/Canary")  # typed: kept
        made.next()
        settle()
        assert made.currentPage() is made.database_page
    finally:
        i18n.use_language("en")
    with sqlite_db.read() as s:
        shared = all_settings(s)
    assert (shared["company_name"], shared["locale"], shared["timezone"]) == (
        "Mein Geschäft",
        "es_ES",
        "Atlantic/Canary",
    )


def test_a_zone_that_does_not_exist_stays_on_the_page(wizard, sqlite_db, settle):
    wizard.next()
    wizard.timezone.setCurrentText("Europe/Atlantis")
    wizard.next()
    settle()
    assert wizard.currentPage() is wizard.money_page
    assert "Europe/Atlantis" in wizard.money_error.text()
    with sqlite_db.read() as s:
        assert all_settings(s)["timezone"] == "Europe/Dublin"
