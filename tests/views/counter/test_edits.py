"""Changing the sale (views/counter/edits.py): park and resume, a price below cost with a
manager's approval, discounts and the customer from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from app.services.sales.counter import Tender
from app.views.counter.till import ManagerDialog
from tests.views import keyboard
from tests.views.conftest import answer_modal, counter_codes


def test_park_and_resume(qtbot, counter_window, ctx, settle):
    window, screen = counter_window
    first, second, _ = counter_codes(ctx)
    keyboard.scan(qtbot, screen.input, first)
    settle()
    qtbot.keyClick(screen.input, Qt.Key.Key_F6)
    settle()
    assert screen.cart.lines == [] and "parked" in screen.message.text()
    keyboard.scan(qtbot, screen.input, second)
    settle()
    qtbot.keyClick(screen.input, Qt.Key.Key_F7)
    settle()
    assert "first" in screen.message.text()  # the sale on the counter comes first
    screen.pay([Tender("card", screen.cart.totals()[2])])
    settle()
    qtbot.keyClick(screen.input, Qt.Key.Key_F7)
    settle()
    assert [ln.quantity for ln in screen.cart.lines] == [1]
    screen.pay([Tender("card", screen.cart.totals()[2])])
    settle()
    qtbot.keyClick(screen.input, Qt.Key.Key_F7)
    settle()
    assert "No sale is parked" in screen.message.text()


def test_price_below_cost_needs_a_managers_approval(qtbot, counter_window, ctx, settle):
    from app.core import auth

    window, screen = counter_window
    with ctx.database.write() as s:
        auth.create_user(s, ctx.actor, "mia", "manager-pass", auth.Role.MANAGER, "Mia Manager")
    ctx.actor = auth.Actor(None, "cathy", "Cathy", auth.Role.CASHIER, "till-1")
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()

    def price(dialog):
        dialog.setTextValue("0.01")
        dialog.accept()

    def manager(dialog):
        why.append(dialog.reason.text())
        dialog.username.setText("mia")
        dialog.password.setText("wrong")
        dialog.approve()
        qtbot.waitUntil(lambda: dialog.error.text() == "Wrong user name or password.")
        dialog.password.setText("manager-pass")
        dialog.approve()

    why: list[str] = []
    answer_modal(QInputDialog, price)
    answer_modal(ManagerDialog, manager, delay=150)
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    settle()
    line = screen.cart.lines[0]
    assert (line.unit_price, line.approved_by) == (1, "Mia Manager")
    assert why == [
        f"{line.name} at €0.01: A price below cost needs a manager: ask one to override."
    ]
    screen.pay([Tender("cash", 1)])
    settle()
    from app.services.sales import order_detail

    with ctx.database.read() as s:
        events = order_detail.get_order(s, screen.last_sale.order_id).events
    assert any("with Mia Manager's approval" in e.message for e in events)


def test_discounts_and_customer_from_the_keyboard(qtbot, counter_window, ctx, settle):
    from app.core import auth

    window, screen = counter_window
    ctx.actor = auth.Actor(None, "cathy", "Cathy", auth.Role.CASHIER, "till-1")
    first, second, _ = counter_codes(ctx)
    keyboard.scan(qtbot, screen.input, first)
    settle()
    keyboard.scan(qtbot, screen.input, second)
    settle()
    gross = [ln.unit_price for ln in screen.cart.lines]
    screen.ask_text = lambda *_a, **_k: "10%"  # the cashier types 10% for the selected line
    screen.table.selectRow(0)
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    settle()
    assert screen.cart.lines[0].discount == round(gross[0] / 10)
    screen.ask_text = lambda *_a, **_k: "*50%"  # half off the sale needs a manager
    screen.ask_manager = lambda *_reason: None
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    settle()
    assert "a manager did not approve" in screen.message.text()
    screen.ask_text = lambda *_a, **_k: "Nora Newcomer"
    asked: list[str] = []
    screen.confirm_new_customer = lambda text: asked.append(text) or len(asked) > 1
    qtbot.keyClick(screen.input, Qt.Key.Key_F5)  # asked, and the cashier says no
    settle()
    assert asked == ["Nora Newcomer"] and "none was added" in screen.message.text()
    assert screen.cart.customer_id is None
    qtbot.keyClick(screen.input, Qt.Key.Key_F5)  # asked again: yes
    settle()
    assert "New customer Nora Newcomer" in screen.message.text()
    screen.pay([Tender("cash", screen.cart.totals()[2])])
    settle()
    from app.models import SalesOrder

    with ctx.database.read() as s:
        assert s.get(SalesOrder, screen.last_sale.order_id).customer_name == "Nora Newcomer"
