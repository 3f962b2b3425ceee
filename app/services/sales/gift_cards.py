"""Gift cards: sold at the counter like an item, spent like money.

A card is a code with a balance. Kestrel prints its own codes (GC + 12 digits, the last a
Luhn check digit so a mistyped code is caught before the database is asked); a shop's
pre-printed cards keep whatever code they carry. Spending is one conditional UPDATE, so two
tills spending the same card at once cannot take more than is on it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from stdnum import luhn

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.settings import get_setting
from app.core.validation import check_money
from app.models import GiftCard, GiftCardEntry, Product
from app.services.sales.backing import require_backing
from app.services.stock.catalogue import ProductHit

GIFT_CARD_SKU = "GIFT-CARD"
OWN_CODE = re.compile(r"^GC(\d{12})$")
ANY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,39}$")
MAX_CARD = 100_000_00  # no card carries more than 100,000 in the shop's currency


@dataclass(frozen=True)
class GiftCardInfo:
    code: str
    balance: int
    active: bool


def normalise_code(code: str) -> str:
    """A code as stored: upper case, no spaces; refuses what cannot be a card."""
    cleaned = "".join(code.split()).upper()
    own = OWN_CODE.match(cleaned)
    if own and not luhn.is_valid(own.group(1)):
        raise ValidationError(
            _("{cleaned} is not a gift card code: a digit is wrong.").format(cleaned=cleaned)
        )
    if not ANY_CODE.match(cleaned):
        raise ValidationError(
            _("'{value}' is not a gift card code (6 to 40 letters, digits or dashes).").format(
                value=code.strip()
            )
        )
    return cleaned


def is_own_code(code: str) -> bool:
    own = OWN_CODE.match(code.strip().upper())
    return bool(own) and luhn.is_valid(own.group(1)) if own else False


def new_code(session: Session) -> str:
    """A fresh GC code nobody holds yet."""
    while True:
        body = "".join(secrets.choice("0123456789") for _ in range(11))
        code = f"GC{body}{luhn.calc_check_digit(body)}"
        if session.scalar(select(GiftCard.id).where(GiftCard.code == code)) is None:
            return code


def gift_card_product(session: Session) -> ProductHit:
    """The catalogue item a gift card sells as: untaxed (tax is due when the card is
    spent), stock not tracked. Made on first use."""
    product = session.scalar(select(Product).where(Product.sku == GIFT_CARD_SKU))
    if product is None:
        product = Product(sku=GIFT_CARD_SKU, name="Gift card", price=0, track_stock=False)
        session.add(product)
        session.flush()
    return ProductHit(product.id, product.sku, product.name, 0, 0, 1, "sku")


def check_new_card(session: Session, code: str, amount: int) -> str:
    """A card about to be sold: a usable code nobody has, an amount that makes sense."""
    code = normalise_code(code)
    check_money(amount, "Gift card amount")
    if amount == 0:
        raise ValidationError(_("A gift card needs an amount."))
    if amount > MAX_CARD:
        most = format_money(MAX_CARD, get_setting(session, "currency"))
        raise ValidationError(_("A gift card cannot carry more than {most}.").format(most=most))
    if session.scalar(select(GiftCard.id).where(GiftCard.code == code)) is not None:
        raise ValidationError(
            _("Gift card {code} has been sold before: use another card.").format(code=code)
        )
    return code


def card_info(session: Session, code: str) -> GiftCardInfo:
    code = normalise_code(code)
    row = session.execute(
        select(GiftCard.code, GiftCard.balance, GiftCard.active).where(GiftCard.code == code)
    ).one_or_none()
    if row is None:
        raise NotFound(_("There is no gift card {code}.").format(code=code))
    return GiftCardInfo(*row)


def issue(session: Session, actor: Actor, code: str, amount: int, order_id: int | None) -> None:
    """Put a sold card in the books, with its first entry. Its value must be paid for by
    `order_id`; a card with no sale behind it needs the CREDIT_GRANT permission."""
    require(actor, Permission.SALE_COMPLETE)
    code = check_new_card(session, code, amount)
    require_backing(session, actor, order_id, amount, "A gift card")
    card = GiftCard(code=code, balance=amount, issued_amount=amount, order_id=order_id)
    session.add(card)
    session.flush()
    session.add(
        GiftCardEntry(
            gift_card_id=card.id,
            amount=amount,
            order_id=order_id,
            reason="Sold",
            user_id=actor.user_id,
        )
    )


def redeem(
    session: Session, actor: Actor, code: str, amount: int, order_id: int | None, reason: str
) -> None:
    """Take `amount` off a card, or refuse in words and change nothing."""
    require(actor, Permission.SALE_COMPLETE)
    code = normalise_code(code)
    check_money(amount, "Amount")
    taken = session.execute(
        update(GiftCard)
        .where(GiftCard.code == code, GiftCard.active.is_(True), GiftCard.balance >= amount)
        .values(balance=GiftCard.balance - amount)
        .returning(GiftCard.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if taken is None:
        info = card_info(session, code)
        if not info.active:
            raise ValidationError(_("Gift card {code} is blocked.").format(code=code))
        currency = get_setting(session, "currency")
        raise ValidationError(
            _("Gift card {code} has {value} left, not {value2}.").format(
                code=code,
                value=format_money(info.balance, currency),
                value2=format_money(amount, currency),
            )
        )
    session.add(
        GiftCardEntry(
            gift_card_id=taken,
            amount=-amount,
            order_id=order_id,
            reason=reason[:200],
            user_id=actor.user_id,
        )
    )


def top_up(
    session: Session, actor: Actor, code: str, amount: int, order_id: int | None, reason: str
) -> None:
    """Put money back on a card (a refund of a sale it paid for); with no order behind it,
    the CREDIT_GRANT permission is needed."""
    require(actor, Permission.SALE_COMPLETE)
    code = normalise_code(code)
    check_money(amount, "Amount")
    require_backing(session, actor, order_id, amount, "A gift card top-up")
    card_id = session.execute(
        update(GiftCard)
        .where(GiftCard.code == code)
        .values(balance=GiftCard.balance + amount, active=True)
        .returning(GiftCard.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if card_id is None:
        raise NotFound(_("There is no gift card {code}.").format(code=code))
    session.add(
        GiftCardEntry(
            gift_card_id=card_id,
            amount=amount,
            order_id=order_id,
            reason=reason[:200],
            user_id=actor.user_id,
        )
    )
