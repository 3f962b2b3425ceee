"""parse_lines (views/purchasing/order_dialogs.py): what a buyer types becomes lines or
a refusal in words, never a crash, whatever is typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.services.purchasing.orders import LineInput
from app.views.purchasing.order_dialogs import parse_lines


def test_lines_with_and_without_a_cost():
    text = "ABC-1 12\n\n  ABC-2:5:3.40  \nABC-3 1 0,99"
    assert parse_lines(text, "EUR") == [
        LineInput("ABC-1", 12, None),
        LineInput("ABC-2", 5, 340),
        LineInput("ABC-3", 1, 99),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ABC-1", "write the SKU, the quantity"),
        ("ABC-1 1 2 3", "write the SKU, the quantity"),
        ("ABC-1 ²", "not a whole number"),
        ("ABC-1 -3", "not a whole number"),
        ("ABC-1 1234567890", "not a whole number"),
        ("ABC-1 3 -1.00", "cannot be negative"),
    ],
)
def test_bad_lines_refused_in_words(text, words):
    with pytest.raises(ValidationError, match=words):
        parse_lines(text, "EUR")


@given(st.text(max_size=200))
def test_any_text_gives_lines_or_words(text):
    try:
        lines = parse_lines(text, "EUR", "en_IE")
    except ValidationError as exc:
        assert exc.message
    else:
        assert all(line.quantity >= 0 and line.sku for line in lines)
