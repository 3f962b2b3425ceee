"""Settings > Database > "Check the database": `kestrel check` on a worker, its progress on
a bar, its findings in words; greyed for a role that may not see the audit log."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from app.core import auth
from app.services.stock import integrity
from app.views.settings.store_check import StoreCheck


def test_the_check_runs_on_a_worker_with_progress_and_says_what_it_found(qtbot, ctx, settle):
    page = StoreCheck(ctx)
    qtbot.addWidget(page)
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    page.run()
    assert not page.button.isEnabled()  # a second click cannot start a second check
    settle()
    assert "No problems" in page.outcome.text(), page.outcome.text()
    assert seen[-1] == integrity.STAGES and len(set(seen)) > 2  # step by step, to the end
    assert page.button.isEnabled() and not page.progress.isVisible()

    with ctx.database.write() as s:  # a level the ledger does not explain
        s.execute(text("UPDATE stock_levels SET on_hand = on_hand + 7 WHERE rowid = "
                       "(SELECT MIN(rowid) FROM stock_levels WHERE on_hand > 0)"))  # fmt: skip
    page.run()
    settle()
    assert "1 problem found" in page.outcome.text(), page.outcome.text()
    assert "[stock-ledger]" in page.outcome.text()


def test_a_cashier_may_not_check_the_database(qtbot, ctx):
    cashier = replace(ctx, actor=replace(ctx.actor, role=auth.Role.CASHIER))
    page = StoreCheck(cashier)
    qtbot.addWidget(page)
    assert not page.button.isEnabled()
    assert "audit.view" in page.button.toolTip()
