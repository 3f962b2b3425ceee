"""views/app.py start_watch: with the app's context running, a file dropped in a source's
watched folder is taken and filed (here a broken one, in failed/ with its report), the
status bar says so, and quitting gives the watch lease up."""

from __future__ import annotations

import json
import time

from PySide6.QtWidgets import QMainWindow

from app.services.channels import sources
from app.views.app import start_watch


def test_the_app_files_what_is_dropped_in_a_watched_folder(ctx, tmp_path, qtbot):
    window = QMainWindow()  # the status bar is all start_watch uses of the main window
    qtbot.addWidget(window)
    folder = tmp_path / "in"
    folder.mkdir()
    with ctx.database.write() as s:
        sources.add_source(s, ctx.actor, "webshop", "shopify-csv", watch_dir=str(folder))
    (folder / "export.csv").write_text("this,is,not\nan,order,export\n", encoding="utf-8")
    worker = start_watch(ctx, window, interval=0.05)  # type: ignore[arg-type]
    report = folder / "failed" / "export.csv.report.json"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not report.exists():
            time.sleep(0.05)
        assert worker.holds_lease()
        qtbot.waitUntil(lambda: "moved to failed" in window.statusBar().currentMessage())
    finally:
        worker.stop()
    assert (folder / "failed" / "export.csv").exists()
    assert json.loads(report.read_text(encoding="utf-8"))["source"] == "webshop"
    assert not worker.holds_lease()
