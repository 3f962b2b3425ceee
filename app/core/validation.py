"""Small input checks shared by the services, each raising ValidationError in plain words."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from email_validator import EmailNotValidError, validate_email

from app.core.errors import ValidationError
from app.core.i18n import _

MAX_QUANTITY = 1_000_000
# 10 million in major units: beyond any real order, and inside the 32-bit money columns
# (2,147,483,647) so no amount, total or change Kestrel accepts can overflow one.
MAX_MONEY = 1_000_000_000


def clean_text(value: object, label: str, *, max_length: int, required: bool = False) -> str:
    """The one text cleaner at the service boundary: text on one line has its whitespace
    collapsed, text on several lines is trimmed (CR LF becomes LF); too long, or holding a
    control character (NUL, ESC ...) or half a surrogate pair, is refused in words, since
    PostgreSQL cannot store a NUL and a printer would obey an ESC."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("{label} must be text.").format(label=_(label)), label)
    if "\n" in value:
        text = value.replace("\r\n", "\n").strip()
    else:
        text = " ".join(value.split())
    if required and not text:
        raise ValidationError(_("{label} is required.").format(label=_(label)), label)
    if len(text) > max_length:
        raise ValidationError(
            _("{label} is {length} characters long; at most {most} fit.").format(
                label=_(label), length=f"{len(text):,}", most=f"{max_length:,}"
            ),
            label,
        )
    if text.isprintable():  # the usual case, checked in C: no Cc or Cs character at all
        return text
    if "\n" in text and text.replace("\n", "").replace("\t", "").isprintable():
        return text  # several lines, nothing else invisible: also without a per-character look
    bad = next((ch for ch in text if ch not in _KEPT and unicodedata.category(ch) in _REFUSED), "")
    if bad:
        raise ValidationError(
            _("{label} holds an invisible control character ({code}): type it again.").format(
                label=_(label), code=f"U+{ord(bad):04X}"
            ),
            label,
        )
    return text


_KEPT = frozenset("\n\t")
_REFUSED = frozenset({"Cc", "Cs"})  # control characters, lone surrogates


def check_quantity(value: object, label: str = "Quantity", *, allow_zero: bool = False) -> int:
    """A whole number of units within reason; bools and floats are refused, not truncated."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            _("{label} must be a whole number, not {value}.").format(
                label=_(label), value=repr(value)
            ),
            label,
        )
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError(
            _("{label} must be more than zero (got {value}).").format(label=_(label), value=value),
            label,
        )
    if value > MAX_QUANTITY:
        raise ValidationError(
            _("{label} {value} is more than {most}.").format(
                label=_(label), value=f"{value:,}", most=f"{MAX_QUANTITY:,}"
            ),
            label,
        )
    return value


def check_money(value: object, label: str) -> int:
    """Money in minor units: an int, not negative, not absurd."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            _("{label} must be an amount in cents, not {value}.").format(
                label=_(label), value=repr(value)
            ),
            label,
        )
    if value < 0:
        raise ValidationError(_("{label} cannot be negative.").format(label=_(label)), label)
    if value > MAX_MONEY:
        raise ValidationError(
            _("{label} is larger than Kestrel accepts.").format(label=_(label)), label
        )
    return value


MAX_MM = 100_000  # 100 m: a longer product dimension is a typing mistake


def check_millimetres(value: object, label: str) -> int:
    """A dimension in whole millimetres, 0 (not given) to 100 m."""
    mm = check_quantity(value, label, allow_zero=True)
    if mm > MAX_MM:
        raise ValidationError(
            _("{label} {mm} mm is more than {most} m.").format(
                label=_(label), mm=f"{mm:,}", most=MAX_MM // 1000
            ),
            label.lower(),
        )
    return mm


_remembered: ContextVar[dict[str, tuple[str, str]] | None] = ContextVar(
    "kestrel_emails_remembered", default=None
)


@contextmanager
def emails_remembered() -> Iterator[None]:
    """Inside, each address is checked once whatever the cache holds: an import of a
    file of 10,000 orders asks for every address in its judge and again in the outbox's
    recipient check, more addresses than the cache keeps. Per thread and task."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def normalized_email(value: str) -> tuple[str, str]:
    """(the address as email-validator normalizes it, "") or ("", why it is not one).
    Cached: an imported order's address is checked four times, and the check is slow."""
    memo = _remembered.get()
    if memo is None:
        return _checked_email(value)
    found = memo.get(value)
    if found is None:
        found = memo[value] = _checked_email(value)
    return found


@functools.lru_cache(maxsize=4096)
def _checked_email(value: str) -> tuple[str, str]:
    try:
        return validate_email(value, check_deliverability=False).normalized, ""
    except EmailNotValidError as exc:
        return "", str(exc)
