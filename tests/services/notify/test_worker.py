"""services/notify/worker.py: one elected sender at a time, a loop that stops on its event."""

from __future__ import annotations

import time

from app.services.notify import worker
from tests.services.notify.conftest import new_order, outbox_rows


def test_one_workstation_is_elected_until_its_term_lapses(database):
    assert worker.elect(database, "ws-1")
    assert not worker.elect(database, "ws-2")
    assert worker.elect(database, "ws-1")  # renewed


def test_the_worker_sends_and_stops(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    thread, stop = worker.start(database, "ws-1", interval=0.1)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not mail_shop.recorder.received:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert [r.state for r in outbox_rows(database, order_id)] == ["sent"]
    assert len(mail_shop.recorder.received) == 1
