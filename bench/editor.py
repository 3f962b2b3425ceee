"""The product editor opens (issue 15: <= 100 ms on the 1 M store).

Two figures: the editor's one read (products.detail) next to the same SQL through plain
sqlite3, and the whole open as a clerk sees it (the dialog built and shown, the read done
off the GUI thread, the form filled) next to an empty dialog shown. Rows are returned as
tuples for run.py's Result.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event

from app import db
from app.core import auth
from app.services.stock import products

Row = tuple[str, float, str, str, float | None, str]


def _median_ms(fn: Callable[[], object], runs: int, warm: int = 3) -> float:
    for _ in range(warm):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _ids(raw: sqlite3.Connection, count: int) -> Callable[[], int]:
    rng = random.Random(15)
    top = raw.execute("SELECT MAX(id) FROM products").fetchone()[0]
    ids = [rng.randrange(1, top + 1) for _ in range(count)]
    position = [0]

    def next_id() -> int:
        position[0] = (position[0] + 1) % len(ids)
        return ids[position[0]]

    return next_id


def _statement(database: db.Database, product_id: int) -> tuple[str, object]:
    """The SQL products.detail sends, to replay through sqlite3 as the floor."""
    seen: list[tuple[str, object]] = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", grab)
    try:
        with database.read() as s:
            products.detail(s, auth.SYSTEM, product_id)
    finally:
        event.remove(database.engine, "before_cursor_execute", grab)
    return seen[-1]


def run(path: Path, runs: int) -> list[Row]:
    from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout

    from app.config import WorkstationSettings
    from app.views.app import build_context
    from app.views.products.editor import ProductEditor

    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    next_id = _ids(raw, 200)
    rows: list[Row] = []

    def read() -> object:
        with database.read() as s:
            return products.detail(s, auth.SYSTEM, next_id())

    statement, _params = _statement(database, next_id())

    def read_raw() -> object:
        return raw.execute(statement, (next_id(),)).fetchall()

    rows.append(
        (
            "product editor read (products.detail)",
            _median_ms(read, runs * 20),
            "ms",
            "raw sqlite3 same SQL",
            _median_ms(read_raw, runs * 20),
            "",
        )
    )
    app = QApplication.instance() or QApplication([])
    ctx = build_context(database, auth.SYSTEM, WorkstationSettings(workstation_name="bench"))

    def open_editor() -> object:
        editor = ProductEditor(ctx, next_id())
        editor.show()
        while not editor.loaded:
            app.processEvents()
            time.sleep(0.0005)
        app.processEvents()
        editor.close()
        editor.deleteLater()
        return editor

    def empty_dialog() -> object:
        dialog = QDialog()
        QVBoxLayout(dialog).addWidget(QLabel("empty"))
        dialog.show()
        app.processEvents()
        dialog.close()
        dialog.deleteLater()
        return dialog

    rows.append(
        (
            "product editor opens (shown, read, filled)",
            _median_ms(open_editor, runs * 5),
            "ms",
            "an empty dialog shown",
            _median_ms(empty_dialog, runs * 5),
            "<= 100 ms",
        )
    )
    app.processEvents()
    ctx.bridge.close()
    raw.close()
    database.dispose()
    return rows
