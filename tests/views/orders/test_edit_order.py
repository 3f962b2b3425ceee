"""Edit order (app/views/orders/edit_order.py) in real widgets: Edit… on the order's detail
opens the entry form filled with the order; a line removed with Delete, one scanned in, the
address changed, saved with Ctrl+Return; an edit over another workstation's change refused in
words with the form kept; a closed order's Edit greyed with the reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid
from sqlalchemy import select

from app.models import SalesOrder
from app.services.sales import entry, order_detail
from app.services.sales.entry import EntryEdit, EntryInput, EntryLine
from app.services.sales.order_list import OrderQuery, list_orders
from app.views.main_window import MainWindow
from app.views.orders.edit_order import EditOrderDialog
from app.views.scanner import ScannerFilter
from tests import factories
from tests.views import keyboard
from tests.views.conftest import show_active
from tests.views.orders.test_entry import _stocked


@pytest.fixture
def orders_screen(qtbot, qapp, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    yield window.show_screen("Orders")
    qapp.removeEventFilter(scanner)


@pytest.fixture
def phone_order(ctx):
    (a, _code_a), (b, _code_b), (c, code_c) = _stocked(ctx.database, 3)
    customer = factories.customer(ctx.database, ctx.actor, "Edna Quill")
    with ctx.database.write() as s:
        ref = entry.create_entry_order(
            s, ctx.actor, EntryInput((EntryLine(a, 2), EntryLine(b, 1)), customer_id=customer)
        )
    return ref.id, (a, b, c), code_c


def _open_edit(qtbot, screen, order_id, settle) -> EditOrderDialog:
    screen.open_order(order_id)
    settle()
    button = screen.detail.edit_button
    assert button.isVisible() and button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), EditOrderDialog))
    form = QApplication.activeModalWidget()
    settle()
    qtbot.waitUntil(form.save_button.isEnabled)
    return form


def test_edit_lines_and_address_from_the_detail(
    qtbot, qtmodeltester, orders_screen, ctx, settle, phone_order
):
    order_id, (a, b, c), code_c = phone_order
    form = _open_edit(qtbot, orders_screen, order_id, settle)
    assert [(r.sku, r.quantity) for r in form.lines.rows()] == [(a, 2), (b, 1)]
    assert form.customer_choice.currentText() == "Edna Quill"
    assert not form.customer_search.isEnabled() and not form.channel.isVisible()
    assert form.ship_box.fields["city"].text() == "Galway"
    qtmodeltester.check(form.lines)
    form.lines_view.setFocus()
    form.lines_view.selectRow(1)
    qtbot.keyClick(form.lines_view, Qt.Key.Key_Delete)
    assert [r.sku for r in form.lines.rows()] == [a]
    form.product_input.setFocus()
    keyboard.scan(qtbot, form.product_input, code_c)
    settle()
    qtbot.waitUntil(lambda: [r.sku for r in form.lines.rows()] == [a, c])
    city = form.ship_box.fields["city"]
    city.setFocus()
    city.selectAll()
    keyboard.type_slowly(qtbot, city, "Cork")
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle()
    qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible())
    with ctx.database.read() as s:
        detail = order_detail.get_order(s, order_id)
        city_now = s.scalar(select(SalesOrder.ship_city).where(SalesOrder.id == order_id))
    assert [(ln.sku, ln.quantity) for ln in detail.lines] == [(a, 2), (c, 1)]
    assert city_now == "Cork"
    assert detail.events[-1].kind == "edited"
    assert "ship-to address changed" in detail.events[-1].message
    qtbot.waitUntil(lambda: orders_screen.detail.lines_model.rowCount() == 2)
    assert orders_screen.detail.lines_model.row(1).sku == c  # the detail shows the edit


def test_an_edit_over_another_workstations_change_is_refused(
    qtbot, orders_screen, ctx, settle, phone_order
):
    order_id, (a, _b, _c), _code = phone_order
    form = _open_edit(qtbot, orders_screen, order_id, settle)
    with ctx.database.write() as s:  # another workstation, a moment earlier
        version = s.get(SalesOrder, order_id).version
        entry.edit_entry_order(s, ctx.actor, order_id, EntryEdit(shipping_cost=300), version)
    form.lines_view.selectRow(0)
    qtbot.keyClick(form.lines_view, Qt.Key.Key_Delete)
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert "was changed since you opened it" in form.message.text()
    assert form.isVisible() and [r.sku for r in form.lines.rows()] != []  # kept as typed
    with ctx.database.read() as s:
        assert [ln.sku for ln in order_detail.get_order(s, order_id).lines][0] == a
    form.reject()


def test_a_closed_order_greys_edit_with_the_reason(qtbot, orders_screen, ctx, settle):
    with ctx.database.read() as s:
        shipped = list_orders(s, OrderQuery(status="shipped"), 0, 1)[0]
    orders_screen.open_order(shipped.id)
    settle()
    button = orders_screen.detail.edit_button
    assert button.isVisible() and not button.isEnabled()
    assert "shipped can no longer be changed" in button.toolTip()
