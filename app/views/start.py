"""The first part of a GUI start (issue 20): Qt, then the sign-in window at once.

Only Qt and light modules are imported before the sign-in window shows; SQLAlchemy, the
models, the services and the main window (views/app.py) are imported on a worker thread
while the user types, and the same worker opens and checks the database. What needs the
user (a database problem, an upgrade, a new store and its first run) is then asked on the
GUI thread as before. `python -X importtime -m app` shows the order; the test
tests/views/test_startup_imports.py keeps the heavy modules out of this part.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app import paths
from app.config import WorkstationSettings
from app.core.errors import KestrelError
from app.core.i18n import _
from app.views.errors import install_excepthook
from app.views.login import LoginDialog
from app.views.tasks import run_in_background

if TYPE_CHECKING:
    from app.core.auth import Actor
    from app.db import Database
    from app.views.app import Prepared

log = logging.getLogger("kestrel.ui")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_QT_NOISE = (
    "propagateSizeHints",
    "does not support raise()",
)  # the offscreen platform's harmless complaint


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    if any(noise in message for noise in _QT_NOISE):
        level = logging.DEBUG
    logging.getLogger("kestrel.qt").log(level, message)


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_qt_message)
        app = QApplication(sys.argv)
        app.setApplicationName("Kestrel")
        app.setOrganizationName("Kestrel")
        from app.views.qt_i18n import install_qt_translations

        install_qt_translations(app)  # standard buttons and dialogs in the user's language
        icon = paths.resources_dir() / "kestrel.svg"
        if icon.exists():  # an SVG: sharp at every scale factor
            from PySide6.QtGui import QIcon

            app.setWindowIcon(QIcon(str(icon)))
    assert isinstance(app, QApplication)
    return app


class Outcome(IntEnum):
    """Why the first sign-in window closed, besides a sign-in (Accepted) or Cancel."""

    ASK = 10  # the database needs the user first: a problem, an upgrade, a new store
    GIVEN = 11  # --sign-in: the database is open, sign in without the dialog


def sign_in_window(settings: WorkstationSettings, username: str = "") -> LoginDialog:
    """The sign-in window, shown before the database is open (set_database follows)."""
    from app.views.theme import apply_theme  # (not feel.py: it builds Qt's namespace enums)

    apply_theme(ensure_app(), settings.theme)  # the database dialogs too, not only this one
    login = LoginDialog(None, settings.workstation_name)
    if username:  # --sign-in: nothing to type, the window only says what is going on
        login.username.setText(username)
        login.error.setText(_("Signing in as {name}…").format(name=username))
        login.ok_button.setEnabled(False)
    login.show()
    return login


class _Start:
    """What the worker found, kept until the sign-in window closes."""

    def __init__(self) -> None:
        self.database: Database | None = None
        self.users = 0
        self.problem: KestrelError | None = None
        self.prepared: Prepared | None = None  # the main window built while Argon2 runs


# Imported after sign-in otherwise, each a few tens of ms the sign-in would wait for.
SIGNED_IN_MODULES = (
    "app.views.feel",
    "app.views.scanner",
    "app.live",
    "app.services.printing.worker",
    "app.services.notify.worker",  # (its sender and attachments: ~250 ms at a load of 7)
    "app.services.channels.watch_worker",
    "app.services.reports.fold_worker",
    "app.services.sales.offline",  # the dashboard's offline-tills tile
)


def _load(url: str) -> tuple[Database | None, int, KestrelError | None]:
    """On the worker: everything the signed-in part imports, then the database."""
    import importlib

    from app.views import app as full  # the heavy part: SQLAlchemy, models, main window
    from app.views.main_window import FIRST_SCREEN_MODULES

    for name in (*SIGNED_IN_MODULES, *FIRST_SCREEN_MODULES):
        importlib.import_module(name)
    database, users, problem = full.open_quietly(url)
    if database is not None and users:
        full.warm_up(database)
    return database, users, problem


def run_gui(
    url: str,
    settings: WorkstationSettings,
    sign_in: str | None = None,
    exit_when_ready: bool = False,
    open_every_screen: bool = False,
) -> int:
    started = time.perf_counter()
    app = ensure_app()
    install_excepthook()
    login = sign_in_window(settings, sign_in or "")
    mark = _milestones(started, exit_when_ready)
    found = _Start()

    def loaded(result: tuple[Database | None, int, KestrelError | None]) -> None:
        mark("loaded")
        found.database, found.users, found.problem = result
        if found.database is None or found.users == 0:
            login.done(Outcome.ASK)
        elif sign_in:
            login.done(Outcome.GIVEN)
        else:
            from app.views import app as full  # (loaded by now, on the worker)

            database, prepared = found.database, full.Prepared(settings)
            found.prepared = prepared
            login.preparing = lambda name: prepared.build(database, name)
            login.set_database(database)

    def failed(exc: Exception) -> None:
        # A bug (logged by the worker): asked again on the GUI thread, where it is shown.
        found.problem = exc if isinstance(exc, KestrelError) else None
        login.done(Outcome.ASK)

    def shown() -> None:  # the worker starts once the window is up, not competing with it
        mark("sign-in window")
        run_in_background(lambda _report: _load(url), loaded, failed, owner=login)

    QTimer.singleShot(0, shown)
    outcome = login.exec()
    if outcome not in (Outcome.ASK, Outcome.GIVEN, LoginDialog.DialogCode.Accepted):
        return 1  # closed before signing in
    from app.views import app as full

    database = found.database
    if database is None:
        database = full.open_database_interactive(url, found.problem)
        if database is None:
            return 1
    if sign_in:
        mark("signing in")
        found.prepared = full.Prepared(settings)
    actor = _signed_in(database, settings, outcome, login, found.prepared, sign_in)
    if actor is None:
        if found.prepared is not None:
            found.prepared.discard()
        database.dispose()
        return 2 if sign_in else 1
    return full.run_main_window(
        app, database, actor, settings, started, exit_when_ready, open_every_screen, found.prepared
    )


def _signed_in(
    database: Database,
    settings: WorkstationSettings,
    outcome: int,
    login: LoginDialog,
    prepared: Prepared | None,
    sign_in: str | None,
) -> Actor | None:
    """Who signed in: the sign-in window's answer, or --sign-in's (its password checked on
    the pool while the main window is built, hidden, for the name's user), or the
    dialogs the database needed first. None: cancelled or refused (told on stderr)."""
    from app.views import app as full

    if sign_in:
        check = full.PasswordCheck(database, sign_in, settings)
        if prepared is not None:
            prepared.build(database, sign_in)  # while Argon2 runs on the pool
        return check.wait()
    if outcome == Outcome.ASK:
        return full.sign_in_interactive(database, settings)
    return login.actor


def _milestones(started: float, exit_when_ready: bool) -> Callable[[str], None]:
    """With --exit-when-ready, 'NAME SECONDS' lines for the start-up bench (bench/startup.py)."""

    def mark(name: str) -> None:
        if exit_when_ready:  # wall seconds since run_gui, CPU seconds of the process
            print(
                f"{name} {time.perf_counter() - started:.4f} {time.process_time():.4f}", flush=True
            )
        log.info("start-up: %s after %.0f ms", name, (time.perf_counter() - started) * 1000)

    return mark
