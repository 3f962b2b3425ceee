"""The counter screen in real widgets, with simulated scanner bursts: a whole sale to the
printer emulator over TCP, the cart's lines and columns, and moving between them by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from stdnum import ean

from app.views.counter.payment import PaymentDialog
from tests.views import keyboard
from tests.views.conftest import answer_modal, counter_codes, show_active


def test_a_whole_sale_with_scanner_bursts(qtbot, counter_window, emulator, ctx, settle):
    window, screen = counter_window
    first, second, third = counter_codes(ctx)
    assert "open since" in screen.till_label.text()
    for code in (first, second, second, third):
        keyboard.scan(qtbot, screen.input, code)
        settle()
    assert [ln.quantity for ln in screen.cart.lines] == [1, 2, 1]
    assert screen.input.text() == ""  # the bursts never reached the input as text
    unknown = "2999999999" + "99"
    keyboard.scan(qtbot, screen.input, unknown + ean.calc_check_digit(unknown))
    settle()
    assert "Unknown code" in screen.message.text()
    keyboard.scan(qtbot, screen.input, "Ã©Ã©Ã©")  # a scanner on the wrong keyboard layout
    settle()
    assert "keyboard layout" in screen.message.text()
    assert len(screen.cart.lines) == 3

    screen.table.selectRow(0)
    answer_modal(QInputDialog, lambda d: (d.setIntValue(3), d.accept()))
    qtbot.keyClick(screen.input, Qt.Key.Key_F2)
    assert screen.cart.lines[0].quantity == 3
    total = screen.cart.totals()[2]
    show_active(qtbot, window)  # the offscreen platform does not hand activation back

    def split(dialog):
        keyboard.type_slowly(qtbot, dialog.amount, "10.00")
        keyboard.type_slowly(qtbot, dialog.reference, "AUTH-42")
        qtbot.mouseClick(dialog.card, Qt.MouseButton.LeftButton)  # 10.00 by card
        assert "paid Card €10.00" in dialog.due_label.text()
        keyboard.type_slowly(qtbot, dialog.amount, f"{(total - 1000 + 500) / 100:.2f}")
        qtbot.mouseClick(dialog.cash, Qt.MouseButton.LeftButton)  # the rest in cash, 5.00 over

    answer_modal(PaymentDialog, split)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    settle()
    sale = screen.last_sale
    assert sale is not None, screen.message.text()
    assert sale.total == total and sale.change == 500
    assert "Change €5.00" in screen.message.text()
    assert screen.cart.lines == []
    qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=10_000)
    receipt = emulator.reading(emulator.jobs[0])
    assert f"[QR {sale.number}]" in receipt and "[DRAWER]" in receipt
    assert "3 x " in receipt and "2 x " in receipt
    assert "TOTAL" in receipt and f"€{total / 100:.2f}" in receipt
    assert "Card" in receipt and "Change" in receipt


def test_f2_names_the_product_and_up_down_move_between_lines(qtbot, counter_window, ctx, settle):
    window, screen = counter_window
    codes = counter_codes(ctx, 3)
    for code in codes:
        keyboard.scan(qtbot, screen.input, code)
        settle()
    assert screen.table.selectionModel().selectedRows()[0].row() == 2  # the last scanned
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)  # stays on the first line
    assert screen.table.selectionModel().selectedRows()[0].row() == 0
    qtbot.keyClick(screen.input, Qt.Key.Key_Down)
    asked: list[str] = []
    screen.ask_quantity = lambda _current, name="": asked.append(name) or 4
    qtbot.keyClick(screen.input, Qt.Key.Key_F2)
    assert asked == [screen.cart.lines[1].name]
    assert [ln.quantity for ln in screen.cart.lines] == [1, 4, 1]
    assert screen.input.hasFocus()


def test_a_discount_shows_in_its_own_cart_column(qtbot, counter_window, ctx, settle):
    window, screen = counter_window
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    screen.ask_text = lambda *_a, **_k: "1.00"
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    settle()
    model = screen.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Discount")
    assert model.data(model.index(0, column)) == "-€1.00"
