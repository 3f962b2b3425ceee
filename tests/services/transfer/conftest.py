"""Helpers for the import tests: write a real file, preview it, apply it."""

from __future__ import annotations

import csv
import io

import pytest

from app.services.transfer import imports


def write_csv(path, rows, *, encoding="utf-8", delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run_import(database, actor, kind, path, *, skip_bad=False, update_existing=True, **kw):
    """Preview in a read session, apply in a write session, as the GUI and CLI do."""
    with database.read() as s:
        preview = imports.preview(s, actor, kind, path, **kw)
    with database.write() as s:
        result = imports.apply(
            s, actor, preview, skip_bad=skip_bad, update_existing=update_existing
        )
    return preview, result


@pytest.fixture
def importer(database, admin):
    def run(kind, path, **kw):
        return run_import(database, admin, kind, path, **kw)

    return run
