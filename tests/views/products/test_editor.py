"""The catalogue screen driven as a clerk would: the editor, a scanned barcode, a refused
check digit, a new product by Ctrl+N, a bulk edit and labels for two products."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QPushButton
from shiboken6 import isValid
from sqlalchemy import select

from app.core import audit
from app.models import PrintJob
from app.services.stock import catalogue, categories, products
from app.views.main_window import MainWindow
from app.views.products.editor import ProductEditor
from app.views.scanner import ScannerFilter
from tests import factories
from tests.views import keyboard
from tests.views.conftest import show_active

NEW_EAN = factories.make_ean(9_000_001)


@pytest.fixture
def screen(qtbot, qapp, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    screen = window.show_screen("Inventory").catalogue
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)
    yield screen
    qapp.removeEventFilter(scanner)
    dialog = screen.actions.dialog
    if dialog is not None and not _closed(dialog):
        dialog.reject()
    settle()


def _closed(dialog) -> bool:
    """Closed, and maybe deleted already (a finished dialog is deleted later)."""
    return not isValid(dialog) or not dialog.isVisible()


def _choose(screen, *rows):
    view = screen.table
    view.setFocus()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection = view.selectionModel()
    selection.clearSelection()
    selection.setCurrentIndex(
        screen.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    for row in rows:  # Ctrl+click on each
        selection.select(screen.model.index(row, 0), flags)
    assert [r.id for r in screen.chosen()] == [screen.model.row(r).id for r in rows]
    return [screen.model.row(r) for r in rows]


def _editor(qtbot, screen, settle) -> ProductEditor:
    qtbot.waitUntil(lambda: isinstance(screen.actions.dialog, ProductEditor))
    editor = screen.actions.dialog
    qtbot.waitUntil(editor.isVisible)
    settle()
    qtbot.waitUntil(lambda: editor.loaded)
    return editor


def _focus(qtbot, widget):
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _retype(qtbot, widget, text):
    """A person replacing a field's text (select all, type)."""
    _focus(qtbot, widget)
    widget.selectAll()
    qtbot.keyClicks(widget, text, delay=60)


def test_enter_opens_the_editor_a_price_changes_and_a_scanned_code_is_added(
    qtbot, qtmodeltester, screen, ctx, settle
):
    (row,) = _choose(screen, 0)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    editor = _editor(qtbot, screen, settle)
    assert editor.sku.text() == row.sku
    assert editor.name.text() == row.name
    codes_before = [r.code for r in editor.codes.rows()]
    qtmodeltester.check(editor.codes)
    _retype(qtbot, editor.price, "19.99")
    _focus(qtbot, editor.new_code)
    keyboard.scan(qtbot, editor.new_code, NEW_EAN)
    qtbot.waitUntil(lambda: NEW_EAN in [r.code for r in editor.codes.rows()])
    assert "added" in editor.message.text()
    assert editor.isVisible()  # the scan's Enter did not save or close the editor
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle()
    qtbot.waitUntil(lambda: _closed(editor))
    with ctx.database.read() as s:
        saved = products.detail(s, ctx.actor, row.id)
        hit = catalogue.find_by_code(s, NEW_EAN)
        trail = audit.search(s, ctx.actor, row.sku, "product.price")
    assert saved.price == 1999
    assert [b.code for b in saved.barcodes] == [*codes_before, NEW_EAN]
    assert hit is not None and hit.product_id == row.id
    assert trail and trail[0].detail.endswith("-> €19.99")
    qtbot.waitUntil(lambda: screen.message.text() == "Product saved.")
    qtbot.waitUntil(lambda: screen.model.row(0).price == 1999)  # the list heard the notice


def test_double_click_opens_the_editor_and_a_wrong_check_digit_is_refused(qtbot, screen, settle):
    (row,) = _choose(screen, 1)
    where = screen.table.visualRect(screen.model.index(1, 1)).center()
    viewport = screen.table.viewport()  # a double-click: the first click, then the second
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    editor = _editor(qtbot, screen, settle)
    assert editor.sku.text() == row.sku  # a double-click opens the product clicked
    before = editor.codes.rows()
    wrong = NEW_EAN[:-1] + str((int(NEW_EAN[-1]) + 1) % 10)
    _focus(qtbot, editor.new_code)
    keyboard.scan(qtbot, editor.new_code, wrong)
    qtbot.waitUntil(lambda: "check digit is wrong" in editor.message.text())
    assert f"should end in {NEW_EAN[-1]}" in editor.message.text()
    assert editor.codes.rows() == before
    assert editor.isVisible()


def test_remove_a_code_and_refuse_a_taken_sku_on_save(qtbot, screen, ctx, settle):
    first, second = _choose(screen, 0, 1)
    screen.actions.edit()
    editor = _editor(qtbot, screen, settle)
    assert editor.sku.text() == first.sku
    assert editor.codes.rowCount() >= 1
    gone = editor.codes.row(0).code
    editor.codes_table.selectRow(0)
    qtbot.mouseClick(editor.remove_code, Qt.MouseButton.LeftButton)
    assert gone not in [r.code for r in editor.codes.rows()]
    _retype(qtbot, editor.sku, second.sku)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: "already used" in editor.message.text())
    assert editor.isVisible()  # the form stays as typed, to be put right
    with ctx.database.read() as s:
        assert catalogue.find_by_code(s, gone).product_id == first.id  # nothing written


def test_a_scan_on_the_screen_finds_the_product(qtbot, screen, ctx):
    wanted = screen.model.row(5)
    with ctx.database.read() as s:
        code = products.detail(s, ctx.actor, wanted.id).barcodes[0].code
    _focus(qtbot, screen.table)
    keyboard.scan(qtbot, screen.table, code)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert screen.model.row(0).id == wanted.id
    assert screen.search.text() == code


def test_ctrl_n_makes_a_new_product(qtbot, screen, ctx, settle):
    _focus(qtbot, screen.table)
    qtbot.keyClick(screen.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = _editor(qtbot, screen, settle)
    assert editor.product_id is None and editor.sku.text() == ""
    _retype(qtbot, editor.sku, "NEW-CANDLE")
    _retype(qtbot, editor.name, "Beeswax candle")
    _retype(qtbot, editor.price, "6.50")
    _retype(qtbot, editor.tax, "13.5")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: _closed(editor))
    with ctx.database.read() as s:
        hit = catalogue.find_by_code(s, "NEW-CANDLE")
    assert (hit.name, hit.price, hit.tax_rate_bp) == ("Beeswax candle", 650, 1350)


def test_bulk_edit_two_products_by_percent(qtbot, screen, ctx, settle):
    chosen = _choose(screen, 2, 3)
    untouched = screen.model.row(4)
    qtbot.mouseClick(screen.findChild(QPushButton, "products_bulk"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.actions.dialog is not None and screen.actions.dialog.isVisible())
    dialog = screen.actions.dialog
    _retype(qtbot, dialog.percent, "abc")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert "not a percentage" in dialog.message.text()
    _retype(qtbot, dialog.percent, "+10")
    assert dialog.by_percent.isChecked()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: _closed(dialog))
    with ctx.database.read() as s:
        after = {
            r.id: r.price for r in catalogue.product_rows(s, [r.id for r in (*chosen, untouched)])
        }
    for row in chosen:
        assert after[row.id] == (row.price * 11 + 5) // 10
    assert after[untouched.id] == untouched.price
    qtbot.waitUntil(lambda: screen.message.text() == "2 products changed.")


def test_print_labels_for_two_products_with_a_quantity_each(qtbot, screen, ctx, settle):
    first, second = _choose(screen, 0, 1)
    screen.actions.print_labels()
    dialog = screen.actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.spins[first.id].setValue(3)
    dialog.spins[second.id].setValue(2)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: _closed(dialog))
    with ctx.database.read() as s:
        job = s.scalars(select(PrintJob).order_by(PrintJob.id.desc())).first()
    assert job.document == "product-labels"
    assert job.payload.count(b"\x1dV") == 5  # the preview label printer: a cut per label


def test_a_category_is_chosen_from_the_tree_or_typed_new(qtbot, screen, ctx, settle):
    with ctx.database.write() as s:
        categories.resolve(s, ctx.actor, "Coffee > Beans")
    _focus(qtbot, screen.table)
    qtbot.keyClick(screen.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = _editor(qtbot, screen, settle)
    qtbot.waitUntil(lambda: editor.category.findText("Coffee > Beans") >= 0)
    assert editor.category.findText("Coffee") >= 0
    editor.category.setCurrentIndex(editor.category.findText("Coffee > Beans"))
    _retype(qtbot, editor.sku, "BEAN-9")
    _retype(qtbot, editor.name, "House beans")
    _retype(qtbot, editor.price, "9")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: _closed(editor))
    with ctx.database.read() as s:
        pid = catalogue.find_by_code(s, "BEAN-9").product_id
        assert products.detail(s, ctx.actor, pid).category == "Coffee > Beans"
    editor = ProductEditor(ctx, pid)
    qtbot.addWidget(editor)
    show_active(qtbot, editor)
    qtbot.waitUntil(lambda: editor.loaded)
    settle()
    assert editor.category.currentText() == "Coffee > Beans"
    _focus(qtbot, editor.category)  # an editable combo keeps the focus for its line edit
    editor.category.lineEdit().selectAll()
    qtbot.keyClicks(editor.category.lineEdit(), "Coffee > Decaf", delay=60)
    editor.save()
    settle()
    qtbot.waitUntil(lambda: _closed(editor))
    with ctx.database.read() as s:
        assert products.detail(s, ctx.actor, pid).category == "Coffee > Decaf"
        assert "Coffee > Decaf" in categories.paths(s, ctx.actor)


def test_tracking_is_chosen_and_kept_while_lots_are_on_hand(qtbot, screen, ctx, settle):
    from datetime import timedelta

    from app.models import Product
    from app.services.stock import lots
    from app.services.stock.inventory import MoveRef

    pid = screen.model.row(0).id
    editor = ProductEditor(ctx, pid)
    qtbot.addWidget(editor)
    show_active(qtbot, editor)
    qtbot.waitUntil(lambda: editor.loaded)
    settle()
    assert editor.tracking.currentData() == "none"
    _focus(qtbot, editor.tracking)
    qtbot.keyClick(editor.tracking, Qt.Key.Key_Down)  # none -> lots with expiry
    assert editor.tracking.currentText() == "Lots with expiry"
    editor.save()
    settle()
    qtbot.waitUntil(lambda: _closed(editor))
    with ctx.database.write() as s:
        assert products.detail(s, ctx.actor, pid).tracking == "lot"
        expiry = lots.today() + timedelta(days=10)
        bin_id = factories.main_bin(s)
        lots.receive_lot(s, ctx.actor, s.get(Product, pid), bin_id, 2, "ED-1", expiry, MoveRef())
    editor = ProductEditor(ctx, pid)
    qtbot.addWidget(editor)
    show_active(qtbot, editor)
    qtbot.waitUntil(lambda: editor.loaded)
    settle()
    assert editor.tracking.currentData() == "lot"
    _focus(qtbot, editor.tracking)
    qtbot.keyClick(editor.tracking, Qt.Key.Key_Up)  # back to none: refused, lots on hand
    editor.save()
    settle()
    qtbot.waitUntil(lambda: "its tracking changes only when none are left" in editor.message.text())
    assert editor.isVisible()
    with ctx.database.read() as s:
        assert products.detail(s, ctx.actor, pid).tracking == "lot"
    editor.reject()


def test_a_tax_class_is_chosen_and_a_typed_rate_leaves_it(qtbot, screen, ctx, settle):
    (row,) = _choose(screen, 0)
    screen.actions.edit()
    editor = _editor(qtbot, screen, settle)
    qtbot.waitUntil(lambda: editor.tax_class.count() == 4)  # Own rate + the shop's three
    _focus(qtbot, editor.tax_class)
    while editor.tax_class.currentData() != "Reduced":
        qtbot.keyClick(editor.tax_class, Qt.Key.Key_Down)
    assert editor.tax.text() == "13.5"  # the class's rate, shown
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle()
    qtbot.waitUntil(lambda: _closed(editor))
    with ctx.database.read() as s:
        saved = products.detail(s, ctx.actor, row.id)
    assert (saved.tax_class, saved.tax_rate_bp) == ("Reduced", 1350)
    qtbot.waitUntil(lambda: screen.model.row(0).tax_class == "Reduced")
    assert screen.model.data(screen.model.index(0, 3)) == "13.5 % Reduced"
    qtbot.waitUntil(lambda: not isValid(editor))  # the first editor is gone
    _choose(screen, 0)
    screen.actions.edit()
    editor = _editor(qtbot, screen, settle)
    qtbot.waitUntil(lambda: editor.tax_class.currentData() == "Reduced")
    _retype(qtbot, editor.tax, "7")
    assert editor.tax_class.currentData() == ""  # typed: the product's own rate now
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle()
    qtbot.waitUntil(lambda: _closed(editor))
    with ctx.database.read() as s:
        saved = products.detail(s, ctx.actor, row.id)
    assert (saved.tax_class, saved.tax_rate_bp) == ("", 700)


def test_bulk_edit_sets_a_tax_class_and_a_category(qtbot, screen, ctx, settle):
    chosen = _choose(screen, 2, 3)
    qtbot.mouseClick(screen.findChild(QPushButton, "products_bulk"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.actions.dialog is not None and screen.actions.dialog.isVisible())
    dialog = screen.actions.dialog
    qtbot.waitUntil(lambda: dialog.tax_class.count() == 3)
    _focus(qtbot, dialog.tax_class)
    qtbot.keyClick(dialog.tax_class, Qt.Key.Key_End)  # the last class: Zero
    assert dialog.change_class.isChecked() and dialog.tax_class.currentData() == "Zero"
    _focus(qtbot, dialog.category)  # an editable combo keeps the focus for its line edit
    dialog.category.lineEdit().selectAll()
    qtbot.keyClicks(dialog.category.lineEdit(), "Gifts > Candles", delay=60)
    assert dialog.change_category.isChecked()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: _closed(dialog))
    with ctx.database.read() as s:
        got = [products.detail(s, ctx.actor, r.id) for r in chosen]
    assert [(d.tax_class, d.tax_rate_bp, d.category) for d in got] == [
        ("Zero", 0, "Gifts > Candles")
    ] * 2
