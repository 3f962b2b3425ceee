"""The Inventory screen (views/stock/screen.py): the catalogue comes first and keeps its
keys (Ctrl+I imports products there, not on another tab), the other tabs are built when
opened, and a scan goes to the tab in front."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.views.transfer.import_dialog import ImportDialog
from tests.views import keyboard


def _imports(screen):
    return [d for d in screen.findChildren(ImportDialog) if d.isVisible()]


def test_ctrl_i_imports_on_the_catalogue_tab_only(qtbot, inventory, settle):
    window, screen = inventory
    assert (
        screen.tabs.currentWidget() is screen.catalogue and screen.search is screen.catalogue.search
    )
    assert set(screen._built) == {"Catalogue"}  # nothing else read until opened
    screen.tab("Stock")
    settle()
    screen.tab("Stock").table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert _imports(screen) == []
    screen.tab("Catalogue")
    screen.catalogue.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(_imports(screen)) == 1)
    (dialog,) = _imports(screen)
    assert dialog.kind == "products"
    dialog.reject()


def test_a_scan_goes_to_the_tab_in_front(qtbot, inventory, settle):
    _window, screen = inventory
    stock = screen.tab("Stock")
    settle()
    stock.table.setFocus()
    keyboard.scan(qtbot, stock.table, "2000000000015")
    settle()
    assert stock.search.text() == "2000000000015"
    assert screen.catalogue.search.text() == ""  # the catalogue behind it heard nothing
