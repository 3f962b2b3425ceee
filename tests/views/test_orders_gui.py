"""The back office in real widgets: sign in, filter the Orders list, open an order,
confirm it, and see the timeline entry."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QTableView

from app.services.sales.order_list import OrderQuery, list_orders
from app.views.main_window import MainWindow
from app.views.orders.screen import OrdersScreen


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
