"""The shell in real widgets: sign in, navigation, the lock, shortcuts and theme, every
item model, the products and audit screens. (The Orders screen's own tests are in
tests/views/orders/; these belong with the shell's modules, tests/views/test_<module>.py.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableView

from app.views.login import LoginDialog
from app.views.main_window import MainWindow
from tests.views.conftest import answer_modal, show_active


def test_sign_in_dialog(qtbot, store):
    database, _ = store
    dialog = LoginDialog(database, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.text() == "Wrong user name or password."
    assert dialog.password.text() == ""
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.password, "admin-pass")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor.username == "admin"
    assert dialog.actor.workstation == "till-1"


def test_navigation_and_placeholders(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert "being built" in window.stack.currentWidget().findChild(QLabel, "not_yet").text()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.screens["Counter"]
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.screens["Inventory"]
    assert "local" in window.db_label.text() and "connected" in window.db_label.text()
    assert "Ada Admin (Administrator) on till-1" in window.user_label.text()


def test_products_screen_search_scan_and_stock(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.show_screen("Inventory")
    assert screen.model.rowCount() == 60
    first = screen.model.row(0)
    word = first.name.split()[2][:4]
    qtbot.keyClicks(screen.search, word)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert 0 < screen.model.rowCount() <= 60
    assert all(
        word.lower() in screen.model.row(i).name.lower() for i in range(screen.model.rowCount())
    )
    screen.search.clear()
    qtbot.keyClicks(screen.search, "2000000000015")  # the first demo product's EAN-13
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.model.rowCount() == 1
    screen.table.selectRow(0)
    assert screen.stock_model.rowCount() >= 1
    assert screen.stock_model.row(0).location_code.startswith(("MAIN-", "SHOP-"))
    screen.search.clear()
    qtbot.keyClicks(screen.search, "nosuchthing")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.message.text() == "Nothing matches 'nosuchthing'."


def test_every_item_model_passes_qtmodeltester(qtbot, qtmodeltester, ctx, settle):
    """Every table model of every screen, with rows in it, passes Qt's model tester."""
    from app.views.table_models import RowsTableModel

    def all_table_models(root):
        return root.findChildren(RowsTableModel)

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    orders_screen = window.screens["Orders"]
    settle()  # the first page arrives from a background read
    orders_screen.table.selectRow(0)
    orders_screen.open_order(orders_screen.model.row(0).id)
    settle()
    products = window.show_screen("Inventory")
    products.table.selectRow(0)
    from app.views.main_window import SCREENS

    for name in SCREENS:
        window.show_screen(name)
    fulfilment = window.screens["Fulfilment"]
    with ctx.database.read() as s:
        from app.services.fulfilment import waves

        lists = waves.open_lists(s)
    if lists:
        fulfilment.open_wave(lists[0][0])
    settle()
    models = all_table_models(window)
    assert len(models) >= 15, [type(m).__name__ for m in models]  # every table of every screen
    assert any(m.rowCount() for m in models)
    for model in models:
        qtmodeltester.check(model)


def test_audit_log_screen_searches_and_is_for_managers(qtbot, ctx, store):
    from dataclasses import replace

    from app.core import auth
    from app.services.access import login

    database, _actor = store
    login.sign_in(database, "admin", "admin-pass", "till-9")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.show_screen("Audit log")
    assert screen.model.rowCount() >= 1
    qtbot.keyClicks(screen.text, "till-9")
    qtbot.waitUntil(
        lambda: [screen.model.row(i).action for i in range(screen.model.rowCount())] == ["login"]
    )
    cashier = MainWindow(replace(ctx, actor=replace(ctx.actor, role=auth.Role.CASHIER)))
    qtbot.addWidget(cashier)
    page = cashier.show_screen("Audit log")
    assert "managers" in page.findChild(QLabel, "not_yet").text()


def test_lock_screen_and_quick_user_switch(qtbot, ctx):
    from app.core import auth

    with ctx.database.write() as s:
        auth.create_user(s, ctx.actor, "cara", "cara-pass", auth.Role.CASHIER, "Cara Cashier")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    window.show_screen("Audit log")  # open as the admin

    def sign_in_as_cara(dialog):
        dialog.reject()  # Escape does not unlock
        assert dialog.isVisible()
        dialog.username.setText("cara")
        dialog.password.setText("wrong")
        dialog.try_sign_in()
        assert "Wrong user name or password" in dialog.error.text()
        dialog.password.setText("cara-pass")
        dialog.try_sign_in()

    answer_modal(LoginDialog, sign_in_as_cara)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert "Cara Cashier (Cashier)" in window.user_label.text()
    assert ctx.actor.username == "cara"
    page = window.show_screen("Audit log")  # rebuilt for the cashier: not hers to read
    assert "managers" in page.findChild(QLabel, "not_yet").text()


def test_f1_lists_the_shortcuts_of_the_screen_in_front_and_theme_is_remembered(qtbot, ctx):

    from app.config import WorkstationSettings
    from app.views.feel import ShortcutsDialog

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    seen = {}

    def read_and_close(dialog):
        seen.update(dict(dialog.keys))
        dialog.accept()

    answer_modal(ShortcutsDialog, read_and_close)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert seen["F12"] == "Pay" and seen["F2"] == "Quantity" and "Ctrl+L" in seen
    settings = window.show_screen("Settings")
    settings.workstation.theme.setCurrentText("dark")
    assert QApplication.instance().palette().window().color().name() == "#202225"
    assert WorkstationSettings.load().theme == "dark"
    settings.workstation.theme.setCurrentText("light")
    window.close()
    from app import paths

    assert (paths.config_dir() / "window.ini").exists()


def test_column_order_is_remembered_per_workstation(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    header = window.show_screen("Orders").findChild(QTableView, "orders_table").horizontalHeader()
    header.moveSection(0, 3)  # the user drags "Number" to the fourth place
    qtbot.wait(700)
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    moved = again.show_screen("Orders").findChild(QTableView, "orders_table").horizontalHeader()
    assert moved.visualIndex(0) == 3
    moved.moveSection(3, 0)
    qtbot.wait(700)


def test_the_lock_covers_the_window_and_fast_typing_keeps_its_fields(qtbot, qapp, ctx):
    """Ctrl+L: an opaque cover over the whole window; a user name typed as fast as a
    scanner and ended by Tab goes to the user name, the password to the password; a scan
    while locked goes nowhere."""
    from PySide6.QtCore import QPoint

    from app.core import auth
    from app.views.scanner import ScannerFilter
    from tests.views import keyboard

    with ctx.database.write() as s:
        auth.create_user(s, ctx.actor, "cara", "cara-pass-77", auth.Role.CASHIER, "Cara C")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    seen = {}

    def type_fast(dialog):
        try:
            steps(dialog)
        except BaseException as exc:  # a locked dialog cannot be rejected: sign in, then fail
            seen["error"] = exc
        dialog.username.setText("cara")  # whatever was typed: sign in, so exec() returns
        dialog.password.setText("cara-pass-77")
        dialog.try_sign_in()

    def steps(dialog):
        cover = window.cover
        seen["covered"] = cover is not None and cover.isVisible()
        seen["geometry"] = cover.geometry() == window.rect() if cover else False
        middle = window.childAt(QPoint(window.width() // 2, 40))
        seen["on_top"] = middle is not None and (middle is cover or cover.isAncestorOf(middle))
        dialog.username.setFocus()
        keyboard.scan(qtbot, dialog.username, "SO-000042")  # a scan while locked
        seen["after_scan"] = dialog.username.text()
        for char in "cara":
            keyboard.key_press(dialog.username, char, delay=2)
            keyboard.key_release(dialog.username, char, delay=1)
        keyboard.press(None, Qt.Key.Key_Tab, delay=2)
        keyboard.release(None, Qt.Key.Key_Tab, delay=1)
        for char in "cara-pass-77":
            keyboard.key_press(None, char, delay=2)
            keyboard.key_release(None, char, delay=1)
        seen["fields"] = (dialog.username.text(), dialog.password.text())

    try:
        answer_modal(LoginDialog, type_fast)
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    finally:
        qapp.removeEventFilter(scanner)
    assert "error" not in seen, seen
    assert seen["covered"] and seen["geometry"] and seen["on_top"], seen
    assert seen["after_scan"] == ""
    assert seen["fields"] == ("cara", "cara-pass-77")
    assert ctx.actor.username == "cara"
    assert window.cover is None
