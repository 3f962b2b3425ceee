"""Item 9 of issue 11, the setup wizard: languages by name, the scanner's verdict shown
before the wizard moves on (a scan ends in Enter, which would press Next), and every text
whole and without raw markup on every page."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel, QWizard

from app.core import auth
from app.core.settings import all_settings
from app.services.stock.scanning import TEST_CODE
from app.views.setup_wizard import SetupWizard
from tests.views.conftest import show_active

TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@pytest.fixture
def wizard(qtbot, sqlite_db):
    with sqlite_db.write() as s:
        actor = auth.create_user(s, None, "admin", "s3cret-pass", auth.Role.ADMIN)
    made = SetupWizard(sqlite_db, actor, "till-1")
    qtbot.addWidget(made)
    show_active(qtbot, made)
    return made


def test_languages_are_named_and_saved_as_codes(wizard, sqlite_db):
    wizard.next()
    names = [wizard.locale.itemText(i) for i in range(wizard.locale.count())]
    assert "English (Ireland)" in names and "Deutsch (Deutschland)" in names
    assert not [n for n in names if "_" in n]
    assert wizard.locale.currentText() == "English (Ireland)"  # the store's setting
    wizard.locale.setCurrentIndex(wizard.locale.findText("Deutsch (Deutschland)"))
    wizard.next()
    assert wizard.currentPage() is wizard.database_page
    with sqlite_db.read() as s:
        assert all_settings(s)["locale"] == "de_DE"


def _to_scanner_page(wizard):
    while wizard.currentPage() is not wizard.scanner_page:
        wizard.next()


def test_a_scan_ending_in_enter_shows_its_verdict_and_stays(qtbot, wizard):
    _to_scanner_page(wizard)
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


def test_a_scan_without_enter_is_judged_before_next(qtbot, wizard):
    _to_scanner_page(wizard)
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
