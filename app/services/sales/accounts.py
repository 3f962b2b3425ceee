"""How a phone or e-mail order is paid: its terms (prepaid, on delivery, on account), the
customer's credit limit for orders on account, and advance or partial payments taken
against the order before it ships.

An order on account is refused, in words, when it would take what the customer owes past
their credit limit; a customer without a limit has no account. What a customer owes is
the total of their open orders on account less what was paid against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require, require_any
from app.core.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from app.core.i18n import N_, _
from app.core.money import format_money, parse_money
from app.core.sentence import said
from app.core.settings import get_setting
from app.core.validation import check_money, clean_text
from app.models import OrderStatus, Party, Payment, SalesOrder, utcnow
from app.services.sales import orders


class Terms(StrEnum):
    PREPAID = "prepaid"
    ON_DELIVERY = "on_delivery"
    ON_ACCOUNT = "on_account"


TERMS_LABELS = {  # marked here, translated where shown
    Terms.PREPAID: N_("Prepaid"),
    Terms.ON_DELIVERY: N_("On delivery"),
    Terms.ON_ACCOUNT: N_("On account"),
}
# Money taken for an order away from the counter; cash goes through a till (counter.py).
PAYMENT_METHODS = ("card", "bank_transfer")
# Orders that no longer count towards what a customer owes.
CLOSED = (OrderStatus.CANCELLED.value, OrderStatus.REFUNDED.value)


@dataclass(frozen=True)
class PaymentRow:
    id: int
    method: str
    kind: str
    amount: int
    reference: str
    created_at: datetime


def check_terms(value: str) -> Terms:
    try:
        return Terms(value)
    except ValueError:
        choices = ", ".join(t.value for t in Terms)
        raise ValidationError(
            _("'{value}' is not a way to pay for an order (choose {choices}).").format(
                value=value, choices=choices
            ),
            "payment_terms",
        ) from None


def _money(session: Session, minor: int) -> str:
    return format_money(
        minor, str(get_setting(session, "currency")), get_setting(session, "locale")
    )


def paid_on(session: Session, order_id: int) -> int:
    """Payments against the order less refunds of them."""
    signed = case((Payment.kind == "refund", -Payment.amount), else_=Payment.amount)
    total = session.scalar(
        select(func.coalesce(func.sum(signed), 0)).where(Payment.order_id == order_id)
    )
    return int(total or 0)


def owed_on_account(session: Session, party_id: int, excluding_order: int | None = None) -> int:
    """What the customer owes on account: their open on-account orders less their payments."""
    where = [
        SalesOrder.customer_id == party_id,
        SalesOrder.payment_terms == Terms.ON_ACCOUNT.value,
        SalesOrder.status.not_in(CLOSED),
    ]
    if excluding_order is not None:
        where.append(SalesOrder.id != excluding_order)
    totals = session.scalar(select(func.coalesce(func.sum(SalesOrder.total), 0)).where(*where))
    signed = case((Payment.kind == "refund", -Payment.amount), else_=Payment.amount)
    paid = session.scalar(
        select(func.coalesce(func.sum(signed), 0))
        .join(SalesOrder, SalesOrder.id == Payment.order_id)
        .where(*where)
    )
    return int(totals or 0) - int(paid or 0)


def check_credit(session: Session, order: SalesOrder) -> None:
    """An order on account must fit under the customer's credit limit (the order itself
    counted once, less what was paid on it already)."""
    party = session.get(Party, order.customer_id)
    if party is None:
        raise NotFound(
            _("Customer {customer_id} does not exist.").format(customer_id=order.customer_id)
        )
    if party.credit_limit is None:
        raise ValidationError(
            _(
                "{name} has no account: a manager sets a credit limit first, or the "
                "order is prepaid or paid on delivery."
            ).format(name=party.name),
            "payment_terms",
        )
    owed = owed_on_account(session, party.id, excluding_order=order.id)
    due = order.total - paid_on(session, order.id) if order.id else order.total
    if owed + due > party.credit_limit:
        raise ValidationError(
            _(
                "On account {name} would owe {value}, over the credit limit of {value2} "
                "({value3} owed already). Take a payment first, or choose prepaid or on "
                "delivery."
            ).format(
                name=party.name,
                value=_money(session, owed + due),
                value2=_money(session, party.credit_limit),
                value3=_money(session, owed),
            ),
            "payment_terms",
        )


def credit_limit(session: Session, party_id: int) -> int | None:
    return session.scalar(select(Party.credit_limit).where(Party.id == party_id))


def set_credit_limit(session: Session, actor: Actor, party_id: int, limit: int | None) -> None:
    """How much a customer may owe on account (None: no account). Audited: it is credit
    given, so it needs the manager's credit.grant."""
    require(actor, Permission.CREDIT_GRANT)
    if limit is not None:
        limit = check_money(limit, "Credit limit")
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(_("Customer {party_id} does not exist.").format(party_id=party_id))
    before = party.credit_limit
    party.credit_limit = limit
    session.flush()
    shown = "no account" if limit is None else _money(session, limit)
    was = "no account" if before is None else _money(session, before)
    audit.record(
        session, actor, "customer.credit_limit", f"customer {party.id}", f"{was} -> {shown}"
    )
    changes.note(session, kind="customers")


def set_credit_limit_typed(session: Session, actor: Actor, party_id: int, typed: str) -> None:
    """A credit limit as a manager types it on the customer's page, in the shop's currency;
    empty means no account (orders on account are refused)."""
    require(actor, Permission.CREDIT_GRANT)
    text = clean_text(typed, "Credit limit", max_length=40)
    try:
        limit = parse_money(text, get_setting(session, "currency")) if text else None
    except ValidationError as exc:
        raise ValidationError(
            _("Credit limit: {message}").format(message=exc.message), "credit_limit"
        ) from exc
    set_credit_limit(session, actor, party_id, limit)


def record_payment(
    session: Session,
    actor: Actor,
    order_id: int,
    method: str,
    amount: int,
    reference: str = "",
    expected_version: int | None = None,
) -> int:
    """An advance or partial payment against an order (card or bank transfer), on its
    timeline; never more than is still due. Returns the order's new version."""
    require_any(actor, Permission.ORDERS_ACCEPT, Permission.SALE_COMPLETE)
    if method not in PAYMENT_METHODS:
        raise ValidationError(
            _(
                "'{method}' is not a way to pay for an order here (card or "
                "bank_transfer; cash goes through a till)."
            ).format(method=method),
            "method",
        )
    amount = check_money(amount, "Amount")
    if amount <= 0:
        raise ValidationError(_("A payment needs an amount above zero."), "amount")
    reference = clean_text(reference, "Reference", max_length=100)
    order = session.get(SalesOrder, order_id, with_for_update=True, populate_existing=True)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    if expected_version is not None and order.version != expected_version:
        raise ConflictError(
            _("Order {number} was changed since you opened it. Reload it and try again.").format(
                number=order.number
            )
        )
    if order.status in CLOSED:
        raise InvalidTransition(
            _("Order {number} is cancelled; it takes no payment.").format(number=order.number)
        )
    due = order.total - paid_on(session, order.id)
    if amount > due:
        raise ValidationError(
            _("That is more than {number} still needs: {value} is due.").format(
                number=order.number, value=_money(session, due)
            ),
            "amount",
        )
    session.add(
        Payment(
            order_id=order.id,
            method=method,
            kind="payment",
            amount=amount,
            reference=reference,
            user_id=actor.user_id,
        )
    )
    order.updated_at = utcnow()
    paid = {"amount": _money(session, amount), "method": method.replace("_", " ")}
    words = (
        said("Payment of {amount} ({method}, {reference})", reference=reference, **paid)
        if reference
        else said("Payment of {amount} ({method})", **paid)
    )
    orders.record_event(session, order, actor, "payment", words)
    session.flush()
    changes.note(session, orders=[order.id], kind="orders")
    return order.version


def payments_of(session: Session, order_id: int) -> list[PaymentRow]:
    return [
        PaymentRow(*row)
        for row in session.execute(
            select(
                Payment.id,
                Payment.method,
                Payment.kind,
                Payment.amount,
                Payment.reference,
                Payment.created_at,
            )
            .where(Payment.order_id == order_id)
            .order_by(Payment.id)
        )
    ]
