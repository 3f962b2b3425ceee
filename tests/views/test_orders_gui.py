"""The back office in real widgets: sign in, filter the Orders list, open an order,
confirm it, and see the timeline entry."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QLabel, QTableView

from app.services.sales.order_list import OrderQuery, list_orders
from app.views.login import LoginDialog
from app.views.main_window import MainWindow
from app.views.orders.screen import OrdersScreen
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


def _new_order_with_stock(database):
    with database.read() as s:
        rows = list_orders(s, OrderQuery(status="new"), 0, 50)
    from app.services.sales import orders

    for row in rows:
        with database.read() as s:
            problems, stock = orders.verification_problems(s, s.get(orders.SalesOrder, row.id))
        if not problems and not stock:
            return row
    raise AssertionError("the demo store has no new order that can be confirmed")


def test_filter_open_confirm_and_see_timeline(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    screen = window.screens["Orders"]
    assert isinstance(screen, OrdersScreen)
    assert screen.model.rowCount() == 200  # first page only
    assert screen.model.row(0).number == "SO-000250"
    qtbot.waitUntil(lambda: screen.count_label.text() == "250 orders")

    target = _new_order_with_stock(ctx.database)
    screen.status_filter.setFocus()
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("new"))
    assert {screen.model.row(i).status for i in range(screen.model.rowCount())} == {"new"}
    qtbot.keyClicks(screen.text_filter, target.number)
    qtbot.keyClick(screen.text_filter, Qt.Key.Key_Return)
    assert screen.model.rowCount() == 1
    qtbot.waitUntil(lambda: screen.count_label.text() == "1 order")

    screen.table.setFocus()
    screen.table.selectRow(0)
    detail = screen.detail
    assert detail.title.text().startswith(target.number)
    assert detail.buttons["confirm"].isVisible()
    qtbot.mouseClick(detail.buttons["confirm"], Qt.MouseButton.LeftButton)
    assert detail.banner.text() == ""
    assert detail.status.text() == "Confirmed"
    last = detail.events_model.row(detail.events_model.rowCount() - 1)
    assert last.message == "Confirmed; stock reserved"
    assert last.user_name == "Ada Admin" and last.workstation == "till-1"
    assert not detail.buttons["confirm"].isVisible()
    # the list refreshed from the change notice: the order left the "new" filter
    assert screen.model.rowCount() == 0
    qtbot.waitUntil(lambda: screen.count_label.text() == "0 orders")  # and the count too


def test_domain_error_is_shown_in_words(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.screens["Orders"]
    with ctx.database.read() as s:
        web_new = [r for r in list_orders(s, OrderQuery(status="new"), 0, 100)]
    screen.open_order(web_new[0].id)
    detail = screen.detail
    # another workstation changes the order behind this screen's back
    from app.services.sales import orders

    with ctx.database.write() as s:
        orders.add_note(s, ctx.actor, web_new[0].id, "customer called")
    detail.detail = type(detail.detail)(**{**detail.detail.__dict__, "version": 0})
    qtbot.mouseClick(detail.buttons["accept"], Qt.MouseButton.LeftButton)
    assert "was changed" in detail.banner.text()
    assert "Reload it" in detail.banner.text()


def test_cancel_asks_for_a_reason(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.screens["Orders"]
    with ctx.database.read() as s:
        order = list_orders(s, OrderQuery(status="confirmed"), 0, 1)[0]
    screen.open_order(order.id)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("duplicate order")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(50, answer)
    qtbot.mouseClick(screen.detail.buttons["cancel"], Qt.MouseButton.LeftButton)
    assert screen.detail.status.text() == "Cancelled"
    assert "Cancelled: duplicate order" in screen.detail.events_model.rows()[-1].message


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


def test_every_item_model_passes_qtmodeltester(qtbot, qtmodeltester, ctx):
    """Every table model of every screen, with rows in it, passes Qt's model tester."""
    from app.views.table_models import RowsTableModel

    def all_table_models(root):
        return root.findChildren(RowsTableModel)

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    orders_screen = window.screens["Orders"]
    orders_screen.table.selectRow(0)
    orders_screen.open_order(orders_screen.model.row(0).id)
    products = window.show_screen("Inventory")
    products.table.selectRow(0)
    from app.views.main_window import SCREENS

    for name in SCREENS:
        window.show_screen(name)
    fulfilment = window.screens["Fulfilment"]
    with ctx.database.read() as s:
        from app.services.fulfilment import picking

        lists = picking.open_lists(s)
    if lists:
        fulfilment.open_wave(lists[0][0])
    models = all_table_models(window)
    assert len(models) >= 15, [type(m).__name__ for m in models]  # every table of every screen
    assert any(m.rowCount() for m in models)
    for model in models:
        qtmodeltester.check(model)


def test_another_workstation_confirms_and_this_list_shows_it_within_a_second(qtbot, ctx):
    """A second Kestrel process confirms an order; this window's list and open detail
    follow by themselves (SQLite: data_version, read on the listener's thread)."""
    import subprocess
    import sys
    import time

    from app import live

    with ctx.database.read() as s:
        (row,) = list_orders(s, OrderQuery(status="accepted"), 0, 1)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.show_screen("Orders")
    screen.open_order(row.id)
    assert screen.detail.status.text() == "Accepted"
    listener = live.ChangeListener(ctx.database.engine.url, ctx.bridge.connection.emit).start()
    try:
        qtbot.waitUntil(lambda: listener.connected is True)
        qtbot.wait(400)
        url = ctx.database.engine.url.render_as_string(hide_password=False)
        done = subprocess.run(
            [sys.executable, "-m", "tests.remote_worker", "confirm", url, str(row.id)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        committed = time.monotonic()
        qtbot.waitUntil(lambda: screen.detail.status.text() == "Confirmed", timeout=1000)
        assert time.monotonic() - committed < 1.0
        statuses = [screen.model.row(i).status for i in range(screen.model.rowCount())]
        assert statuses[[screen.model.row(i).id for i in range(len(statuses))].index(row.id)] == (
            "confirmed"
        )
    finally:
        listener.stop()


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
    from PySide6.QtWidgets import QApplication

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
