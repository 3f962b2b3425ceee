"""Parked sales: a cart put aside while the next customer is served.

Kept in the database, not in the window, so a parked sale survives a restart or a crash
and can be resumed at any till. Resuming deletes the row with a conditional DELETE, so
two tills cannot both take the same parked cart.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import ParkedSale, User
from app.services.sales.cart import Cart, CartLine

MAX_PARKED = 200  # a shop with more parked carts has forgotten them


@dataclass(frozen=True)
class ParkedRow:
    id: int
    label: str
    till: str
    user: str
    total: int
    lines: int
    created_at: datetime


def _to_json(cart: Cart) -> str:
    return json.dumps(
        {"customer_id": cart.customer_id, "lines": [asdict(ln) for ln in cart.lines]},
        separators=(",", ":"),
    )


def _from_json(payload: str) -> Cart:
    data = json.loads(payload)
    return Cart(
        lines=[CartLine(**ln) for ln in data.get("lines", [])],
        customer_id=data.get("customer_id"),
    )


def park(session: Session, actor: Actor, cart: Cart, till: str, label: str = "") -> int:
    require(actor, Permission.SALE_COMPLETE)
    if not cart.lines:
        raise ValidationError(_("There is nothing to park: the cart is empty."))
    if (session.scalar(select(func.count()).select_from(ParkedSale)) or 0) >= MAX_PARKED:
        raise ValidationError(
            _("{count} sales are parked already: resume or clear some first.").format(
                count=MAX_PARKED
            )
        )
    _net, _tax, total = cart.totals()
    row = ParkedSale(
        label=clean_text(label, "Label", max_length=100),
        till=till[:40],
        user_id=actor.user_id,
        total=total,
        cart=_to_json(cart),
    )
    session.add(row)
    session.flush()
    return row.id


def parked(session: Session) -> list[ParkedRow]:
    """Every parked cart of the shop, oldest first."""
    rows = session.execute(
        select(ParkedSale, User.username)
        .outerjoin(User, User.id == ParkedSale.user_id)
        .order_by(ParkedSale.id)
        .limit(MAX_PARKED)
    ).all()
    return [
        ParkedRow(
            p.id,
            p.label,
            p.till,
            username or "",
            p.total,
            len(json.loads(p.cart).get("lines", [])),
            p.created_at,
        )
        for p, username in rows
    ]


def resume(session: Session, actor: Actor, parked_id: int) -> Cart:
    """Take a parked cart back onto the counter; it leaves the parked list for good."""
    require(actor, Permission.SALE_COMPLETE)
    payload = session.execute(
        delete(ParkedSale)
        .where(ParkedSale.id == parked_id)
        .returning(ParkedSale.cart)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if payload is None:
        raise NotFound(_("That parked sale has been resumed already, perhaps at another till."))
    return _from_json(payload)
