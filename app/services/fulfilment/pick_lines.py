"""An order's pick lines when the order is cancelled: its open lines are not walked any
more.

Apart from picking.py because cancelling an order (sales/order_actions.py) calls it, and
picking.py imports the order state machine (sales/orders.py); this module imports neither.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.models import PickLine


def cancel_order_lines(session: Session, actor: Actor, order_id: int) -> int:
    """An order cancelled while on a pick list: its open lines are not walked any more."""
    require(actor, Permission.ORDERS_CANCEL)
    table = PickLine.__table__
    cancelled: int = session.execute(
        update(table)
        .where(table.c.order_id == order_id, table.c.status == "open")
        .values(status="cancelled")
    ).rowcount  # type: ignore[attr-defined]
    return cancelled
