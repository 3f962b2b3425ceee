"""The watched folders inside the app (app/services/channels/watch_worker.py), SQLite and
PostgreSQL: of two workstations only the lease holder imports; its thread takes a file
dropped in, the order appears and the file is filed in done/, a broken one in failed/
with its report; stopping gives the lease up."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from app.models import SalesOrder
from app.services.channels.watch_worker import WatchWorker
from tests.services.channels.conftest import drop, report_of


def _numbers(database) -> list[str]:
    with database.read() as s:
        return list(s.scalars(select(SalesOrder.external_id).order_by(SalesOrder.id)))


def test_only_the_lease_holder_imports_and_a_stop_hands_over(database, admin, inbox):
    first = WatchWorker(database, "ws-a", interval=30)
    second = WatchWorker(database, "ws-b", interval=30)
    drop(inbox, "orders.csv", 1_900_000_000)
    assert first.round() == [] and first.holds_lease()  # seen once: waits a round
    assert second.round() == [] and not second.holds_lease()
    assert second.round() == []  # still ws-a's: ws-b never takes the file
    (filed,) = first.round()
    assert (filed.name, filed.outcome) == ("orders.csv", "done")
    assert len(_numbers(database)) == 1
    first.start().stop()  # a clean quit gives the lease up ...
    assert not first.holds_lease()
    drop(inbox, "again.csv", 1_900_000_100)
    assert second.round() == [] and second.holds_lease()  # ... and ws-b takes over
    (again,) = second.round()
    assert again.outcome == "done" and report_of(again.report)["duplicates"] == 1
    assert len(_numbers(database)) == 1  # the same order, not twice


def test_the_thread_files_a_good_and_a_broken_file(database, admin, inbox):
    worker = WatchWorker(database, "till-1", interval=0.05, term=timedelta(seconds=30))
    drop(inbox, "orders.csv", 1_900_000_000)
    drop(inbox, "broken.csv", 1_900_000_100, "this,is,not\nan,order,export\n")
    filed: list = []
    worker.on_filed = filed.append
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(filed) < 2:
            time.sleep(0.05)
        assert worker.holds_lease()
    finally:
        worker.stop()
    assert [(f.name, f.outcome) for f in filed] == [
        ("orders.csv", "done"),
        ("broken.csv", "failed"),
    ]
    assert _numbers(database) != []  # the order is in Kestrel
    assert sorted(p.name for p in (inbox / "done").iterdir()) == [
        "orders.csv",
        "orders.csv.report.json",
    ]
    broken = report_of(str(inbox / "failed" / "broken.csv.report.json"))
    assert broken["outcome"] == "failed" and "not a Shopify orders export" in broken["error"]
    assert not [p for p in inbox.iterdir() if p.is_file()]
    assert not worker.holds_lease()
