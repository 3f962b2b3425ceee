"""Links the e-mails carry that other parts of Kestrel own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import SalesOrder
from app.services.channels import tracking


def tracking_url(session: Session, order: SalesOrder) -> str:
    """The customer's tracking page for this order (its token made on first use)."""
    return tracking.tracking_url(session, order)
