"""The counter without its server (views/counter/offline.py): it sells from the journal,
syncs when the server is back, and the probe never holds up the GUI thread."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import select

from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.views.main_window import MainWindow
from tests.views import keyboard
from tests.views.conftest import counter_codes, show_active


# the test cuts the server off: the pool cannot reset the connections it held
@pytest.mark.allow_log(logging.ERROR, logger="sqlalchemy.pool", match="Exception during reset")
def test_the_counter_sells_offline_and_syncs_when_the_server_is_back(
    qtbot, qapp, pg_database, pg_server, settle
):
    """The shared server stops taking connections mid-shift: the till keeps selling from
    its journal, says so, and syncs the sale once the server is back."""
    import psycopg
    from sqlalchemy import func

    from app.admin.demo import build_demo
    from app.config import WorkstationSettings
    from app.core import auth
    from app.core.bootstrap import ensure_base_data
    from app.models import OfflineSale
    from app.views.app import build_context
    from tests.conftest import _empty_pg

    database = pg_database
    _empty_pg(database)
    with database.write() as s:
        ensure_base_data(s)
        created = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
        actor = auth.Actor(created.user_id, "admin", "Ada", auth.Role.ADMIN, "till-off")
        build_demo(s, actor, products=40, customers=10, orders=30, with_users=False)
    ctx = build_context(database, actor, WorkstationSettings(workstation_name="till-off"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    screen = window.show_screen("Counter")
    screen.open_till("100.00")
    settle()
    (first,) = counter_codes(ctx, 1)
    keyboard.scan(qtbot, screen.input, first)  # online: looked up, and remembered by the journal
    settle()
    name = database.engine.url.database

    def server(allow: bool) -> None:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}')
            if not allow:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )

    try:
        qtbot.waitUntil(lambda: screen.journal.find(first) is not None)
        server(False)
        keyboard.scan(qtbot, screen.input, first)  # the lookup fails: the journal answers
        settle()
        assert screen.offline and "OFFLINE" in screen.till_label.text()
        assert [ln.quantity for ln in screen.cart.lines] == [2]
        screen.pay([Tender("cash", screen.cart.totals()[2] + 500)])
        settle()
        assert "Offline sale kept" in screen.message.text()
        assert "Change €5.00" in screen.message.text()
        from app import paths
        from app.admin.emulator import read_escpos

        folder = paths.data_dir() / "preview"
        qtbot.waitUntil(lambda: any(folder.glob("*offline-*")), timeout=10_000)
        (receipt,) = [f for f in folder.glob("*offline-*") if f.stat().st_size]
        text = read_escpos(receipt.read_bytes(), {})
        assert "OFFLINE" in text and "2 x " in text and "[DRAWER]" in text
        assert "1 sale waits" in screen.till_label.text()
        screen.try_sync()  # still away: nothing happens, nothing is lost
        settle()
        assert screen.journal.pending_count() == 1
    finally:
        server(True)
    screen.try_sync()
    settle()
    assert "1 offline sale synced" in screen.message.text(), screen.message.text()
    assert not screen.offline and screen.journal.pending_count() == 0
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(OfflineSale)) == 1
    ctx.bridge.close()


@pytest.mark.allow_log(logging.ERROR, logger="kestrel.offline", match="parked")
def test_the_counter_syncs_past_an_offline_sale_that_hits_a_bug(
    qtbot, counter_window, ctx, monkeypatch, settle
):
    from app.services.sales import offline

    _window, screen = counter_window
    first, second, _ = counter_codes(ctx)
    keyboard.scan(qtbot, screen.input, first)
    settle()
    keyboard.scan(qtbot, screen.input, second)
    settle()
    qtbot.waitUntil(lambda: screen.journal.find(second) is not None)
    keys = []
    for code in (first, second):
        cart = Cart()
        cart.add(screen.journal.find(code))
        total = cart.totals()[2]
        keys.append(
            screen.journal.record_sale(cart, [Tender("cash", total)], screen.till, "till-1")
        )
    real = offline._sync_one

    def buggy(database, actor, key, *rest):
        if key == keys[0]:
            raise KeyError("a bug")
        return real(database, actor, key, *rest)

    monkeypatch.setattr(offline, "_sync_one", buggy)
    screen.try_sync()
    settle()
    assert "1 offline sale synced" in screen.message.text(), screen.message.text()
    assert "1 parked for a manager" in screen.message.text()
    assert "1 offline sale parked for a manager" in screen.till_label.text()
    assert screen.journal.pending_count() == 0  # nothing left to retry for ever


def test_the_probe_for_the_server_never_holds_up_the_gui_thread(
    qtbot, counter_window, ctx, monkeypatch, settle
):
    """An unreachable server can take a connect timeout to say so: the probe waits on a
    worker while the till's event loop goes on (a timer fires while the ping hangs)."""
    import threading

    _window, screen = counter_window
    entered, release, answered = threading.Event(), threading.Event(), threading.Event()
    real_ping = ctx.database.ping

    def hanging_ping():
        entered.set()
        release.wait(5)  # the server that does not answer (released by the test)
        answered.set()
        return real_ping()

    monkeypatch.setattr(ctx.database, "ping", hanging_ping)
    screen.offline_mode.go_offline()
    ticks: list[bool] = []
    screen.try_sync()
    QTimer.singleShot(20, lambda: ticks.append(entered.is_set() and not answered.is_set()))
    qtbot.waitUntil(lambda: bool(ticks), timeout=5_000)
    assert ticks == [True]  # the GUI thread ran a timer while the ping was still waiting
    assert screen.offline  # and the till keeps selling offline meanwhile
    release.set()
    settle()
    assert not screen.offline and "0 offline sales synced" in screen.message.text()
