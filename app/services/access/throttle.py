"""Back-off after failed sign-ins, per user name and per workstation, read from the audit
log (where every failure is written anyway, in a transaction of its own).

After FREE failures in a row (no successful sign-in since, none older than WINDOW), each
further attempt waits BASE, doubling per failure up to MOST, from the latest failure.
Refused attempts are audited as `login.blocked` and do not lengthen the wait. An unknown
name is counted like a known one, so the back-off tells nothing about which names exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import TooManyAttempts
from app.core.i18n import _
from app.models import AuditEntry, utcnow

SUCCESS = "login"
FAILED = "login.failed"
BLOCKED = "login.blocked"
WINDOW = timedelta(hours=1)
BASE = timedelta(seconds=30)
MOST = timedelta(minutes=15)


@dataclass(frozen=True)
class Rule:
    what: str
    free: int  # failures allowed before the back-off starts


PER_USER = Rule("this user name", 5)
PER_WORKSTATION = Rule("this workstation", 20)  # many people share a till


def wait_after(failures: int, rule: Rule) -> timedelta:
    """How long after the latest failure the next attempt must wait (zero while free)."""
    if failures < rule.free:
        return timedelta(0)
    doubling: int = 2 ** min(failures - rule.free, 16)
    return min(BASE * doubling, MOST)


def _failures(session: Session, where: object, now: datetime, limit: int) -> tuple[int, datetime]:
    """Failures in a row (newest first, until a success) within WINDOW, and the latest one."""
    rows = session.execute(
        select(AuditEntry.action, AuditEntry.at)
        .where(
            AuditEntry.action.in_((SUCCESS, FAILED)),
            AuditEntry.at > now - WINDOW,
            where,  # type: ignore[arg-type]
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()
    count = 0
    for action, _at in rows:
        if action == SUCCESS:
            break
        count += 1
    return count, (rows[0].at if rows else now)


def check(session: Session, username: str, workstation: str, now: datetime | None = None) -> None:
    """Raise TooManyAttempts, in words, while a back-off for the name or workstation runs."""
    now = now or utcnow()
    checks = [(PER_USER, AuditEntry.subject == username[:60])]
    if workstation:
        checks.append((PER_WORKSTATION, AuditEntry.workstation == workstation[:64]))
    for rule, where in checks:
        failures, latest = _failures(session, where, now, rule.free + 20)
        until = latest + wait_after(failures, rule)
        if failures >= rule.free and now < until:
            seconds = math.ceil((until - now).total_seconds())
            raise TooManyAttempts(
                _("Too many wrong passwords for {what}: try again in {seconds} seconds.").format(
                    what=rule.what, seconds=seconds
                )
            )
