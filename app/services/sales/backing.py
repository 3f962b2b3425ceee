"""Value handed to a customer (store credit, a gift card's balance) must have a sale or a
refund behind it: a cashier may sell a card or refund to credit, but only a manager gives
goodwill out of nothing (the CREDIT_GRANT permission)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.models import SalesOrder


def require_backing(
    session: Session, actor: Actor, order_id: int | None, amount: int, what: str
) -> None:
    """Refuse `amount` of `what` unless an existing order covers it, or the actor may grant."""
    if order_id is None:
        require(actor, Permission.CREDIT_GRANT)
        return
    row = session.execute(
        select(SalesOrder.total, SalesOrder.currency).where(SalesOrder.id == order_id)
    ).first()
    if row is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    total, currency = row
    if amount > total:
        raise ValidationError(
            _("{what} of {value} is more than its order's total ({value2}).").format(
                what=what,
                value=format_money(amount, currency),
                value2=format_money(total, currency),
            )
        )
