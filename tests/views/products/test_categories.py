"""The categories dialog driven as a clerk would (add, rename, move, a refused delete, a
delete), and the products list filtered by a category with what is under it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from shiboken6 import isValid

from app.services.stock import categories, products
from app.views.main_window import MainWindow
from app.views.products.categories import CategoriesDialog
from tests.views.conftest import show_active


@pytest.fixture
def screen(qtbot, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    screen = window.show_screen("Inventory").catalogue
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)
    yield screen
    dialog = screen.actions.dialog
    if dialog is not None and isValid(dialog) and dialog.isVisible():
        dialog.reject()
    settle()


def _type(qtbot, widget, text):
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    widget.selectAll()
    qtbot.keyClicks(widget, text, delay=20)


def _click(qtbot, dialog, key, settle):
    qtbot.mouseClick(dialog.buttons[key], Qt.MouseButton.LeftButton)
    settle()


def _paths(dialog):
    return [dialog.model.row(i).path for i in range(dialog.model.rowCount())]


def _choose(dialog, path):
    dialog.table.selectRow(_paths(dialog).index(path))


def test_add_rename_move_and_delete_in_the_dialog(qtbot, qtmodeltester, screen, ctx, settle):
    qtbot.mouseClick(
        screen.findChild(QPushButton, "products_categories"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: isinstance(screen.actions.dialog, CategoriesDialog))
    dialog = screen.actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    settle()
    _type(qtbot, dialog.name, "Drinks")
    _click(qtbot, dialog, "add", settle)
    qtbot.waitUntil(lambda: _paths(dialog) == ["Drinks"])
    dialog.parent_box.setCurrentIndex(dialog.parent_box.findText("Drinks"))
    _type(qtbot, dialog.name, "Tea")
    _click(qtbot, dialog, "add", settle)
    qtbot.waitUntil(lambda: _paths(dialog) == ["Drinks", "Drinks > Tea"])
    qtmodeltester.check(dialog.model)
    _choose(dialog, "Drinks > Tea")
    assert dialog.name.text() == "Tea"
    _type(qtbot, dialog.name, "Teas")
    _click(qtbot, dialog, "rename", settle)
    qtbot.waitUntil(lambda: _paths(dialog) == ["Drinks", "Drinks > Teas"])
    with ctx.database.write() as s:
        row = screen.model.row(0)
        detail = products.detail(s, ctx.actor, row.id)
        form = products.ProductForm(detail.sku, detail.name, detail.price, category="Drinks")
        products.save(s, ctx.actor, form, row.id, detail.version)
    dialog.reload()
    settle()
    _choose(dialog, "Drinks")
    _click(qtbot, dialog, "delete", settle)
    assert "holds 1 product(s)" in dialog.message.text()
    _choose(dialog, "Drinks > Teas")
    dialog.parent_box.setCurrentIndex(0)  # the top level
    _click(qtbot, dialog, "move", settle)
    qtbot.waitUntil(lambda: _paths(dialog) == ["Drinks", "Teas"])
    _choose(dialog, "Teas")
    _click(qtbot, dialog, "delete", settle)
    qtbot.waitUntil(lambda: _paths(dialog) == ["Drinks"])
    assert dialog.message.text() == "'Teas' deleted."
    qtbot.waitUntil(lambda: screen.category.findText("Drinks") >= 0)  # the filter heard it
    assert screen.category.findText("Teas") < 0


def test_the_list_filtered_by_a_category_and_below(qtbot, screen, ctx, settle):
    rows = [screen.model.row(i) for i in range(3)]
    with ctx.database.write() as s:
        for row, path in zip(rows, ("Coffee", "Coffee > Beans", "Tea"), strict=True):
            detail = products.detail(s, ctx.actor, row.id)
            form = products.ProductForm(detail.sku, detail.name, detail.price, category=path)
            products.save(s, ctx.actor, form, row.id, detail.version)
        coffee = categories.CategoryTree.load(s).find(("Coffee",))
    screen.load_categories()
    qtbot.waitUntil(lambda: screen.category.findData(coffee) >= 0)
    screen.category.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.category)
    while screen.category.currentData() != coffee:
        qtbot.keyClick(screen.category, Qt.Key.Key_Down)
    settle()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2)
    assert {screen.model.row(i).id for i in range(2)} == {rows[0].id, rows[1].id}
    qtbot.keyClick(screen.category, Qt.Key.Key_Home)  # all categories again
    settle()
    qtbot.waitUntil(lambda: screen.model.rowCount() > 3)
