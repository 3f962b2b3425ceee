"""The payment dialog and the tender flow (views/counter/payment.py): exact cash in two key
presses, typed tenders and change, store credit, gift cards, refused tenders, and the sale
as one operation that a double press cannot repeat."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.services.printing import printers
from app.services.printing.printers import PrinterInput
from app.services.sales.counter import Tender
from app.views.counter.payment import GiftCardDialog, PaymentDialog
from tests.views import keyboard
from tests.views.conftest import answer_modal, counter_codes, show_active


def test_exact_cash_is_two_key_presses(qtbot, counter_window, emulator, ctx, settle):
    window, screen = counter_window
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    answer_modal(PaymentDialog, lambda d: qtbot.keyClick(d.amount, Qt.Key.Key_Return))
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)  # key 1
    settle()
    # key 2 was the Enter in the payment dialog: exact cash is its default button
    assert screen.last_sale is not None and screen.last_sale.change == 0
    qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=10_000)


def test_typed_tender_and_enter_pays_it_and_gives_change(qtbot, counter_window, ctx, settle):
    """Type what the customer hands over, press Enter: cash with that amount, the change
    shown large as it is typed and kept in sight after the sale until the next scan."""
    window, screen = counter_window
    first, second = counter_codes(ctx, 2)
    keyboard.scan(qtbot, screen.input, first)
    settle()
    total = screen.cart.totals()[2]
    tendered = total + 1234
    shown: list[str] = []

    def hand_over(dialog):
        keyboard.type_slowly(qtbot, dialog.amount, str(tendered // 100))
        shown.append(dialog.change_label.text())
        keyboard.type_slowly(qtbot, dialog.amount, f",{tendered % 100:02d}")
        shown.append(dialog.change_label.text())
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)

    answer_modal(PaymentDialog, hand_over)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    settle()
    sale = screen.last_sale
    assert sale is not None, screen.message.text()
    assert sale.change == 1234
    assert shown[-1] == "Change: €12.34"  # live, with a comma as the decimal separator
    assert screen.change_label.text() == "Change €12.34"
    with ctx.database.read() as s:
        from app.models import Payment

        payment = s.scalars(select(Payment).where(Payment.order_id == sale.order_id)).one()
        assert (payment.method, payment.amount, payment.tendered) == ("cash", total, tendered)
    keyboard.scan(qtbot, screen.input, second)  # the next customer: the change goes
    settle()
    assert screen.change_label.text() == ""


def test_printer_off_at_the_moment_of_sale(qtbot, counter_window, ctx, settle):
    window, screen = counter_window
    with ctx.database.write() as s:
        printers.add_printer(
            s, ctx.actor, "till-1", PrinterInput("Off", "tcp://127.0.0.1:1?timeout=0.2", "receipt")
        )
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    screen.pay([Tender("cash", screen.cart.totals()[2])])
    settle()
    assert screen.last_sale is not None  # the sale completed; the receipt waits
    assert "Receipt printing" in screen.message.text()
    qtbot.waitUntil(lambda: "refused the connection" in window.print_label.text(), timeout=10_000)
    assert "1 waiting" in window.print_label.text()


def test_pay_with_store_credit(qtbot, counter_window, ctx, settle):
    from app.services.sales import store_credit
    from tests import factories

    window, screen = counter_window
    customer = factories.customer(ctx.database, ctx.actor, "Orla Walsh")
    with ctx.database.write() as s:
        store_credit.give_credit(s, ctx.actor, customer, 500, None, "goodwill")
    screen.ask_text = lambda *_a, **_k: "Orla"
    qtbot.keyClick(screen.input, Qt.Key.Key_F5)
    settle()
    assert screen.message.text() == "Customer: Orla Walsh."
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    total = screen.cart.totals()[2]

    def credit_then_cash(dialog):
        assert dialog.store_credit.isEnabled() and "€5.00" in dialog.store_credit.text()
        qtbot.mouseClick(dialog.store_credit, Qt.MouseButton.LeftButton)
        assert "paid Store credit €5.00" in dialog.due_label.text()
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # the rest, exact cash

    answer_modal(PaymentDialog, credit_then_cash)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    settle()
    assert screen.last_sale is not None and screen.last_sale.total == total
    with ctx.database.read() as s:
        assert store_credit.credit_balance(s, customer) == 0


def test_gift_card_sold_and_spent_by_scanning_it(qtbot, counter_window, emulator, ctx, settle):
    from app.views import sound

    window, screen = counter_window
    card = "CARD-777001"  # a pre-printed card, scanned while the dialog asks for its code

    def sell(dialog):
        keyboard.type_slowly(qtbot, dialog.amount, "25.00")
        keyboard.scan(qtbot, QApplication.focusWidget(), card)
        settle()
        assert dialog.code.text() == card
        dialog.accept()

    answer_modal(GiftCardDialog, sell)
    qtbot.keyClick(screen.input, Qt.Key.Key_F10)
    settle()
    assert [ln.name for ln in screen.cart.lines] == [f"Gift card {card}"]
    show_active(qtbot, window)
    screen.pay([Tender("card", 2500)])
    settle()
    assert screen.last_sale is not None, screen.message.text()
    qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=10_000)
    assert f"[BARCODE {card}]" in emulator.reading(emulator.jobs[0])

    code = counter_codes(ctx, 1)[0]
    for _ in range(3):
        keyboard.scan(qtbot, screen.input, code)
        settle()
    total = screen.cart.totals()[2]
    assert total > 2500, (
        screen.message.text(),
        [(ln.name, ln.quantity, ln.unit_price) for ln in screen.cart.lines],
    )
    errors_before = len(sound.played)

    def pay_with_card_then_cash(dialog):
        keyboard.scan(qtbot, QApplication.focusWidget(), "CARD-999999")  # no such card
        settle()
        assert "no gift card" in dialog.error.text() and len(sound.played) == errors_before + 1
        keyboard.scan(qtbot, QApplication.focusWidget(), card)
        settle()
        assert f"To pay: €{(total - 2500) / 100:.2f}" in dialog.due_label.text()
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # the rest in exact cash

    show_active(qtbot, window)
    answer_modal(PaymentDialog, pay_with_card_then_cash)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    settle()
    assert screen.last_sale is not None and screen.last_sale.total == total
    with ctx.database.read() as s:
        from app.services.sales import gift_cards

        assert gift_cards.card_info(s, card).balance == 0


@pytest.mark.parametrize("typed", ["abc", "-5", "12.345", "12..5", "1e999999999", "NaN"])
def test_bad_tender_is_refused_in_words_and_nothing_is_lost(qtbot, ctx, typed):
    dialog = PaymentDialog(ctx, total=1250)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    dialog.amount.setText(typed)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.tenders == []
    assert dialog.error.text()  # a message, in words
    assert dialog.amount.text() == typed  # still there to correct
    assert dialog.result() != PaymentDialog.DialogCode.Accepted


def test_more_than_ten_times_the_total_is_asked_about(qtbot, ctx, monkeypatch):
    dialog = PaymentDialog(ctx, total=1250)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    answers = [False, True]
    monkeypatch.setattr(dialog, "confirm_large", lambda _amount: answers.pop(0))
    dialog.amount.setText("12500")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.tenders == [] and dialog.amount.text() == "12500"  # said no: kept
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert [(t.method, t.amount) for t in dialog.tenders] == [("cash", 1_250_000)]


def test_enter_on_an_empty_amount_is_still_exact_cash(qtbot, ctx):
    dialog = PaymentDialog(ctx, total=1250)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert [(t.method, t.amount) for t in dialog.tenders] == [("cash", 1250)]


def _completed_sales(ctx) -> int:
    from sqlalchemy import func

    from app.models import SalesOrder

    with ctx.database.read() as s:
        return s.scalar(
            select(func.count()).select_from(SalesOrder).where(SalesOrder.status == "completed")
        )


def test_a_second_press_while_the_sale_is_saved_cannot_sell_twice(
    qtbot, counter_window, ctx, settle
):
    window, screen = counter_window
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    before = _completed_sales(ctx)
    tenders = [Tender("cash", screen.cart.totals()[2])]
    screen.pay(tenders)
    assert not screen.buttons["pay"].isEnabled()  # greyed while the write is on its way
    screen.pay(tenders)  # the F12 of an impatient cashier
    assert "being saved" in screen.message.text()
    settle()
    assert screen.last_sale is not None and screen.cart.lines == []
    assert _completed_sales(ctx) == before + 1
    assert screen.buttons["pay"].isEnabled() is False  # the cart is empty now: nothing to pay
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    assert screen.buttons["pay"].isEnabled()


def test_f12_twice_opens_one_payment_and_sells_once(qtbot, counter_window, ctx, settle):
    window, screen = counter_window
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    before = _completed_sales(ctx)
    answered: list[PaymentDialog] = []
    answer_modal(PaymentDialog, lambda d: (answered.append(d), d.pay_exact_cash()))
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    settle()
    qtbot.wait(200)  # room for a second dialog, were one coming
    settle()
    assert len(answered) == 1 and QApplication.activeModalWidget() is None
    assert _completed_sales(ctx) == before + 1


def test_a_refused_sale_keeps_the_cart_and_says_why(qtbot, counter_window, ctx, settle):
    window, screen = counter_window
    screen.close_till({})
    settle()
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    lines = [(ln.sku, ln.quantity) for ln in screen.cart.lines]
    screen.pay([Tender("cash", screen.cart.totals()[2])])
    settle()
    assert screen.last_sale is None
    assert "till" in screen.message.text().lower(), screen.message.text()
    assert [(ln.sku, ln.quantity) for ln in screen.cart.lines] == lines
    screen.open_till("100.00")
    settle()
    screen.pay([Tender("cash", screen.cart.totals()[2])])  # the same cart, once the till is open
    settle()
    assert screen.last_sale is not None and screen.cart.lines == []
