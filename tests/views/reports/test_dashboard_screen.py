"""The dashboard on the demo store: its tiles show the service's numbers, follow a new
order without being asked, and each opens the list behind it (the Orders screen filtered
by stage or channel, the late orders, the reorder rules, the print queue, the failed
e-mails). A manager who signs in lands on it; a cashier keeps the Orders list."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QApplication
from sqlalchemy import update

from app.core import auth
from app.models import SalesOrder, utcnow
from app.services.reports.dashboard import dashboard
from app.views.login import LoginDialog
from app.views.main_window import MainWindow, first_screen
from tests.views.conftest import answer_modal, show_active


def _window(qtbot, ctx):
    window = MainWindow(ctx, first_screen(ctx.actor))
    qtbot.addWidget(window)
    show_active(qtbot, window)
    view = window.screens["Reports"].dashboard
    qtbot.waitUntil(lambda: view.board is not None and not view.loading(), timeout=10_000)
    return window, view


def test_tiles_show_the_numbers_and_follow_changes(qtbot, ctx):
    with ctx.database.write() as s:  # one open order a day late
        late = s.scalar(
            SalesOrder.__table__.select()
            .with_only_columns(SalesOrder.id)
            .where(SalesOrder.status == "new")
            .limit(1)
        )
        s.execute(
            update(SalesOrder)
            .where(SalesOrder.id == late)
            .values(due_at=utcnow() - timedelta(days=1))
        )
    window, view = _window(qtbot, ctx)
    assert window.stack.currentWidget() is window.screens["Reports"]
    with ctx.database.read() as s:
        board = dashboard(s, ctx.actor)
    tiles = view.tiles
    assert tiles["orders_week"].value.text() == f"{board.week.orders:,}"
    assert tiles["week"].value.text() == ctx.money(board.week.gross)
    assert tiles["stage_new"].value.text() == f"{dict(board.stages)['new']:,}"
    assert board.late >= 1 and tiles["late"].value.text() == f"{board.late:,}"
    assert tiles["late"].property("alarm") is True

    from app.services.sales import order_entry
    from app.services.sales.order_entry import LineInput, OrderInput
    from tests import factories

    product = factories.product(ctx.database, ctx.actor, price=1234)
    with ctx.database.write() as s:
        order_entry.create_order(s, ctx.actor, OrderInput("phone", (LineInput(product, 1),)))
    today = board.today.orders
    qtbot.waitUntil(lambda: tiles["orders_today"].value.text() == f"{today + 1:,}", timeout=10_000)
    assert tiles["stage_new"].value.text() == f"{dict(board.stages)['new'] + 1:,}"


def test_each_tile_opens_the_list_behind_it(qtbot, ctx):
    window, view = _window(qtbot, ctx)
    view.tiles["stage_confirmed"].click()
    orders = window.screens["Orders"]
    assert window.stack.currentWidget() is orders
    assert orders.status_filter.currentData() == "confirmed"
    assert orders.query.status == "confirmed" and orders.query.channel is None

    window.show_screen("Reports")
    view.tiles["channel_web"].click()
    assert window.stack.currentWidget() is orders
    assert orders.query.channel == "web" and orders.query.status is None

    window.show_screen("Reports")
    view.tiles["low_stock"].click()
    purchasing = window.screens["Purchasing"]
    assert window.stack.currentWidget() is purchasing
    assert purchasing.tabs.tabText(purchasing.tabs.currentIndex()) == "Reorder"

    window.show_screen("Reports")
    view.tiles["printers"].click()
    assert window.stack.currentWidget() is window.screens["Print queue"]

    window.show_screen("Reports")
    view.tiles["email"].click()
    screen = window.screens["Reports"]
    assert screen.dialog is not None and screen.dialog.objectName() == "failed_mail"
    qtbot.waitUntil(lambda: "No e-mail has failed" in screen.dialog.message.text())
    screen.dialog.close()


def test_a_late_order_opens_from_its_list(qtbot, ctx):
    with ctx.database.write() as s:
        order_id, number = s.execute(
            SalesOrder.__table__.select()
            .with_only_columns(SalesOrder.id, SalesOrder.number)
            .where(SalesOrder.status == "confirmed")
            .limit(1)
        ).one()
        s.execute(
            update(SalesOrder)
            .where(SalesOrder.id == order_id)
            .values(due_at=utcnow() - timedelta(hours=3))
        )
    window, view = _window(qtbot, ctx)
    view.tiles["late"].click()
    dialog = window.screens["Reports"].dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 1)
    numbers = [dialog.model.row(r).number for r in range(dialog.model.rowCount())]
    row = numbers.index(number)
    dialog.table.doubleClicked.emit(dialog.model.index(row, 0))
    orders = window.screens["Orders"]
    assert window.stack.currentWidget() is orders
    qtbot.waitUntil(
        lambda: orders.detail.detail is not None and orders.detail.detail.id == order_id
    )


def test_a_manager_lands_on_the_dashboard_a_cashier_on_orders(qtbot, ctx):
    with ctx.database.write() as s:
        auth.create_user(s, ctx.actor, "mona", "mona-pass-1", auth.Role.MANAGER, "Mona Manager")
        auth.create_user(s, ctx.actor, "cara", "cara-pass-1", auth.Role.CASHIER, "Cara Cashier")
    assert first_screen(ctx.actor) == "Reports"  # an administrator too
    cashier = MainWindow(
        ctx, first_screen(auth.Actor(None, "cara", "Cara", auth.Role.CASHIER, "t"))
    )
    qtbot.addWidget(cashier)
    assert cashier.stack.currentWidget() is cashier.screens["Orders"]
    cashier.close()

    window = MainWindow(ctx)  # opened on Orders; then a sign-in at the lock
    qtbot.addWidget(window)
    show_active(qtbot, window)

    def sign_in_as(username, password):
        def answer(dialog):
            dialog.username.setText(username)
            dialog.password.setText(password)
            dialog.try_sign_in()

        return answer

    from PySide6.QtCore import Qt

    answer_modal(LoginDialog, sign_in_as("cara", "cara-pass-1"))
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert ctx.actor.username == "cara"
    assert window.stack.currentWidget() is window.screens["Orders"]
    page = window.show_screen("Reports")
    assert "managers" in page.findChild(type(window.db_label), "not_yet").text()
    window.show_screen("Orders")
    answer_modal(LoginDialog, sign_in_as("mona", "mona-pass-1"))
    window.lock()  # Ctrl+L again
    assert ctx.actor.username == "mona"
    screen = window.screens["Reports"]
    assert window.stack.currentWidget() is screen
    assert screen.tabs.currentWidget() is screen.dashboard
    qtbot.waitUntil(lambda: screen.dashboard.board is not None, timeout=10_000)
    QApplication.processEvents()
