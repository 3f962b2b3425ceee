"""Links the e-mails carry that other parts of Kestrel own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import SalesOrder


def tracking_url(session: Session, order: SalesOrder) -> str:  # noqa: ARG001
    """The customer's tracking page for this order; "" until the API's tracking page is
    wired in (the templates then leave the link out)."""
    return ""
