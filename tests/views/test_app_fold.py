"""views/app.py start_fold: with the app's context running, the fold worker takes the
lease at start and folds (here a store without orders: nothing to fold), and quitting
gives the lease up."""

from __future__ import annotations

import time

from app.services.notify import lease
from app.services.reports.fold_worker import ELECTION_KEY
from app.views.app import start_fold


def _holder(ctx) -> str:
    with ctx.database.read() as s:
        return lease.holder(s, ELECTION_KEY).holder


def test_the_app_folds_on_the_elected_workstation(ctx):
    worker = start_fold(ctx)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _holder(ctx):
            time.sleep(0.05)
        assert _holder(ctx) == ctx.workstation.workstation_name
    finally:
        worker.stop()
    assert _holder(ctx) == ""
