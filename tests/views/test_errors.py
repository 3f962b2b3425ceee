"""Two kinds of error (issue 14 item 5): a domain error is told in words, anything else is
a bug, logged at ERROR with its traceback; background failures are never swallowed."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.errors import OutOfStock
from app.views import errors
from app.views.tasks import run_in_background


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


@pytest.fixture
def hook(qapp):
    before = sys.excepthook
    errors.install_excepthook()
    yield sys.excepthook
    sys.excepthook = before
    for box in _boxes():
        box.close()
        box.deleteLater()


def test_the_excepthook_tells_a_domain_error_in_words(hook, caplog):
    exc = OutOfStock("Only 2 of SKU-1 left.")
    hook(type(exc), exc, None)
    shown = [b for b in _boxes() if b.isVisible()]
    assert [b.text() for b in shown] == ["Only 2 of SKU-1 left."]
    assert "bug" not in shown[0].windowTitle()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.allow_log(logging.ERROR)
def test_the_excepthook_shows_anything_else_as_a_bug_logged_with_its_traceback(hook, caplog):
    try:
        raise KeyError("lost")
    except KeyError as exc:
        hook(type(exc), exc, exc.__traceback__)
    shown = [b for b in _boxes() if b.isVisible()]
    assert [b.windowTitle() for b in shown] == ["Kestrel hit a bug"]
    assert "KeyError" in shown[0].detailedText()
    bugs = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(bugs) == 1 and bugs[0].exc_info and bugs[0].exc_info[0] is KeyError


def _run(qtbot, work):
    got: list[Exception] = []
    run_in_background(work, lambda _r: None, got.append)
    qtbot.waitUntil(lambda: bool(got))
    return got[0]


@pytest.mark.allow_log(logging.ERROR)
def test_a_bug_in_a_background_task_is_logged_at_error_with_its_traceback(qtbot, caplog):
    def work(_report):
        raise ZeroDivisionError("boom")

    exc = _run(qtbot, work)
    bugs = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(bugs) == 1 and bugs[0].exc_info[0] is ZeroDivisionError
    errors.on_background_error("testing")(exc)  # already logged: not twice
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1


def test_a_domain_error_in_a_background_task_is_shown_not_logged_as_a_bug(qtbot, caplog):
    def work(_report):
        raise OutOfStock("Sold out.")

    exc = _run(qtbot, work)
    shown: list[str] = []
    errors.on_background_error("testing", shown.append)(exc)
    assert shown == ["Sold out."]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_no_view_swallows_a_background_error():
    from pathlib import Path

    views = Path(errors.__file__).parent
    silent = [p.name for p in views.rglob("*.py") if "lambda _exc: None" in p.read_text()]
    assert silent == []
