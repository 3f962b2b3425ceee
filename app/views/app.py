"""GUI start-up after the sign-in window (views/start.py shows it first, light, and
imports this module on a worker thread while the user types): database (open, migrate or
refuse) -> first run or sign-in -> main window. Each step is logged."""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from app import config, db
from app.config import WorkstationSettings
from app.core import auth
from app.core.auth import Actor
from app.core.bootstrap import ensure_base_data
from app.core.errors import KestrelError
from app.core.i18n import _
from app.core.settings import all_settings
from app.services.access import login as access_login
from app.services.printing import printers
from app.services.stock import lots
from app.views import tasks
from app.views.context import AppContext, ChangeBridge
from app.views.main_window import MainWindow, first_screen
from app.views.ops import query
from app.views.purchasing.daily_reorder import reorder_at_sign_in
from app.views.qt_i18n import use_user_language
from app.views.settings.db_dialog import Choice, DatabaseProblemDialog
from app.views.tasks import wait_for_background

if TYPE_CHECKING:
    from app.services.channels.watch_worker import WatchWorker
    from app.services.notify.worker import MailWorker
    from app.services.printing.worker import PrintWorker
    from app.services.reports.fold_worker import FoldWorker

log = logging.getLogger("kestrel.ui")


def prepare_database(url: str) -> db.Database:
    """Open and check the database; create the schema on an empty one. Raises a
    KestrelError with words for every case a user can meet.

    Blocking on purpose (not views/ops.py): no window is open yet and the user has nothing
    to do until the database is ready; a problem is asked about in a dialog right after."""
    database = db.Database.open(url)
    try:
        db.check_connection(database.engine)
        state, _detail = db.schema_state(database.engine)
        if state is db.SchemaState.OUTDATED:
            answer = QMessageBox.question(
                None,
                _("Upgrade the database?"),
                _(
                    "{database} was made by an older Kestrel. Upgrade it now? "
                    "Other workstations must be updated to this version too."
                ).format(database=database.description),
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise KestrelError(_("The database was left as it is; Kestrel cannot use it."))
        if state is not db.SchemaState.CURRENT:
            db.migrate(database.engine)  # new, outdated; refuses newer or foreign in words
        with database.write() as session:
            ensure_base_data(session)
    except KestrelError:
        database.dispose()
        raise
    log.info("database ready: %s", database.description)
    return database


def open_quietly(url: str) -> tuple[db.Database | None, int, KestrelError | None]:
    """On start-up's worker, while the sign-in window shows: (the database, its number of
    users, None) when it is current and reachable; (None, 0, the problem or None) when the
    user must be asked something first (a problem, an upgrade, a new store), which
    open_database_interactive then does on the GUI thread."""
    try:
        database = db.Database.open(url)
    except KestrelError as exc:
        return None, 0, exc
    try:
        db.check_connection(database.engine)
        state, _ = db.schema_state(database.engine)
        if state is not db.SchemaState.CURRENT:
            database.dispose()
            return None, 0, None
        with database.write() as session:
            ensure_base_data(session)
        with database.read() as session:
            users = auth.user_count(session)
    except KestrelError as exc:
        database.dispose()
        return None, 0, exc
    log.info("database ready: %s", database.description)
    return database, users, None


def open_database_interactive(url: str, problem: KestrelError | None = None) -> db.Database | None:
    """`problem`: what start-up's worker already met, so it is not waited for twice."""
    while True:
        try:
            if problem is not None:
                first, problem = problem, None
                raise first
            return prepare_database(url)
        except KestrelError as exc:
            log.warning("database problem: %s", exc.message)
            asked = _asks_password(url) if "password" in exc.message.lower() else ""
            if asked:
                url = asked
                continue
            dialog = DatabaseProblemDialog(exc.message, url)
            dialog.exec()
            if dialog.choice is Choice.QUIT:
                return None
            if dialog.choice is Choice.OTHER:
                url = dialog.new_url
            elif dialog.choice is Choice.LOCAL:
                url = config.default_database_url()


def _asks_password(url: str) -> str:
    """A shared database whose password is not kept here (no keyring): ask for it."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    question = db.password_question(url)
    if not question:
        return ""
    password, ok = QInputDialog.getText(
        None, _("Database password"), question, QLineEdit.EchoMode.Password
    )
    if not ok or not password:
        return ""
    return db.with_password(url, password)


def sign_in_interactive(database: db.Database, settings: WorkstationSettings) -> Actor | None:
    from app.views.first_run import CreateAdminDialog
    from app.views.login import LoginDialog
    from app.views.setup_wizard import SetupWizard

    with database.read() as session:  # before any window: nothing to do meanwhile
        users = auth.user_count(session)
    if users == 0:
        create = CreateAdminDialog(database, settings.workstation_name)
        if create.exec() != CreateAdminDialog.DialogCode.Accepted or create.actor is None:
            return None
        wizard = SetupWizard(database, create.actor, settings.workstation_name)
        wizard.exec()
        if wizard.message:
            QMessageBox.information(None, _("Demo store"), wizard.message)
        return create.actor
    login = LoginDialog(database, settings.workstation_name)
    if login.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return login.actor


def build_context(database: db.Database, actor: Actor, settings: WorkstationSettings) -> AppContext:
    """Blocking: the main window is built from it, so nothing is on screen meanwhile. The
    signed-in user's language is set first, so the window is built in it."""
    use_user_language(QApplication.instance(), actor.language)
    with database.read() as session:
        shared = all_settings(session)
    return AppContext(
        database=database,
        actor=actor,
        workstation=settings,
        bridge=ChangeBridge(),
        currency=str(shared["currency"]),
        locale=str(shared["locale"]),
        prices=str(shared["prices"]),
        prices_include_tax=bool(shared["prices_include_tax"]),
    )


class PrintSignals(QObject):
    """Carries 'job sent' from the print worker's thread to the GUI thread."""

    sent = Signal(int, str, str, str)


def start_printing(ctx: AppContext, window: MainWindow) -> PrintWorker:
    """This workstation's print queue starts with the main window (and resumes whatever
    an earlier run left waiting)."""
    from app.services.printing.worker import PrintWorker

    signals = PrintSignals(window)
    signals.sent.connect(window.job_sent)
    worker = PrintWorker(ctx.database, ctx.workstation.workstation_name, on_sent=signals.sent.emit)
    # Blocking, like the worker's own recovery in start(): the window is not shown yet.
    with ctx.database.write() as session:
        printers.ensure_preview_printers(session, ctx.workstation.workstation_name)
    ctx.wake_printer = worker.wake
    return worker.start()


def start_mail(ctx: AppContext, interval: float = 15.0) -> MailWorker:
    """The shop's e-mail sender runs on every workstation's thread; only the one holding
    the lease (services/notify/lease.py) sends, another takes over when it lapses."""
    from app.services.notify.worker import MailWorker

    return MailWorker(ctx.database, ctx.workstation.workstation_name, interval).start()


class WatchSignals(QObject):
    """Carries 'a watched file was filed' from the watch thread to the status bar."""

    filed = Signal(str, str, str)  # file name, source, outcome (done / failed)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.filed.connect(self.show)

    @Slot(str, str, str)
    def show(self, name: str, source: str, outcome: str) -> None:
        if outcome == "done":
            text = _("{name} from {source}'s folder is imported (moved to done).")
        else:
            text = _(
                "{name} from {source}'s folder needs a look: moved to failed, its report beside it."
            )
        self.window.statusBar().showMessage(text.format(name=name, source=source), 10000)


def start_watch(
    ctx: AppContext, window: MainWindow | None = None, interval: float = 5.0
) -> WatchWorker:
    """The sources' watched folders are looked at from every workstation's thread; only
    the one holding the lease (services/channels/watch_worker.py) imports, so one file is
    never imported twice. The new orders reach the screens as any change does; each
    file filed is told on `window`'s status bar."""
    from app.services.channels.watch_worker import WatchWorker

    worker = WatchWorker(ctx.database, ctx.workstation.workstation_name, interval)
    if window is not None:
        signals = WatchSignals(window)
        worker.on_filed = lambda f: signals.filed.emit(f.name, f.source, f.outcome)
    return worker.start()


def start_fold(ctx: AppContext) -> FoldWorker:
    """The reports' closed days are folded from every workstation's thread, once at start
    and hourly; only the one holding the lease (services/reports/fold_worker.py) folds."""
    from app.services.reports.fold_worker import FoldWorker

    return FoldWorker(ctx.database, ctx.workstation.workstation_name).start()


def resident_mb() -> float:
    """This process's resident memory (Linux: VmRSS; elsewhere the peak getrusage gives)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _built(
    database: db.Database, actor: Actor, settings: WorkstationSettings
) -> tuple[AppContext, MainWindow]:
    """The main window for `actor`, its first screen asked for, not shown yet."""
    from app.views.feel import restore_window

    ctx = build_context(database, actor, settings)
    window = MainWindow(ctx, first_screen(actor))
    restore_window(window)
    return ctx, window


class Prepared:
    """The main window built, hidden, while a password check runs on the pool, for whom
    the name stands for (expected_actor); take() hands it over only for that very actor
    once verified, else builds a new one. Nothing here shows it."""

    def __init__(self, settings: WorkstationSettings) -> None:
        self.settings = settings
        self._built: tuple[Actor, AppContext, MainWindow] | None = None

    def build(self, database: db.Database, username: str) -> bool:
        self.discard()
        actor = expected_actor(database, username, self.settings)
        if actor is not None:
            self._built = (actor, *_built(database, actor, self.settings))
        return actor is not None

    def take(self, database: db.Database, actor: Actor) -> tuple[AppContext, MainWindow]:
        built, self._built = self._built, None
        if built is not None and built[0] == actor:
            return built[1], built[2]
        if built is not None:  # another user, or changed meanwhile (a role): built again
            _drop(built[1], built[2])
        return _built(database, actor, self.settings)

    def discard(self) -> None:
        if self._built is not None:
            _drop(self._built[1], self._built[2])
            self._built = None


def _drop(ctx: AppContext, window: MainWindow) -> None:
    """A main window never shown: its change bridge unsubscribed (the services' change
    sets would otherwise reach a deleted QObject), the window deleted."""
    ctx.bridge.close()
    window.deleteLater()


class PasswordCheck:
    """sign_in_given on the thread pool (Argon2 and the audit row, ~0.1-0.3 s), so the
    main window is built on the GUI thread meanwhile; wait() runs the event loop until
    the answer is in. A refusal is said on stderr, as sign_in_given's caller did."""

    def __init__(self, database: db.Database, username: str, settings: WorkstationSettings):
        self.done = False
        self.actor: Actor | None = None
        tasks.run_in_background(
            lambda _report: sign_in_given(database, username, settings),
            self._verified,
            self._refused,
        )

    def _verified(self, actor: Actor) -> None:
        self.actor, self.done = actor, True

    def _refused(self, exc: Exception) -> None:
        self.done = True
        if not isinstance(exc, KestrelError):
            raise exc  # a bug: the excepthook shows it
        print(f"kestrel: {exc.message}", file=sys.stderr)

    def wait(self) -> Actor | None:
        """The verified actor, or None when the check refused."""
        from PySide6.QtCore import QEventLoop

        while not self.done:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return self.actor


def warm_up(database: db.Database) -> None:
    """On start-up's worker, while the user types: Babel's data for the shop's locale and
    currency (~50 ms the first page's amounts would otherwise wait for)."""
    from app.core.money import format_money

    with database.read() as session:
        shared = all_settings(session)
    format_money(0, str(shared["currency"]), str(shared["locale"]))


def expected_actor(
    database: db.Database, username: str, settings: WorkstationSettings
) -> Actor | None:
    """Whom to build the main window for while the password is checked (PasswordCheck):
    None for an unknown name, a new password due, or a language of their own, since
    switching to it before the check would tell a wrong guess the name exists."""
    from app.core import i18n

    with database.read() as session:
        actor = access_login.expected_actor(session, username, settings.workstation_name)
    if actor is None or actor.must_change_password:
        return None
    if i18n.choose_language(actor.language) != i18n.current_language():
        return None
    return actor


def sign_in_given(database: db.Database, username: str, settings: WorkstationSettings) -> Actor:
    """--sign-in (bench, kiosk scripts): the password from KESTREL_PASSWORD, no dialog.
    Raises a KestrelError with words when it is refused or a new password is due."""
    actor = access_login.sign_in(
        database, username, os.environ.get("KESTREL_PASSWORD", ""), settings.workstation_name
    )
    if actor.must_change_password:
        raise KestrelError(
            _("{name} must choose a new password: sign in here.").format(name=username)
        )
    return actor


def run_main_window(
    app: QApplication,
    database: db.Database,
    actor: Actor,
    settings: WorkstationSettings,
    started: float,
    exit_when_ready: bool = False,
    open_every_screen: bool = False,
    prepared: Prepared | None = None,
) -> int:
    """The signed-in part of a start, up to the end of the run. `prepared`: the main
    window built while the password was checked, used if it was built for `actor`."""
    if prepared is not None:
        ctx, window = prepared.take(database, actor)
    else:
        ctx, window = _built(database, actor, settings)
    log.info("signed in: %s (%s)", actor.username, actor.role.value)
    workers: list[PrintWorker | MailWorker | WatchWorker | FoldWorker] = []

    def start_workers() -> None:
        """After the first page is in: the workers' threads (and the print queue's
        recovery, the preview printers' write) do not compete with it for the GIL."""
        if not workers:
            workers.extend((start_printing(ctx, window), start_mail(ctx), start_watch(ctx, window)))
            workers.append(start_fold(ctx))

    from app.live import ChangeListener

    listener = ChangeListener(database.engine.url, on_status=ctx.bridge.connection.emit).start()
    from app.views.scanner import ScannerFilter

    scanner = ScannerFilter(
        settings.scanner_max_key_interval_ms, settings.scanner_min_length, window
    )
    scanner.scanned.connect(window.route_scan)
    scanner.install(app)
    window.show()
    query(window, ctx, lots.prepare_gs1_scans).run()
    if not exit_when_ready:  # (the start-up bench measures the window, not a run)
        reorder_at_sign_in(window, ctx)
    from app import paths

    if paths.WARNINGS and not exit_when_ready:
        QMessageBox.warning(window, "Kestrel", "\n\n".join(paths.WARNINGS))

    def first_page_in() -> None:
        if not tasks.idle():  # the first page (and the status bar) still loading
            QTimer.singleShot(1, first_page_in)
            return
        if exit_when_ready:
            print(
                f"ready {time.perf_counter() - started:.4f} {time.process_time():.4f}", flush=True
            )
        start_workers()
        if exit_when_ready:
            if open_every_screen:
                from app.views.main_window import SCREENS

                for name in SCREENS:
                    window.show_screen(name)
                    app.processEvents()
                print(f"rss {resident_mb():.1f}", flush=True)
            app.quit()

    QTimer.singleShot(0, first_page_in)
    code = app.exec()
    listener.stop()
    for running in workers:  # the print queue, the e-mail sender, the folders, the fold
        running.stop()
    wait_for_background()
    database.dispose()
    return code
