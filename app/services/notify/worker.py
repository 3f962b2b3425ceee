"""The in-app sender: a plain thread (no Qt) that one elected workstation runs.

`run(database, name, stop)` is the whole loop: every `interval` seconds it asks to be the
sender (a lease in the settings table, renewed while it runs, taken over when another
workstation's lapsed), and if it is, queues the staff alerts that are new and drains
what is due. The GUI starts it in a thread
and sets `stop` on the way out; `kestrel outbox run` uses the same loop.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.core.errors import KestrelError
from app.db import Database
from app.models import Setting, utcnow
from app.services.notify import alerts, sender

log = logging.getLogger("kestrel.mail")
ELECTION_KEY = "notify.sender"
TERM = timedelta(minutes=2)


def elect(database: Database, name: str) -> bool:
    """Be the shop's e-mail sender for the next TERM, unless another workstation is."""
    now = utcnow()
    try:
        with database.write() as session:
            row = session.get(Setting, ELECTION_KEY, with_for_update=True)
            held = json.loads(row.value) if row is not None else {}
            until = held.get("until", "")
            if held.get("by") not in (None, name) and until > now.isoformat():
                return False
            value = json.dumps({"by": name, "until": (now + TERM).isoformat()})
            if row is None:
                session.add(Setting(key=ELECTION_KEY, value=value))
            else:
                row.value = value
    except IntegrityError:  # another workstation wrote the first lease a moment ago
        return False
    return True


def run(
    database: Database,
    name: str,
    stop: threading.Event,
    interval: float = 15.0,
    elected: bool = True,
) -> None:
    """Send until `stop` is set. `elected=False` sends without asking (a server's
    `kestrel outbox run`, the one sender by the operator's choice)."""
    while not stop.is_set():
        busy = False
        try:
            if not elected or elect(database, name):  # renewed before every batch
                with database.write() as session:
                    alerts.queue_alerts(session)
                result = sender.send_due(database, name)
                busy = bool(result.sent or result.failed or result.retried) and not result.problem
        except (KestrelError, SQLAlchemyError) as exc:  # the database went away: next round
            log.warning("e-mail sender: %s", exc)
        if not busy:
            stop.wait(interval)


def start(
    database: Database, name: str, interval: float = 15.0
) -> tuple[threading.Thread, threading.Event]:
    """The worker thread, started; set the event to stop it (then join the thread)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run, args=(database, name, stop, interval), name="kestrel-mail", daemon=True
    )
    thread.start()
    return thread, stop
