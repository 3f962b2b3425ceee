"""clean_text on several lines: kept as typed (trimmed, CR LF as LF) unless a control
character other than a line break or a tab is in it, wherever it is."""

from __future__ import annotations

import pytest

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
