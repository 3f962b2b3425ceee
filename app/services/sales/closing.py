"""Closing the till: count the drawer, close the cash session and print its Z report.

Its own module because the documents service reads the till's ZReport (till.py may not
import documents back).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.auth import Actor
from app.services.printing.documents import print_z_report
from app.services.sales import till
from app.services.sales.till import ZReport


def close_and_print_z(
    session: Session, actor: Actor, till_name: str, workstation: str, counted: dict[int, int]
) -> tuple[ZReport, str]:
    """Close the till with the counted drawer (minor units -> how many) and queue its Z
    report, in the caller's one transaction. Returns the report and where its PDF is."""
    report = till.close_session(session, actor, till_name, counted)
    _job, path = print_z_report(session, actor, workstation, report)
    return report, path
