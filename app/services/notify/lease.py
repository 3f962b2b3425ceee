"""A lease in the database: one holder at a time for a shop-wide job (the e-mail sender).

The lease is one row of the settings table (key -> {"by": holder, "until": expiry}), the
same row the sender has always been elected by, so workstations of an older and a newer
version agree on who sends. A holder renews it before it expires; when it lapses (the
workstation was switched off, its network went away) the next to ask takes it over.
Giving it up on a clean quit lets another workstation take over at once instead of
after the term. Times are UTC ISO strings, which order as the times they spell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Setting, utcnow


@dataclass(frozen=True)
class Held:
    """Who holds a lease and until when ("" / None: nobody)."""

    holder: str
    until: datetime | None

    def live(self, now: datetime) -> bool:
        return bool(self.holder) and self.until is not None and self.until > now


def _read(row: Setting | None) -> Held:
    try:
        held = json.loads(row.value) if row is not None else {}
        if not isinstance(held, dict):
            return Held("", None)
        until = datetime.fromisoformat(held["until"]) if held.get("until") else None
    except (ValueError, TypeError):  # a row no version of Kestrel wrote: lapsed
        return Held("", None)
    return Held(str(held.get("by") or ""), until)


def holder(session: Session, key: str, now: datetime | None = None) -> Held:
    """Who holds the lease now (Held("", None) when it is free or lapsed)."""
    held = _read(session.get(Setting, key))
    return held if held.live(now or utcnow()) else Held("", None)


def acquire(
    database: Database, key: str, name: str, term: timedelta, now: datetime | None = None
) -> bool:
    """Take or renew the lease for `term`, unless another holder's has not lapsed.

    The row is read for update (PostgreSQL) or in SQLite's one-writer transaction, so two
    workstations asking at once cannot both win."""
    now = now or utcnow()
    try:
        with database.write() as session:
            row = session.get(Setting, key, with_for_update=True, populate_existing=True)
            held = _read(row)
            if held.holder not in ("", name) and held.live(now):
                return False
            value = json.dumps({"by": name, "until": (now + term).isoformat()})
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value
    except IntegrityError:  # another workstation wrote the first lease a moment ago
        return False
    return True


def release(database: Database, key: str, name: str) -> bool:
    """Give the lease up if `name` holds it (a clean quit); True when it was ours."""
    with database.write() as session:
        row = session.get(Setting, key, with_for_update=True, populate_existing=True)
        if row is None or _read(row).holder != name:
            return False
        session.delete(row)
    return True
