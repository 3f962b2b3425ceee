"""services/notify/lease.py and the workers that elect by it: one holder at a time, taken
over when the holder's lease lapses, given up at once on a clean stop."""

from __future__ import annotations

import time
from datetime import timedelta

from app.models import utcnow
from app.services.notify import lease, worker
from app.services.notify.worker import ELECTION_KEY, MailWorker

KEY = "notify.test-lease"
TERM = timedelta(seconds=30)


def _holder(database) -> str:
    with database.read() as s:
        return lease.holder(s, ELECTION_KEY).holder


def _wait(predicate, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_one_holder_until_the_lease_lapses(database):
    now = utcnow()
    assert lease.acquire(database, KEY, "ws-1", TERM, now)
    assert not lease.acquire(database, KEY, "ws-2", TERM, now + timedelta(seconds=29))
    assert lease.acquire(database, KEY, "ws-1", TERM, now + timedelta(seconds=29))  # renewed
    assert not lease.acquire(database, KEY, "ws-2", TERM, now + timedelta(seconds=58))
    assert lease.acquire(database, KEY, "ws-2", TERM, now + timedelta(seconds=60))  # lapsed
    with database.read() as s:
        held = lease.holder(s, KEY, now + timedelta(seconds=61))
    assert held.holder == "ws-2"
    assert held.until == now + timedelta(seconds=90)


def test_release_gives_it_up_only_for_its_holder(database):
    assert lease.acquire(database, KEY, "ws-1", TERM)
    assert not lease.release(database, KEY, "ws-2")
    assert not lease.acquire(database, KEY, "ws-2", TERM)
    assert lease.release(database, KEY, "ws-1")
    assert lease.acquire(database, KEY, "ws-2", TERM)


def test_a_row_no_version_wrote_counts_as_lapsed(database):
    from app.models import Setting

    with database.write() as s:
        s.add(Setting(key=KEY, value='"not a lease"'))
    assert lease.acquire(database, KEY, "ws-1", TERM)


def test_two_workers_one_sender_and_a_clean_stop_hands_over(sqlite_db):
    first = MailWorker(sqlite_db, "ws-1", interval=0.05, term=timedelta(seconds=30)).start()
    assert _wait(lambda: _holder(sqlite_db) == "ws-1")
    second = MailWorker(sqlite_db, "ws-2", interval=0.05, term=timedelta(seconds=30)).start()
    try:
        time.sleep(0.5)  # several of the second's rounds
        assert _holder(sqlite_db) == "ws-1"
        assert first.holds_lease() and not second.holds_lease()
        first.stop()  # gives the lease up: no waiting out the 30 s term
        assert _wait(second.holds_lease, 5)
    finally:
        first.stop()
        second.stop()
    assert _holder(sqlite_db) == ""


def test_a_holder_that_died_is_taken_over_after_its_term(sqlite_db):
    term = timedelta(seconds=1.5)
    thread, stop = worker.start(sqlite_db, "ws-1", interval=0.05, term=term)
    assert _wait(lambda: _holder(sqlite_db) == "ws-1")
    stop.set()  # the thread ends without giving up the lease, as a crashed workstation
    thread.join(10)
    with sqlite_db.read() as s:
        lapses = lease.holder(s, ELECTION_KEY).until
    second = MailWorker(sqlite_db, "ws-2", interval=0.05, term=term).start()
    try:
        assert _wait(second.holds_lease, 10)
        assert utcnow() >= lapses  # not before the dead one's lease lapsed
    finally:
        second.stop()
