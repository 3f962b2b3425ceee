"""The tender rules of the counter's payment, Qt-free: what is still due, the quick-cash
notes a cashier offers, which tender is allowed, and how a typed discount reads.

They used to sit in the payment dialog and the counter screen; here a service test can
hold them, and the API or a second till front-end would follow the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import div_round_half_up, parse_money, parse_tax_rate
from app.services.sales.cart import CartLine
from app.services.sales.counter import Tender
from app.services.sales.gift_cards import GiftCardInfo

CONFIRM_OVER = 10  # a tender above ten times what is due is asked about (a slip of the keys)
NOTES = (500, 1000, 2000, 5000, 10000)


def due(total: int, tenders: Sequence[Tender]) -> int:
    """What is still to pay after the tenders so far (never below nothing)."""
    return max(0, total - sum(t.amount for t in tenders))


def quick_amounts(due_now: int) -> list[int]:
    """The next notes up from the amount due, as a cashier would offer (at most four)."""
    options = sorted({n for n in NOTES if n >= due_now})
    rounded = -(-due_now // 500) * 500
    return sorted({rounded, *options[:3]} - {0})[:4]


def check_tender(tender: Tender, due_now: int) -> None:
    """Only cash can be more than what is due (card, credit and gift cards pay exactly)."""
    if tender.method != "cash" and tender.amount > due_now:
        raise ValidationError(_("Only cash can be more than what is due."))


def check_amount(amount: int, due_now: int) -> None:
    """A tender of nothing while something is due is a slip, not a payment."""
    if amount == 0 and due_now > 0:
        raise ValidationError(_("Type the amount handed over, or leave it empty for exact cash."))


def needs_confirmation(method: str, amount: int, due_now: int) -> bool:
    """More than ten times what is due in cash is likely a slip (12000 for 12.00)."""
    return method == "cash" and amount > CONFIRM_OVER * max(due_now, 1)


def credit_to_use(credit: int, tenders: Sequence[Tender], due_now: int) -> int:
    """How much of the customer's store credit pays now (what is left of it, up to due)."""
    used = sum(t.amount for t in tenders if t.method == "store_credit")
    return max(0, min(credit - used, due_now))


def gift_card_tender(
    info: GiftCardInfo, tenders: Sequence[Tender], due_now: int, typed: int | None
) -> Tender:
    """As much of what is due as the card still holds (or the amount typed, if less)."""
    left = info.balance - sum(t.amount for t in tenders if t.reference == info.code)
    if not info.active or left <= 0:
        raise ValidationError(_("Gift card {code} has nothing left on it.").format(code=info.code))
    amount = min(left, due_now if typed is None else typed, due_now)
    return Tender("gift_card", amount, info.code)


def parse_discount(text: str) -> tuple[bool, str]:
    """'*10%' is off the whole sale, '10%' off the line: (whole sale?, the amount's text)."""
    whole = text.strip().startswith("*")
    return whole, text.strip().lstrip("*").strip()


def discount_amount(text: str, gross: int, currency: str) -> int:
    """'10%' of `gross` (to the cent, half up) or a typed amount such as '2.50'."""
    if text.endswith("%"):
        return div_round_half_up(gross * parse_tax_rate(text), 10_000)
    return parse_money(text, currency)


def gross_of(lines: Sequence[CartLine]) -> int:
    """What the lines come to after their own discounts (what a new discount applies to)."""
    return sum(ln.quantity * ln.unit_price - ln.discount for ln in lines)
