"""Watched folders (issue 17 item 1): every source with a `watch_dir` has the files dropped
there imported, oldest first, and filed away with a report beside them.

A file is taken only once it has stopped growing (the same size and time at two looks)
and not while it is named `*.part` or hidden (how uploaders write a file before they
rename it). Each file is one import in its own transaction, with bad orders skipped
(`skip_bad`): one refused order never holds back the good ones of its file. The file
then moves to `done/` when every order in it is accounted for (imported, already there,
or cancelled at the source), else to `failed/` (the file could not be read, or an order
was refused or changed at the source: a person looks; dropping the corrected file in
again imports only what is missing), with `NAME.report.json` beside it holding the
import's JSON (what was written, and each refusal with its rows and reasons). When the
database cannot be reached the file stays where it is and is tried again at the next look.

This runs from `kestrel source watch [--once]`, and inside the app on the workstation
that holds the watch lease (watch_worker.py: the same `watch_once`; no Qt here).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import DatabaseUnavailable, KestrelError
from app.db import Database
from app.models import OrderSource, utcnow
from app.services.channels import order_import

log = logging.getLogger("kestrel.channels")
DONE, FAILED = "done", "failed"
WRITING_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload")
REPORT_SUFFIX = ".report.json"
Looks = dict[str, tuple[int, int]]  # path -> (size, mtime in ns) at the last look


@dataclass(frozen=True)
class WatchedFolder:
    source: str
    folder: Path


@dataclass(frozen=True)
class Filed:
    """What became of one file: `outcome` done or failed, where it and its report went."""

    source: str
    name: str
    outcome: str
    moved_to: str
    report: str
    summary: str


def watched_folders(session: Session, actor: Actor) -> list[WatchedFolder]:
    """The active sources that have a watched folder."""
    require(actor, Permission.DATA_IMPORT)
    rows = session.execute(
        select(OrderSource.name, OrderSource.watch_dir)
        .where(OrderSource.active.is_(True), OrderSource.watch_dir != "")
        .order_by(OrderSource.name)
    )
    return [WatchedFolder(name, Path(folder).expanduser()) for name, folder in rows]


def _candidates(folder: Path) -> list[Path]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return [
        p
        for p in entries
        if p.is_file()
        and not p.name.startswith(".")
        and not p.name.lower().endswith(WRITING_SUFFIXES)
        and not p.name.endswith(REPORT_SUFFIX)
    ]


def ready_files(folder: Path, looks: Looks) -> list[Path]:
    """The files of `folder` that have not changed since the last look, oldest first;
    records this look in `looks` (a file seen for the first time waits for the next)."""
    ready: list[tuple[int, str, Path]] = []
    for path in _candidates(folder):
        try:
            stat = path.stat()
        except OSError:
            continue  # gone meanwhile (renamed by its uploader)
        key, now = str(path), (stat.st_size, stat.st_mtime_ns)
        if looks.get(key) == now:
            ready.append((stat.st_mtime_ns, path.name, path))
        looks[key] = now
    return [path for _mtime, _name, path in sorted(ready)]


def _free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or with the time before the suffix when a file of that name is there."""
    target = folder / name
    if not target.exists() and not (folder / (name + REPORT_SUFFIX)).exists():
        return target
    stem, suffix = os.path.splitext(name)
    return folder / f"{stem}.{utcnow().strftime('%Y%m%dT%H%M%S%f')}{suffix}"


def file_away(path: Path, outcome: str, report: dict[str, object]) -> tuple[Path, Path]:
    """Move `path` into its folder's done/ or failed/ and write its report beside it."""
    folder = path.parent / outcome
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, path.name)
    os.replace(path, target)
    report_path = target.with_name(target.name + REPORT_SUFFIX)
    partial = report_path.with_name(report_path.name + ".part")
    partial.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(partial, report_path)
    return target, report_path


def _summary(result: order_import.OrderImport) -> str:
    oi = order_import
    return (
        f"{result.count(oi.NEW)} new, {result.count(oi.DUPLICATE)} already imported, "
        f"{result.count(oi.CHANGED)} changed at the source, {result.count(oi.SKIPPED)} "
        f"skipped, {result.count(oi.REFUSED)} refused"
    )


def import_watched(database: Database, actor: Actor, source: str, path: Path) -> Filed | None:
    """Import one file in its own transaction and file it away; None when the database
    could not be reached (the file stays for the next look)."""
    require(actor, Permission.DATA_IMPORT)
    report: dict[str, object] = {"file": path.name, "source": source}
    try:
        with database.write() as session:
            result = order_import.import_file(session, actor, path, source, skip_bad=True)
    except DatabaseUnavailable as exc:
        log.warning("watched file %s waits: %s", path, exc.message)
        return None
    except KestrelError as exc:
        outcome, summary = FAILED, exc.message
        report["error"] = exc.message
    else:
        report |= result.as_json()
        looked_at = result.count(order_import.REFUSED) + result.count(order_import.CHANGED)
        outcome = FAILED if looked_at else DONE
        summary = _summary(result)
    report["outcome"], report["filed_at"] = outcome, utcnow().isoformat()
    target, report_path = file_away(path, outcome, report)
    log.info("watched file %s (%s): %s, %s", path.name, source, outcome, summary)
    return Filed(source, path.name, outcome, str(target), str(report_path), summary)


def watch_once(
    database: Database, actor: Actor, looks: Looks | None = None, settle: float = 1.0
) -> list[Filed]:
    """One pass over every watched folder. Without `looks` (a single run) it looks twice,
    `settle` seconds apart, so a file still being written is left for another run."""
    require(actor, Permission.DATA_IMPORT)
    with database.read() as session:
        folders = watched_folders(session, actor)
    if looks is None:
        looks = {}
        for watched in folders:
            ready_files(watched.folder, looks)
        time.sleep(settle)
    filed: list[Filed] = []
    for watched in folders:
        for path in ready_files(watched.folder, looks):
            done = import_watched(database, actor, watched.source, path)
            looks.pop(str(path), None)
            if done is not None:
                filed.append(done)
    return filed


def watch(
    database: Database,
    actor: Actor,
    *,
    interval: float = 5.0,
    stop: threading.Event | None = None,
    on_filed: Callable[[Filed], None] | None = None,
) -> None:
    """Look every `interval` seconds until `stop` is set; each filed file to `on_filed`."""
    require(actor, Permission.DATA_IMPORT)
    stop = stop or threading.Event()
    looks: Looks = {}
    while not stop.is_set():
        for filed in watch_once(database, actor, looks):
            if on_filed is not None:
                on_filed(filed)
        stop.wait(interval)
