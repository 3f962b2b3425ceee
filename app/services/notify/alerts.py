"""Staff alerts by e-mail: orders past their due date, and a printer whose jobs have been
failing for more than N minutes; sent to the address the shop set, once per occurrence.

An occurrence has a key (the overdue order and its due date; the printer and its oldest
stuck job) kept as the outbox row's event, so the same one is never queued twice however
often `queue_alerts` runs, and a printer that recovers and fails again is a new one.
Low stock after the reorder run (`queue_low_stock`, called by purchasing/reorder.py in the
run's transaction) is one e-mail per run day and scope: what was ordered, and what the run
could not order (no supplier, archived) and needs a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.models import OutboxMessage, Printer, PrintJob, SalesOrder, utcnow
from app.services.notify import outbox
from app.services.notify.smtp_settings import check_address
from app.services.notify.stored import notify_settings, store

KEY = "notify.alerts"
OPEN = ("new", "accepted", "confirmed", "picking", "packed", "on_hold", "partly_shipped")
STUCK = ("queued", "failed")
MAX_PER_RUN = 100


def set_alerts(session: Session, actor: Actor, address: str, printer_minutes: int = 15) -> None:
    """Where staff alerts go ("" turns them off) and how long a printer may fail first."""
    require(actor, Permission.SETTINGS_MANAGE)
    to = check_address(address, "Alert address", "address")
    if isinstance(printer_minutes, bool) or not isinstance(printer_minutes, int):
        raise ValidationError(_("Minutes are a whole number."), "printer_minutes")
    if not 1 <= printer_minutes <= 1440:
        raise ValidationError(_("A printer may fail 1 to 1,440 minutes first."), "printer_minutes")
    store(session, KEY, {"to": to, "printer_minutes": printer_minutes} if to else None)
    audit.record(session, actor, "settings.alerts", to or "off", str(printer_minutes))
    changes.note(session, kind="settings")


def _occurrences(session: Session, now: datetime, minutes: int) -> list[tuple[str, str, str]]:
    """(key, subject, text) of every alert that is true now."""
    found = []
    overdue = session.execute(
        select(SalesOrder.id, SalesOrder.number, SalesOrder.due_at)
        .where(SalesOrder.due_at < now, SalesOrder.status.in_(OPEN))
        .order_by(SalesOrder.due_at)
        .limit(MAX_PER_RUN)
    )
    for order_id, number, due in overdue:
        found.append(
            (
                f"alert:due:{order_id}:{due:%y%m%d%H%M}",
                f"Order {number} is past its due date",
                f"Order {number} was due {due:%d %B %Y %H:%M} UTC and has not shipped.",
            )
        )
    stuck = session.execute(
        select(Printer.id, Printer.name, func.min(PrintJob.id), func.min(PrintJob.created_at))
        .join(PrintJob, PrintJob.printer_id == Printer.id)
        .where(PrintJob.state.in_(STUCK), PrintJob.attempts > 0)
        .group_by(Printer.id, Printer.name)
        .having(func.min(PrintJob.created_at) < now - timedelta(minutes=minutes))
    )
    for printer_id, name, first_job, since in stuck:
        found.append(
            (
                f"alert:printer:{printer_id}:{first_job}",
                f"Printer {name} has not printed for {minutes}+ minutes",
                f"Printer {name} has jobs waiting since {since:%H:%M} UTC that keep failing. "
                "Check its paper, power and cable; the jobs print once it is back.",
            )
        )
    return found


def queue_alerts(session: Session, now: datetime | None = None) -> int:
    """Queue the alerts that are new since the last run; returns how many."""
    settings = notify_settings(session).get(KEY)
    if not isinstance(settings, dict) or not settings.get("to"):
        return 0
    now = now or utcnow()
    current = _occurrences(session, now, int(settings.get("printer_minutes", 15)))
    if not current:
        return 0
    keys = [key[:30] for key, _s, _t in current]
    known = set(session.scalars(select(OutboxMessage.event).where(OutboxMessage.event.in_(keys))))
    queued = 0
    for key, subject, text in current:
        if key[:30] in known:
            continue
        outbox.write(session, to=str(settings["to"]), subject=subject, text=text, event=key[:30])
        queued += 1
    return queued


def queue_low_stock(
    session: Session, day: date, scope: str, ordered: Sequence[str], not_ordered: Sequence[str]
) -> bool:
    """The staff alert for the rules a reorder run found below their minimum (lines of
    words each); once per day and scope however often the run is repeated. True if queued."""
    settings = notify_settings(session).get(KEY)
    if not isinstance(settings, dict) or not settings.get("to") or not (ordered or not_ordered):
        return False
    key = f"alert:low:{day:%y%m%d}:{scope}"[:30]
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.event == key)) is not None:
        return False
    subject = (
        f"Low stock: {len(not_ordered)} product(s) below minimum were not reordered"
        if not_ordered
        else f"Low stock: {len(ordered)} product(s) below minimum reordered"
    )
    parts = [f"The reorder run of {day:%d %B %Y} ({scope}) found stock below its minimum."]
    if not_ordered:
        parts.append("Not ordered, needs you:\n" + "\n".join(f"  {ln}" for ln in not_ordered))
    if ordered:
        parts.append("Ordered (draft purchase orders):\n" + "\n".join(f"  {ln}" for ln in ordered))
    outbox.write(
        session, to=str(settings["to"]), subject=subject, text="\n\n".join(parts) + "\n", event=key
    )
    return True
