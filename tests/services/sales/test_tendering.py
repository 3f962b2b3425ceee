"""The counter's tender rules (services/sales/tendering.py): what is due, quick cash,
which tenders are allowed, and how typed discounts read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.services.sales import tendering
from app.services.sales.cart import CartLine
from app.services.sales.counter import Tender
from app.services.sales.gift_cards import GiftCardInfo


def test_due_is_what_is_left_and_never_below_nothing():
    assert tendering.due(1250, []) == 1250
    assert tendering.due(1250, [Tender("card", 1000)]) == 250
    assert tendering.due(1250, [Tender("cash", 2000)]) == 0


def test_quick_cash_offers_the_next_notes_up():
    assert tendering.quick_amounts(1250) == [1500, 2000, 5000, 10000]
    assert tendering.quick_amounts(500) == [500, 1000, 2000]
    assert tendering.quick_amounts(0) == [500, 1000, 2000]
    assert tendering.quick_amounts(23_456) == [23_500]


@given(st.integers(min_value=0, max_value=10_000_000))
def test_every_quick_amount_covers_what_is_due(due):
    amounts = tendering.quick_amounts(due)
    assert 1 <= len(amounts) <= 4 and amounts == sorted(set(amounts))
    assert all(a >= due and a % 500 == 0 for a in amounts)


def test_only_cash_can_be_more_than_what_is_due():
    tendering.check_tender(Tender("cash", 5000), 1250)
    tendering.check_tender(Tender("card", 1250), 1250)
    with pytest.raises(ValidationError, match="Only cash"):
        tendering.check_tender(Tender("card", 1251), 1250)


def test_nothing_tendered_while_something_is_due_is_refused():
    tendering.check_amount(0, 0)
    with pytest.raises(ValidationError, match="leave it empty for exact cash"):
        tendering.check_amount(0, 100)


def test_ten_times_the_due_in_cash_is_asked_about():
    assert tendering.needs_confirmation("cash", 12_501, 1250)
    assert not tendering.needs_confirmation("cash", 12_500, 1250)
    assert not tendering.needs_confirmation("card", 1_000_000, 1250)
    assert tendering.needs_confirmation("cash", 11, 0)  # nothing due: ten cents is the bar


def test_store_credit_pays_what_is_left_of_it_up_to_the_due():
    assert tendering.credit_to_use(500, [], 1250) == 500
    assert tendering.credit_to_use(500, [Tender("store_credit", 300)], 1250) == 200
    assert tendering.credit_to_use(5000, [], 1250) == 1250
    assert tendering.credit_to_use(500, [Tender("store_credit", 500)], 1250) == 0


def test_a_gift_card_pays_what_it_holds_or_what_was_typed():
    card = GiftCardInfo("GC-1", 2500, True)
    assert tendering.gift_card_tender(card, [], 4000, None) == Tender("gift_card", 2500, "GC-1")
    assert tendering.gift_card_tender(card, [], 1000, None).amount == 1000
    assert tendering.gift_card_tender(card, [], 4000, 700).amount == 700
    spent = [Tender("gift_card", 2000, "GC-1")]
    assert tendering.gift_card_tender(card, spent, 4000, None).amount == 500
    with pytest.raises(ValidationError, match="nothing left"):
        tendering.gift_card_tender(card, [Tender("gift_card", 2500, "GC-1")], 4000, None)
    with pytest.raises(ValidationError, match="nothing left"):
        tendering.gift_card_tender(GiftCardInfo("GC-2", 2500, False), [], 4000, None)


def test_a_discount_reads_as_percent_or_amount_on_the_line_or_the_sale():
    assert tendering.parse_discount(" *10% ") == (True, "10%")
    assert tendering.parse_discount("2.50") == (False, "2.50")
    assert tendering.discount_amount("10%", 1235, "EUR") == 124  # half up, to the cent
    assert tendering.discount_amount("2.50", 1235, "EUR") == 250
    with pytest.raises(ValidationError):
        tendering.discount_amount("ten", 1235, "EUR")


def test_the_gross_a_discount_applies_to_counts_earlier_discounts():
    lines = [
        CartLine(1, "A", "a", 1000, 2300, quantity=2, discount=100),
        CartLine(2, "B", "b", 350, 0),
    ]
    assert tendering.gross_of(lines) == 2250
