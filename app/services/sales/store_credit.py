"""Store credit: a named customer's ledger of credit given (refunds, goodwill) and spent.

Spending locks the customer's row first (reserve_credit), so two tills cannot spend the
same credit twice before either commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require, require_any
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.settings import get_setting
from app.core.validation import check_money
from app.services.sales.backing import require_backing


def credit_balance(session: Session, party_id: int | None) -> int:
    from sqlalchemy import func

    from app.models import CreditEntry

    if party_id is None:
        return 0
    return int(
        session.scalar(
            select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(
                CreditEntry.party_id == party_id
            )
        )
        or 0
    )


def _named_customer(session: Session, party_id: int | None) -> int:
    from app.models import Party

    party = session.get(Party, party_id) if party_id else None
    if party is None or party.is_walk_in:
        raise ValidationError(_("Store credit belongs to a named customer: choose one first (F5)."))
    return party.id


def give_credit(
    session: Session,
    actor: Actor,
    party_id: int | None,
    amount: int,
    order_id: int | None,
    reason: str,
) -> None:
    """Credit a refund (at the counter or of a return) to the customer; with no order
    behind it, it is goodwill and needs the CREDIT_GRANT permission."""
    from app.models import CreditEntry

    require_any(actor, Permission.SALE_COMPLETE, Permission.ORDERS_CANCEL)
    check_money(amount, "Credit")
    require_backing(session, actor, order_id, amount, "Store credit")
    party = _named_customer(session, party_id)
    session.add(
        CreditEntry(
            party_id=party,
            amount=amount,
            order_id=order_id,
            reason=reason[:200],
            user_id=actor.user_id,
        )
    )


def reserve_credit(session: Session, party_id: int | None, amount: int) -> int:
    """Check the credit is there, locking the customer's row so two tills cannot spend the
    same credit twice before either commits."""
    from app.models import Party

    party = _named_customer(session, party_id)
    session.get(Party, party, with_for_update=True)
    balance = credit_balance(session, party)
    if amount > balance:
        currency = get_setting(session, "currency")
        raise ValidationError(
            _("The customer has {value} of store credit, not {value2}.").format(
                value=format_money(balance, currency), value2=format_money(amount, currency)
            )
        )
    return party


def take_credit(
    session: Session,
    actor: Actor,
    party_id: int | None,
    amount: int,
    order_id: int | None,
    reason: str,
) -> None:
    """Spend store credit (checked again under the lock taken by reserve_credit)."""
    from app.models import CreditEntry

    require(actor, Permission.SALE_COMPLETE)
    party = reserve_credit(session, party_id, amount)
    session.add(
        CreditEntry(
            party_id=party,
            amount=-amount,
            order_id=order_id,
            reason=reason[:200],
            user_id=actor.user_id,
        )
    )
