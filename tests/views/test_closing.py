"""Closing never crashes: a cashier's session (sale, receipt preview, refund, every screen
opened with its background reads in flight, then the window closed), several rounds, in a
process of its own — a segmentation fault there fails this test instead of the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_closing_after_a_sale_its_preview_and_a_refund_never_crashes(tmp_path):
    env = {**os.environ, "KESTREL_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.views.closing_run", str(tmp_path / "k.sqlite"), "4"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "closed cleanly" in done.stdout
    assert "shared QObject was deleted directly" not in done.stderr
    assert "QObject::" not in done.stderr  # no other ownership or thread complaint either
