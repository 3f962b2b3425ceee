"""Refunds at the counter (views/counter/refund.py): a scanned receipt takes items back."""

from __future__ import annotations

from app.services.sales.counter import Tender
from app.views.counter.refund import RefundDialog
from tests.views import keyboard
from tests.views.conftest import answer_modal, counter_codes


def test_scanning_a_receipt_at_the_counter_refunds_it(qtbot, counter_window, ctx, settle):

    window, screen = counter_window
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    total = screen.cart.totals()[2]
    screen.pay([Tender("cash", total)])
    settle()
    number = screen.last_sale.number

    def take_one_back(dialog):
        (box,) = dialog.boxes.values()
        assert box.maximum() == 2
        box.setValue(1)
        dialog.accept()

    answer_modal(RefundDialog, take_one_back)
    keyboard.scan(qtbot, screen.input, number, caps_lock=True)  # the receipt's QR, Caps Lock on
    settle()
    assert f"Refunded €{total / 2 / 100:.2f} for {number}" in screen.message.text()
