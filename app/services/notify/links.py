"""Links the e-mails carry that other parts of Kestrel own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core import tracking_links
from app.models import SalesOrder


def tracking_url(session: Session, order: SalesOrder) -> str:
    """The customer's tracking page for this order (its token made on first use)."""
    return tracking_links.tracking_url(session, order)


def ensure_token(session: Session, order: SalesOrder) -> None:
    """Give the order its tracking token now, in the transaction that queues its e-mail:
    the sender renders the link later in a read-only transaction, which must not make one."""
    if isinstance(order, SalesOrder):  # a bulk import's plain copies carry theirs
        tracking_links.token_for(session, order)
