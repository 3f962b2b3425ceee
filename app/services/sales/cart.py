"""The cart on the counter, plain data that scans fill, and the cashier's rules for what
goes on it: a price below cost or a discount above 10 % needs a manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission
from app.core.errors import PermissionDenied, ValidationError
from app.core.i18n import _
from app.core.money import div_round_half_up, line_amounts
from app.core.validation import check_money, check_quantity
from app.models import Product
from app.services.stock.catalogue import ProductHit


@dataclass
class CartLine:
    product_id: int
    sku: str
    name: str
    unit_price: int
    tax_rate_bp: int
    quantity: int = 1
    discount: int = 0
    approved_by: str = ""  # the manager who allowed a price below cost
    gift_card_code: str = ""  # set on a line that sells a gift card

    @property
    def is_gift_card(self) -> bool:
        return bool(self.gift_card_code)


@dataclass
class Cart:
    """What is on the counter. Plain data: the screen shows it, the service sells it."""

    lines: list[CartLine] = field(default_factory=list)
    customer_id: int | None = None

    def add(self, hit: ProductHit, quantity: int = 1) -> CartLine:
        """A scan adds a line, or counts up the line of the same product and price. An
        archived product is refused here, at the scan, not later at the payment."""
        if not hit.active:
            raise ValidationError(
                _(
                    "{sku} '{name}' is archived and no longer sold: take it off the counter, "
                    "or ask a manager to bring it back in Inventory."
                ).format(sku=hit.sku, name=hit.name)
            )
        check_quantity(quantity)
        for line in self.lines:
            if line.is_gift_card:
                continue
            if line.product_id == hit.product_id and line.unit_price == hit.price:
                line.quantity = check_quantity(line.quantity + quantity)
                return line
        line = CartLine(hit.product_id, hit.sku, hit.name, hit.price, hit.tax_rate_bp, quantity)
        self.lines.append(line)
        return line

    def add_gift_card(self, hit: ProductHit, code: str, amount: int) -> CartLine:
        """A gift card is a line of its own: one card, its code, its amount, no tax."""
        if any(ln.gift_card_code == code for ln in self.lines):
            raise ValidationError(_("Gift card {code} is already in this sale.").format(code=code))
        line = CartLine(hit.product_id, hit.sku, f"Gift card {code}", amount, 0, 1)
        line.gift_card_code = code
        self.lines.append(line)
        return line

    def totals(self, prices_include_tax: bool = True) -> tuple[int, int, int]:
        """(net, tax, total), computed exactly as the order will be."""
        net = tax = total = 0
        for line in self.lines:
            amounts = line_amounts(
                line.quantity, line.unit_price, line.discount, line.tax_rate_bp, prices_include_tax
            )
            net, tax, total = net + amounts.net, tax + amounts.tax, total + amounts.total
        return net, tax, total


def check_price(session: Session, actor: Actor, product_id: int, price: int) -> int:
    """A price typed at the counter: below cost needs a manager's permission."""
    check_money(price, "Price")
    cost = session.scalar(select(Product.cost).where(Product.id == product_id)) or 0
    if price < cost and not actor.can(Permission.PRICE_OVERRIDE):
        raise PermissionDenied(_("A price below cost needs a manager: ask one to override."))
    return price


CASHIER_DISCOUNT_LIMIT_BP = 1000  # a cashier may give up to 10 % on their own


def check_discount(actor: Actor, gross: int, discount: int) -> int:
    """A discount on `gross`: up to 10 % at the cashier's word, more with a manager's."""
    check_money(discount, "Discount")
    if discount > gross:
        raise ValidationError(_("A discount cannot be more than the amount."))
    limit = div_round_half_up(gross * CASHIER_DISCOUNT_LIMIT_BP, 10_000)  # 10 %, to the cent
    if discount > limit and not actor.can(Permission.PRICE_OVERRIDE):
        raise PermissionDenied(_("A discount above 10 % needs a manager: ask one to approve it."))
    return discount


def spread_discount(cart: Cart, amount: int) -> None:
    """An order discount, spread over the lines in proportion to their amounts, to the cent
    (largest remainders get the odd cents), so tax stays right per line."""
    grosses = [ln.quantity * ln.unit_price - ln.discount for ln in cart.lines]
    total = sum(grosses)
    if amount > total:
        raise ValidationError(_("The discount is more than the sale."))
    if total == 0 or amount == 0:
        return
    shares = [amount * g // total for g in grosses]
    remainders = sorted(
        range(len(grosses)), key=lambda i: (amount * grosses[i]) % total, reverse=True
    )
    for i in remainders[: amount - sum(shares)]:
        shares[i] += 1
    for line, share in zip(cart.lines, shares, strict=True):
        line.discount += share
