"""The link to an order's tracking page (/track/TOKEN), for everything that prints or
sends it: the API, e-mails, receipts. Kept in the neutral core so e-mail templates and
the tracking page can both use it without importing each other.

The token is a random 256-bit value kept on the order (sales_orders.tracking_token), made
when the order is created, or for an older order the first time its link is asked for.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from app.core.settings import get_setting
from app.models import SalesOrder


def token_for(session: Session, order: SalesOrder) -> str:
    """The order's tracking token, made now for an order from before tokens."""
    if not order.tracking_token:
        order.tracking_token = secrets.token_urlsafe(32)
        session.flush()
    return order.tracking_token


def tracking_url(session: Session, order: SalesOrder) -> str:
    return url_for_token(session, token_for(session, order))


def url_for_token(session: Session, token: str) -> str:
    """The tracking page of the order with this token."""
    base = str(get_setting(session, "public_url")).rstrip("/")
    return f"{base}/track/{token}"
