"""The New order form (app/views/orders/entry.py) in real widgets: opened with Ctrl+N from
the Orders list, a customer added, products by scanner bursts and by a typed SKU, a price
override with its reason, shipping, saved with Ctrl+Return; and a clerk's locked overrides."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.core.auth import Actor, Role
from app.models import Barcode, Party, Product, SalesOrder, StockLevel
from app.services.sales import accounts, order_detail
from app.views.main_window import MainWindow
from app.views.orders.entry import NewOrderDialog
from app.views.scanner import ScannerFilter
from tests.views import keyboard
from tests.views.conftest import show_active


def _stocked(database, count):
    """(sku, barcode) of products with free stock and a single-unit barcode."""
    with database.read() as s:
        free = func.sum(StockLevel.on_hand - StockLevel.reserved)
        return s.execute(
            select(Product.sku, func.min(Barcode.code))
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(Barcode, (Barcode.product_id == Product.id) & (Barcode.pack_qty == 1))
            .where(Product.active.is_(True), Product.track_stock.is_(True), Product.price > 100)
            .group_by(Product.sku)
            .having(free >= 5)
            .order_by(Product.sku)
            .limit(count)
        ).all()


@pytest.fixture
def orders_window(qtbot, qapp, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    screen = window.show_screen("Orders")
    yield window, screen
    qapp.removeEventFilter(scanner)


def _open_form(qtbot, screen):
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NewOrderDialog))
    return QApplication.activeModalWidget()


def _enter(qtbot, widget, text):
    widget.setFocus()
    keyboard.type_slowly(qtbot, widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_phone_order_from_the_keyboard_and_the_scanner(
    qtbot, qtmodeltester, orders_window, ctx, settle
):
    _window, screen = orders_window
    (first_sku, first_code), (second_sku, _code) = _stocked(ctx.database, 2)
    form = _open_form(qtbot, screen)
    settle()  # the carriers

    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.message.text() == "Find or add the customer first."

    _enter(qtbot, form.customer_search, "zzqx")
    settle()
    assert "No customer matches" in form.message.text()
    for key, text in (
        ("name", "Ann Lee"),
        ("email", "ann@lee.ie"),
        ("line1", "3 Main St"),
        ("city", "Sligo"),
        ("country", "IE"),
    ):
        keyboard.type_slowly(qtbot, form.new_customer.fields[key], text)
    qtbot.mouseClick(form.new_customer.add_button, Qt.MouseButton.LeftButton)
    settle()
    assert form.customer_choice.currentText() == "Ann Lee"

    keyboard.scan(qtbot, form.product_input, first_code)
    settle()
    keyboard.scan(qtbot, form.product_input, first_code)
    settle()
    assert form.lines.rowCount() == 1 and form.lines.row(0).quantity == 2

    keyboard.type_slowly(qtbot, form.price, "1.00")
    _enter(qtbot, form.product_input, second_sku)
    settle()
    assert [r.sku for r in form.lines.rows()] == [first_sku, second_sku]
    assert form.lines.row(1).unit_price == 100 and form.lines.row(1).overridden
    qtmodeltester.check(form.lines)
    keyboard.type_slowly(qtbot, form.reason, "regular")
    keyboard.type_slowly(qtbot, form.shipping_cost, "4.95")
    form.carrier.setCurrentIndex(form.carrier.findData("KPOST"))
    keyboard.type_slowly(qtbot, form.advance, "5.00")
    keyboard.type_slowly(qtbot, form.advance_reference, "auth 77")
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle()

    assert form.ref is not None, form.message.text()
    qtbot.waitUntil(lambda: screen.detail.detail is not None)
    assert screen.detail.detail.id == form.ref.id
    with ctx.database.read() as s:
        detail = order_detail.get_order(s, form.ref.id)
        carrier = s.get(SalesOrder, form.ref.id).carrier_id
    assert (detail.status, detail.channel, detail.customer_name) == ("new", "phone", "Ann Lee")
    assert [(ln.sku, ln.quantity) for ln in detail.lines] == [
        (first_sku, 2),
        (second_sku, 1),
        ("SHIPPING", 1),
    ]
    assert detail.lines[1].unit_price == 100 and detail.lines[2].total == 495
    assert carrier is not None and detail.ship_to[1] == "3 Main St"
    assert "regular" in next(e.message for e in detail.events if e.kind == "price_override")
    with ctx.database.read() as s:
        (payment,) = accounts.payments_of(s, form.ref.id)
    assert (payment.method, payment.amount, payment.reference) == ("card", 500, "auth 77")


def test_a_clerk_cannot_unlock_an_override_and_a_refusal_keeps_the_form(qtbot, ctx, settle):
    ctx.actor = Actor(ctx.actor.user_id, "carla", "Carla Clerk", Role.CLERK, "till-1")
    form = NewOrderDialog(ctx)
    qtbot.addWidget(form)
    form.show()
    settle()
    assert not form.price.isEnabled() and not form.discount.isEnabled()
    (sku, _code), *_ = _stocked(ctx.database, 1)
    with ctx.database.read() as s:
        email = s.scalar(select(Party.email).where(Party.email != "").order_by(Party.id))
    _enter(qtbot, form.customer_search, email.split("@")[0])
    settle()
    assert form.customer_choice.count() > 0
    _enter(qtbot, form.product_input, sku)
    settle()
    assert form.lines.rowCount() == 1
    form.shipping_cost.setText("abc")
    form.save()
    settle()
    assert "not an amount" in form.message.text() and form.ref is None
    form.shipping_cost.clear()
    form.terms.setCurrentIndex(form.terms.findData("on_account"))
    form.save()
    settle()
    assert "has no account" in form.message.text() and form.ref is None
    assert form.lines.rowCount() == 1  # the clerk's work is still there
