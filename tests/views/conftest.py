"""GUI fixtures: a small demo store on a real SQLite file and a signed-in admin."""

from __future__ import annotations

import pytest

from app.admin.demo import build_demo
from app.config import WorkstationSettings
from app.core import auth
from app.views.app import build_context

ADMIN = ("admin", "admin-pass", "Ada Admin")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, sqlite_template):
    """The GUI tests' demo store, built once per session (a migrated file, base data, an
    administrator, 60 products, 25 customers, 250 orders); each test gets a copy."""
    import shutil

    from app import db
    from app.core.bootstrap import ensure_base_data

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    shutil.copyfile(sqlite_template, path)
    database = db.Database.open(f"sqlite:///{path}")
    with database.write() as s:
        ensure_base_data(s)
        created = auth.create_user(s, None, ADMIN[0], ADMIN[1], auth.Role.ADMIN, ADMIN[2])
        actor = auth.Actor(created.user_id, ADMIN[0], ADMIN[2], auth.Role.ADMIN, "till-1")
        build_demo(s, actor, products=60, customers=25, orders=250, with_users=False)
    with database.engine.connect() as conn:  # everything into the main file, then copy it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path, created.user_id


def open_demo_copy(template, target):
    """A fresh copy of the demo store and its signed-in administrator."""
    import shutil

    from app import db

    path, admin_id = template
    shutil.copyfile(path, target)
    database = db.Database.open(f"sqlite:///{target}")
    return database, auth.Actor(admin_id, ADMIN[0], ADMIN[2], auth.Role.ADMIN, "till-1")


@pytest.fixture
def store(demo_template, tmp_path):
    database, actor = open_demo_copy(demo_template, tmp_path / "kestrel.sqlite")
    yield database, actor
    database.dispose()


@pytest.fixture
def emulator(tmp_path):
    from app.admin.emulator import PrinterEmulator

    with PrinterEmulator(port=0, out_dir=tmp_path / "printed") as printer:
        yield printer


@pytest.fixture
def ctx(store, qapp):
    database, actor = store
    context = build_context(database, actor, WorkstationSettings(workstation_name="till-1"))
    yield context
    context.bridge.close()


def show_active(qtbot, window) -> None:
    """Show a window and make it the active one, so its keyboard shortcuts fire."""
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


@pytest.fixture(scope="module")
def shop_language():
    """The language the shared demo window is built in: KESTREL_TEST_LANG=de runs the
    screen tests (fit, theme, actions) in German; a module may set its own."""
    import os

    return os.environ.get("KESTREL_TEST_LANG", "en")


@pytest.fixture(scope="module")
def shop(tmp_path_factory, demo_template, qapp, shop_language):
    """One demo store and one signed-in main window for a whole test module (the theme,
    fit and action tests look at every screen; building a store per test would cost
    minutes). Tests must leave the window as they found it."""

    from app.core import i18n
    from app.views.main_window import MainWindow
    from app.views.tasks import wait_for_background

    database, actor = open_demo_copy(
        demo_template, tmp_path_factory.mktemp("shop") / "kestrel.sqlite"
    )
    context = build_context(database, actor, WorkstationSettings(workstation_name="till-1"))
    # after build_context, which sets the signed-in user's language (else the system's)
    i18n.use_language(shop_language)
    from app.views.theme import apply_theme

    apply_theme(qapp, "light")  # as the application does before its main window
    window = MainWindow(context)
    yield window
    window.close()
    wait_for_background()
    window.deleteLater()
    qapp.processEvents()
    context.bridge.close()
    database.dispose()
    i18n.use_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture
def settle(qtbot):
    """Wait until every operation a screen started (views/ops.py) has reported back: a
    click starts its service call on a worker thread, and its result lands a moment later."""
    from app.views import tasks

    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(tasks.idle, timeout=timeout)

    return wait


def counter_codes(ctx, count=3):
    """EANs of products with stock on the shop's counter shelves."""
    from sqlalchemy import select

    from app.models import Barcode, Location, StockLevel

    with ctx.database.read() as s:
        return list(
            s.scalars(
                select(Barcode.code)
                .join(StockLevel, StockLevel.product_id == Barcode.product_id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.code == "SHOP-COUNTER", StockLevel.on_hand >= 3)
                .order_by(Barcode.product_id)
                .limit(count)
            )
        )


def answer_modal(kind, action, delay=50):
    """Act on the next modal dialog of `kind`; if the action fails, close the dialog so the
    test reports the failure instead of hanging in exec()."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def run():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, run)
            return
        try:
            action(dialog)
        except BaseException:
            dialog.reject()
            raise

    QTimer.singleShot(delay, run)
