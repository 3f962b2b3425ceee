"""Start-up in real widgets: first run on an empty store, and a database that cannot be used."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select, text

from app import db
from app.models import SalesOrder
from app.services.errors import KestrelError
from app.views.app import prepare_database
from app.views.db_dialog import Choice, DatabaseProblemDialog
from app.views.first_run import CreateAdminDialog, StoreChoiceDialog


def test_first_run_creates_admin_then_loads_demo(qtbot, sqlite_db):
    create = CreateAdminDialog(sqlite_db, "till-1")
    qtbot.addWidget(create)
    create.show()
    qtbot.keyClicks(create.display_name, "Nora Owner")
    qtbot.keyClicks(create.password, "s3cret-pass")
    qtbot.keyClicks(create.repeat, "different")
    qtbot.keyClick(create.repeat, Qt.Key.Key_Return)
    assert create.error.text() == "The two passwords differ."
    create.repeat.clear()
    qtbot.keyClicks(create.repeat, "s3cret-pass")
    qtbot.keyClick(create.repeat, Qt.Key.Key_Return)
    assert create.result() == CreateAdminDialog.DialogCode.Accepted
    assert (create.actor.username, create.actor.display_name) == ("admin", "Nora Owner")

    choice = StoreChoiceDialog(sqlite_db, create.actor)
    qtbot.addWidget(choice)
    choice.show()
    with qtbot.waitSignal(choice.accepted, timeout=30_000):
        qtbot.mouseClick(choice.demo_button, Qt.MouseButton.LeftButton)
    assert choice.loaded_demo
    assert "manager" in choice.message and "demo1234" in choice.message
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) > 0


def test_start_empty(qtbot, sqlite_db):
    from app.services import auth

    with sqlite_db.write() as s:
        actor = auth.create_user(s, None, "admin", "s3cret-pass", auth.Role.ADMIN)
    choice = StoreChoiceDialog(sqlite_db, actor)
    qtbot.addWidget(choice)
    qtbot.mouseClick(choice.empty_button, Qt.MouseButton.LeftButton)
    assert choice.result() == StoreChoiceDialog.DialogCode.Accepted and not choice.loaded_demo


def test_unreachable_server_is_explained(qapp):
    with pytest.raises(KestrelError, match=r"Cannot open the database \(shared server"):
        prepare_database("postgresql://kestrel@127.0.0.1:1/shop")


def test_newer_schema_is_refused_at_start(qapp, tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    prepare_database(url).dispose()
    database = db.Database.open(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    database.dispose()
    with pytest.raises(KestrelError, match="newer Kestrel"):
        prepare_database(url)


def test_problem_dialog_choices(qtbot):
    dialog = DatabaseProblemDialog("Cannot open the database", "postgresql://x@h/db")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.findChild(object, "choice_local"), Qt.MouseButton.LeftButton)
    assert dialog.choice is Choice.LOCAL
    assert dialog.result() == DatabaseProblemDialog.DialogCode.Accepted
