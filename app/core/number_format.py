"""How a file writes its numbers: its decimal mark and its grouping mark.

"1.234" is one thousand two hundred and thirty-four in a German export and one point two
three four in an English one, so an import never guesses per cell: the file has one
number format, detected from its number columns (`detect`) or set in the import mapping
(the wizard, `kestrel import ... --decimal , --grouping .`), and saved with the mapping. A
cell that does not fit it is a row error (app/core/money.py reads amounts and quantities
by it). XLSX cells that hold numbers are numbers: they need no format (`PLAIN`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.errors import ValidationError
from app.core.i18n import N_, _

DECIMALS = (".", ",")
NBSP, NNBSP = "\u00a0", "\u202f"
SPACES = (" ", NBSP, NNBSP)  # a file grouping with any of these may use all of them
GROUPINGS = ("", ".", ",", " ", "'", NBSP, NNBSP)
# what the CLI and the wizard call each grouping mark
GROUPING_NAMES: dict[str, str] = {
    "none": "",
    "": "",
    ".": ".",
    ",": ",",
    " ": " ",
    "space": " ",
    "'": "'",
    "apostrophe": "'",
    "\u2019": "'",
    "nbsp": NBSP,
    NBSP: NBSP,
    "narrow-nbsp": NNBSP,
    "nnbsp": NNBSP,
    NNBSP: NNBSP,
}
GROUPING_LABELS: dict[str, str] = {
    "": N_("none"),
    ".": N_("dot (1.234)"),
    ",": N_("comma (1,234)"),
    " ": N_("space (1 234)"),
    "'": N_("apostrophe (1'234)"),
    NBSP: N_("no-break space"),
    NNBSP: N_("narrow no-break space"),
}
DECIMAL_LABELS: dict[str, str] = {".": N_("dot (12.50)"), ",": N_("comma (12,50)")}
_SPACED = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")  # a space between digits groups
_APOSTROPHE = re.compile(r"(?<=\d)['\u2019](?=\d)")
_POINT = re.compile(r"(?<=\d)[.,]|[.,](?=\d)")
_DIGITS = re.compile(r"\d*")


@dataclass(frozen=True)
class NumberFormat:
    """A file's decimal mark ('.' or ',') and grouping mark ('' for none)."""

    decimal: str = "."
    grouping: str = ","

    def __post_init__(self) -> None:
        if self.decimal not in DECIMALS:
            raise ValidationError(
                _("The decimal mark is '.' or ',', not '{mark}'.").format(mark=self.decimal),
                "decimal",
            )
        if self.grouping not in GROUPINGS or self.grouping == self.decimal:
            raise ValidationError(
                _("'{mark}' cannot group the digits of numbers with decimal '{decimal}'.").format(
                    mark=self.grouping, decimal=self.decimal
                ),
                "grouping",
            )

    def as_dict(self) -> dict[str, str]:
        return {"decimal": self.decimal, "grouping": self.grouping}

    def describe(self) -> str:
        """'decimal comma (12,50), grouping dot (1.234)' in the process's language."""
        return _("decimal {decimal}, grouping {grouping}").format(
            decimal=_(DECIMAL_LABELS[self.decimal]), grouping=_(GROUPING_LABELS[self.grouping])
        )

    def example(self) -> str:
        """1234.5 as this format writes it: '1.234,50'."""
        return f"1{self.grouping}234{self.decimal}50"


PLAIN = NumberFormat(".", "")  # numbers as programs write them; XLSX numeric cells


def number_format(decimal: str = ".", grouping: str | None = None) -> NumberFormat:
    """A format from what a user typed (`--decimal , --grouping .`; grouping names: none,
    space, apostrophe, nbsp, narrow-nbsp); the grouping defaults to the decimal's usual
    partner ('.' with ',' and ',' with '.')."""
    decimal = decimal.strip() or "."
    if grouping is None:
        return NumberFormat(decimal, "," if decimal == "." else ".")
    mark = grouping if grouping.isspace() else grouping.strip().lower()
    if mark not in GROUPING_NAMES:
        raise ValidationError(
            _("'{mark}' is not a grouping mark ({value}).").format(
                mark=grouping, value="none . , space ' nbsp narrow-nbsp"
            ),
            "grouping",
        )
    return NumberFormat(decimal, GROUPING_NAMES[mark])


def from_dict(stored: Mapping[str, object] | None) -> NumberFormat | None:
    """A saved format ({'decimal', 'grouping'}); None when there is none."""
    if not stored or "decimal" not in stored:
        return None
    grouping = stored.get("grouping")
    return number_format(str(stored["decimal"]), None if grouping is None else str(grouping))


def _evidence(value: str) -> tuple[str | None, str | None]:
    """(decimal mark, grouping mark) that one cell proves; None where it proves nothing
    ('1.234' could be either; '12' says nothing)."""
    text = value.strip()
    spaces = _SPACED.findall(text)
    grouping = spaces[0] if spaces else ("'" if _APOSTROPHE.search(text) else None)
    points = list(_POINT.finditer(text))
    kinds = {m.group() for m in points}
    if len(kinds) == 2:  # '1.234,56': the last is the decimal mark
        last = points[-1].group()
        return last, grouping or ("." if last == "," else ",")
    if not points:
        return None, grouping
    mark = points[0].group()
    if len(points) > 1:  # '1,234,567': a mark that comes twice groups
        return ("." if mark == "," else ","), grouping or mark
    found = _DIGITS.match(text, points[0].end())
    digits_after = len(found.group()) if found else 0
    if grouping is not None or digits_after != 3:
        return mark, grouping  # '12,50', '1 234,5', "1'234.50": a decimal mark
    return None, None  # '1.234': either


def detect(values: Iterable[str], fallback: NumberFormat | None = None) -> NumberFormat:
    """The format the cells of a file's number columns show: the decimal mark most of
    them prove ('12,50', '1.234,56' prove a comma), the grouping mark they use (or the
    decimal's usual partner). Where no cell proves anything ('1.234', '12'), `fallback`
    (the shop's locale) decides."""
    decimals: Counter[str] = Counter()
    groupings: Counter[str] = Counter()
    for value in values:
        decimal, grouping = _evidence(value)
        if decimal:
            decimals[decimal] += 1
        if grouping:
            groupings[grouping] += 1
    base = fallback or NumberFormat()
    if not decimals and not groupings:
        return base
    if decimals:
        decimal = max(DECIMALS, key=lambda mark: (decimals[mark], mark == base.decimal))
    else:  # only a grouping was seen: the decimal is the other mark
        decimal = "," if groupings.most_common(1)[0][0] == "." else "."
    usable = [(n, m) for m, n in groupings.items() if m != decimal]
    if usable:
        return NumberFormat(decimal, max(usable)[1])
    return number_format(decimal)


def split(text: str, number: NumberFormat) -> tuple[str, str] | None:
    """(whole digits, fraction digits) of a plain number written in `number`'s format
    ('1.234,5' -> ('1234', '5') with decimal ','), or None when it does not fit: a group
    that is not three digits, the other mark, a sign, letters."""
    cleaned = text.strip()
    grouping = number.grouping
    if grouping in SPACES:
        cleaned = _SPACED.sub(" ", cleaned)
        grouping = " "
    decimal = re.escape(number.decimal)
    whole = rf"(\d{{1,3}}(?:{re.escape(grouping)}\d{{3}})+|\d+)" if grouping else r"(\d+)"
    match = re.fullmatch(rf"{whole}(?:{decimal}(\d+))?", cleaned)
    if match is None:
        return None
    return match.group(1).replace(grouping, "") if grouping else match.group(1), match.group(
        2
    ) or ""


def misfit(shown: str, number: NumberFormat) -> ValidationError:
    """The words for a cell that does not fit the file's number format."""
    return ValidationError(
        _("'{shown}' does not fit the file's numbers ({described}, like {example}).").format(
            shown=shown, described=number.describe(), example=number.example()
        )
    )


def locale_format(locale: str) -> NumberFormat:
    """How `locale` (Babel) writes numbers: de_DE ',' and '.', de_CH '.' and "'"; what
    detection falls back to when a file's cells prove nothing."""
    from babel import UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    except (ValueError, TypeError, UnknownLocaleError):
        return NumberFormat()
    if decimal not in DECIMALS:
        return NumberFormat()
    grouping = GROUPING_NAMES.get(group)
    if grouping is None or grouping == decimal:
        return number_format(decimal)
    return NumberFormat(decimal, grouping)
