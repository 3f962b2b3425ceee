"""Typed amounts at the counter in the shop's locale (issue 21): in a German shop (de,
de_DE) the price override offers '12,50' and reads '1.234' as 1234, and the payment's
tendered amount reads '1.234,56' (grouping and decimal comma)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from app.views.counter.payment import PaymentDialog
from tests.views import keyboard
from tests.views.conftest import answer_modal, counter_codes


@pytest.fixture
def german_counter(german, counter_window):
    german.locale = "de_DE"  # the shop's locale, as build_context reads it from the shop
    return counter_window


def test_the_price_override_shows_and_reads_the_german_notation(
    qtbot, german_counter, german, settle
):
    _window, screen = german_counter
    keyboard.scan(qtbot, screen.input, counter_codes(german, 1)[0])
    settle()
    offered: list[str] = []

    def price(dialog):
        offered.append(dialog.textValue())
        dialog.setTextValue("1.234")  # one thousand two hundred thirty-four in de_DE
        dialog.accept()

    answer_modal(QInputDialog, price)
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    settle()
    assert "," in offered[0] and "." not in offered[0]  # '12,50', not '12.50'
    assert screen.cart.lines[0].unit_price == 123400, screen.message.text()


def test_a_tendered_amount_with_grouping_and_decimal_comma(qtbot, german_counter, german, settle):
    _window, screen = german_counter
    keyboard.scan(qtbot, screen.input, counter_codes(german, 1)[0])
    settle()
    total = screen.cart.totals()[2]

    def hand_over(dialog):
        keyboard.type_slowly(qtbot, dialog.amount, "1.234,56")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)

    def large(box):  # more than ten times what is due: the dialog asks first
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    asked: list[str] = []
    answer_modal(PaymentDialog, hand_over)
    answer_modal(QMessageBox, large, delay=150)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    settle()
    sale = screen.last_sale
    assert sale is not None, screen.message.text()
    assert sale.change == 123456 - total
    assert asked and "1.234,56" in asked[0]  # the question says the amount the German way
