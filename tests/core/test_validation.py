"""clean_text on several lines: kept as typed (trimmed, CR LF as LF) unless a control
character other than a line break or a tab is in it, wherever it is."""

from __future__ import annotations

import pytest

from app.core import validation
from app.core.errors import ValidationError
from app.core.validation import clean_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Leave at the door\r\nRing twice ", "Leave at the door\nRing twice"),
        ("Col 1\tCol 2\nno\u00a0break space, zero\u200bwidth", None),
    ],
)
def test_several_lines_are_kept(typed, kept):
    assert clean_text(typed, "Note", max_length=100) == (kept or typed)


@pytest.mark.parametrize("typed", ["first\nsecond\x1b[2J", "first\x00\nsecond", "a\n\ud800b"])
def test_a_control_character_on_any_line_is_refused(typed):
    with pytest.raises(ValidationError, match="control character"):
        clean_text(typed, "Note", max_length=100)


def test_an_address_is_checked_once_inside_emails_remembered():
    """An import asks for every address twice (its judge, the outbox's recipient check),
    more addresses than the cache holds: inside emails_remembered each is validated once,
    and its answer (good or bad) is the same as outside."""
    addresses = [f"buyer{n}@example.com" for n in range(5000)] + ["not an address"]
    validation._checked_email.cache_clear()
    with validation.emails_remembered():
        first = [validation.normalized_email(a) for a in addresses]
        again = [validation.normalized_email(a) for a in addresses]
    assert validation._checked_email.cache_info().misses == len(addresses)
    assert first == again
    assert first[0] == ("buyer0@example.com", "")
    assert first[-1][0] == "" and first[-1][1]
    validation._checked_email.cache_clear()
    assert [validation.normalized_email(a) for a in addresses[-2:]] == first[-2:]
