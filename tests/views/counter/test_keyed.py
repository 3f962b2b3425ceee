"""The counter when the server's answer to a sale's COMMIT is lost (issue 13, item 1): it
says the sale may have been saved, keeps it under the same key, and the sync counts it
once. Through a real TCP proxy on loopback that cuts the connection after the COMMIT."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import db
from app.admin.demo import build_demo
from app.config import WorkstationSettings
from app.core import auth
from app.core.bootstrap import ensure_base_data
from app.models import SalesOrder
from app.services.sales.counter import Tender
from app.views.app import build_context
from app.views.main_window import MainWindow
from tests.conftest import _empty_pg
from tests.pg_proxy import CuttingProxy
from tests.views import keyboard
from tests.views.conftest import counter_codes, show_active

pytestmark = pytest.mark.postgres


def _sales(database: db.Database) -> int:
    with database.read() as s:
        return s.scalar(
            select(func.count()).select_from(SalesOrder).where(SalesOrder.status == "completed")
        )


def _offline_receipts() -> set[Path]:
    from app import paths

    folder = paths.data_dir() / "preview"
    return {f for f in folder.glob("*offline-*") if f.stat().st_size}


def test_a_sale_whose_commit_answer_is_lost_may_be_saved_and_is_counted_once(
    qtbot, qapp, pg_database, settle
):
    _empty_pg(pg_database)
    with pg_database.write() as s:
        ensure_base_data(s)
        created = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
        actor = auth.Actor(created.user_id, "admin", "Ada", auth.Role.ADMIN, "till-cut")
        build_demo(s, actor, products=30, customers=5, orders=10, with_users=False)
    url = pg_database.engine.url
    proxy = CuttingProxy(url.host or "127.0.0.1", url.port or 5432)
    through = db.Database.open(url.set(host="127.0.0.1", port=proxy.port))
    ctx = build_context(through, actor, WorkstationSettings(workstation_name="till-cut"))
    receipts = _offline_receipts()
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        show_active(qtbot, window)
        screen = window.show_screen("Counter")
        screen.open_till("100.00")
        settle()
        (code,) = counter_codes(ctx, 1)
        keyboard.scan(qtbot, screen.input, code)
        settle()
        before = _sales(pg_database)

        proxy.cut_after_commit(then_refuse=True)  # committed, then the server is away
        screen.pay([Tender("cash", screen.cart.totals()[2])])
        settle()
        assert proxy.commits_cut == 1
        assert "may have been saved" in screen.message.text(), screen.message.text()
        assert screen.offline and screen.journal.pending_count() == 1
        assert _sales(pg_database) == before + 1  # it had landed
        # the offline receipt (to the preview printer, shared by the session's tests)
        qtbot.waitUntil(lambda: bool(_offline_receipts() - receipts), timeout=10_000)

        proxy.heal()
        screen.try_sync()
        settle()
        assert "already" in screen.message.text(), screen.message.text()
        assert screen.journal.pending_count() == 0 and not screen.offline
        assert _sales(pg_database) == before + 1  # and it is counted once
    finally:
        for made in _offline_receipts() - receipts:
            made.unlink()
        ctx.bridge.close()
        through.dispose()
        proxy.close()
