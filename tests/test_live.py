"""Many workstations on one database, as separate processes: no oversell under concurrent
sales, and live refresh of what another process commits (NOTIFY on PostgreSQL,
data_version on SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from app import live
from app.core import auth, changes
from app.core.changes import ChangeSet
from app.models import StockLevel
from app.services.sales import order_actions, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests import factories


def worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.remote_worker", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def url_of(database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def heard():
    """Every ChangeSet published in this process, with when it arrived."""
    got: list[tuple[float, ChangeSet]] = []
    lock = threading.Lock()

    def collect(change: ChangeSet) -> None:
        with lock:
            got.append((time.monotonic(), change))

    changes.subscribe(collect)
    yield got
    changes.unsubscribe(collect)


def test_another_process_commit_reaches_this_one_within_a_second(database, admin, heard):
    product = factories.product(database, admin, stock=5)
    customer = factories.customer(database, admin)
    with database.write() as s:
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(product, 1),), customer_id=customer)
        )
    statuses: list[bool] = []
    listener = live.ChangeListener(database.engine.url, on_status=statuses.append).start()
    try:
        deadline = time.monotonic() + 5
        while listener.connected is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)  # the first data_version is read
        with database.write() as s:  # our own commit: the local bus has it already
            order_actions.add_note(s, admin, ref.id, "local")
        heard.clear()
        started = time.monotonic()
        other = worker("confirm", url_of(database), str(ref.id))
        assert other.wait(60) == 0, other.stderr.read()
        committed = time.monotonic()
        deadline = committed + 1.0
        while time.monotonic() < deadline and not any(
            ref.id in c.orders or c.everything for _t, c in heard
        ):
            time.sleep(0.01)
        remote = [(t, c) for t, c in heard if ref.id in c.orders or c.everything]
        assert remote, f"nothing heard within 1 s of the commit ({heard})"
        assert remote[0][0] - started < 60
        if database.engine.dialect.name == "postgresql":
            assert "remote" in remote[0][1].kinds and ref.id in remote[0][1].orders
            # our own notices are not echoed back as remote ones
            assert not any("local" in str(c) for _t, c in heard)
    finally:
        listener.stop()
    assert statuses[0] is True


def test_listener_says_offline_for_a_server_that_is_not_there():
    from sqlalchemy.engine import make_url

    statuses: list[bool] = []
    url = make_url("postgresql+psycopg://kestrel@127.0.0.1:1/nothing")
    listener = live.ChangeListener(url, on_status=statuses.append, retry_seconds=0.1).start()
    try:
        deadline = time.monotonic() + 10
        while not statuses and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        listener.stop()
    assert statuses[:1] == [False]


def test_notice_payloads_stay_small_and_skip_our_own():
    many = ChangeSet(frozenset(range(5000)), frozenset(), frozenset({"orders"}))
    payload = changes.payload_for(many)
    assert len(payload) < 8000
    assert changes.change_from(payload) is None  # from this very process
    foreign = payload.replace(changes.ORIGIN, "someone-else")
    change = changes.change_from(foreign)
    assert change is not None and change.everything and "remote" in change.kinds
    assert changes.change_from("not json") is None


@pytest.mark.parametrize("processes", [4])
def test_concurrent_processes_never_oversell(pg_database, processes):
    """Four tills in four processes sell the same five scarce products at once."""
    from tests.conftest import _empty_pg

    database = pg_database
    _empty_pg(database)
    from app.core import auth
    from app.core.bootstrap import ensure_base_data

    with database.write() as s:
        ensure_base_data(s)
        created = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
    admin = auth.Actor(created.user_id, "admin", "Ada", auth.Role.ADMIN, "bench")
    stock = {}
    with database.write() as s:
        from app.services.sales.counter import counter_warehouse_id
        from app.services.stock import inventory

        shop_bin = factories.main_bin(s)
        assert counter_warehouse_id(s)
    for units in (7, 9, 11, 13, 15):
        pid = factories.product(database, admin, stock=0)
        with database.write() as s:
            inventory.receive(s, admin, pid, shop_bin, units)
        stock[pid] = units
    url = url_of(database)
    ids = [str(p) for p in stock]
    tills = [worker("sell", url, f"till-{n}", "40", str(n), *ids) for n in range(processes)]
    results = []
    for proc in tills:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    sold = {pid: sum(r["sold"][str(pid)] for r in results) for pid in stock}
    # none sold twice: what the tills sold plus what is left is exactly what was stocked
    # (not every unit need sell: a cart wanting 2 when 1 is left is refused whole)
    assert all(sold[pid] <= stock[pid] for pid in stock)
    assert sum(r["refused"] for r in results) > 0
    with database.read() as s:
        left = {pid: sum(r.on_hand for r in catalogue.product_stock(s, pid)) for pid in stock}
        assert {pid: sold[pid] + left[pid] for pid in stock} == stock
        negative = s.scalar(
            select(func.count()).select_from(StockLevel).where(StockLevel.on_hand < 0)
        )
        assert negative == 0
        assert check(s) == []


def test_a_dropped_connection_is_an_error_in_words_and_the_next_write_reconnects(
    pg_database, pg_server
):
    import psycopg

    from app.core.errors import DatabaseUnavailable
    from tests.conftest import _empty_pg

    database = pg_database
    _empty_pg(database)
    from app.core import auth
    from app.core.bootstrap import ensure_base_data

    with database.write() as s:
        ensure_base_data(s)
        auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
    name = database.engine.url.database
    with pytest.raises(DatabaseUnavailable, match="is not answering.*Nothing of this was saved"):
        with database.write() as s:
            auth.create_user(s, auth.SYSTEM, "half", "half-pass", auth.Role.CLERK, "Half")
            with psycopg.connect(pg_server, autocommit=True) as admin_conn:
                admin_conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
            s.flush()
            s.execute(select(func.count()).select_from(StockLevel))
    with database.write() as s:  # reconnected by itself; the half-made user is not there
        assert auth.user_count(s) == 1


def test_a_server_that_is_not_there_is_an_error_in_words():
    from app import db
    from app.core.errors import DatabaseUnavailable

    database = db.Database.open("postgresql+psycopg://kestrel@127.0.0.1:1/nothing")
    with pytest.raises(DatabaseUnavailable, match="is not answering"), database.read() as s:
        s.execute(select(func.count()).select_from(StockLevel))
    database.dispose()


def _started(listener: live.ChangeListener) -> None:
    deadline = time.monotonic() + 5
    while listener.connected is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # the first data_version is read


def test_sqlite_listener_skips_this_process_commits_but_hears_another_connection(sqlite_db, heard):
    """Every local commit (the print worker makes two a job) used to reach every screen
    as 'external': reload everything. Our own are on the local bus already."""
    import sqlite3

    with sqlite_db.write() as s:
        actor = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
    admin = auth.Actor(actor.user_id, "admin", "Ada", auth.Role.ADMIN, "bench-1")
    listener = live.ChangeListener(sqlite_db.engine.url, poll_seconds=0.05).start()
    try:
        _started(listener)
        heard.clear()
        for n in range(3):  # this process's commits, on this thread and on another
            factories.product(sqlite_db, admin, stock=n)
        other_thread = threading.Thread(target=factories.product, args=(sqlite_db, admin))
        other_thread.start()
        other_thread.join()
        time.sleep(0.5)
        assert not [c for _t, c in heard if c.everything], heard
        heard.clear()
        other = sqlite3.connect(sqlite_db.engine.url.database)  # not ours: another process's
        other.execute("UPDATE stock_levels SET on_hand = on_hand + 1")
        other.commit()
        other.close()
        committed = time.monotonic()
        while time.monotonic() < committed + 1.0 and not any(c.everything for _t, c in heard):
            time.sleep(0.01)
        assert [c for _t, c in heard if c.everything], "another connection's commit unheard"
    finally:
        listener.stop()
