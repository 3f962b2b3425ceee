"""Issue 21 on the Settings screen: in German its tabs, labels and the program's values
(a printer's role and language, the theme, the roles, the audit log's actions) are in
words, while what goes to the service stays the code; a printer saved in German is a
`label` printer speaking `zpl` in the database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.printing import printers
from app.views.main_window import MainWindow
from tests.views.conftest import show_active


def test_settings_in_german_save_the_codes(qtbot, german, settle):
    ctx = german
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    settings = window.show_screen("Settings")
    settle()
    tabs = [settings.tabs.tabText(i) for i in range(settings.tabs.count())]
    assert {"Drucker", "Datenbank", "Arbeitsplatz", "Postausgang"} <= set(tabs)
    page = settings.printers
    roles = [page.role.itemText(i) for i in range(page.role.count())]
    assert roles == ["Kassenbon", "Etikett", "Dokument"]
    page.role.setCurrentIndex(page.role.findData("label"))
    page.language.setCurrentIndex(page.language.findData("zpl"))
    assert page.language.currentText() == "ZPL" and "Latin-1" in page.font_note.text()
    assert "Schrift" in page.font_note.text()  # the note in German too
    qtbot.keyClicks(page.name, "Etiketten hinten")
    qtbot.keyClicks(page.uri, "preview:")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in page.message.text(), timeout=10_000)
    print("MSG", page.message.text())
    with ctx.database.read() as s:
        saved = {p.name: p for p in printers.list_printers(s, "till-1")}["Etiketten hinten"]
    assert (saved.role, saved.language) == ("label", "zpl")
    settle()
    shown = [page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())]
    assert "Etikett (Standard)" in shown
    theme = settings.workstation.theme
    assert [theme.itemText(i) for i in range(theme.count())] == ["hell", "dunkel"]


def test_the_audit_log_offers_its_actions_in_german(qtbot, german, settle):
    window = MainWindow(german)
    qtbot.addWidget(window)
    audit = window.show_screen("Audit log")
    settle()
    offered = {audit.action.itemText(i): audit.action.itemData(i) for i in range(3)}
    assert offered == {
        "Alles": "",
        "Anmeldungen": "login",
        "Fehlgeschlagene Anmeldungen": "login.failed",
    }
