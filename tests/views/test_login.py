"""The sign-in dialog: a refusal in words, the password cleared; the password check runs
in the background, with the button greyed and "Signing in…" meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core import auth
from app.views.login import LoginDialog


def test_sign_in_dialog(qtbot, store, settle):
    database, _ = store
    dialog = LoginDialog(database, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle()
    assert dialog.error.text() == "Wrong user name or password."
    assert dialog.password.text() == ""
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.password, "admin-pass")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor.username == "admin"
    assert dialog.actor.workstation == "till-1"


def test_the_password_check_runs_while_the_dialog_shows_it_is_busy(qtbot, store, settle):
    database, _ = store
    dialog = LoginDialog(database, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("admin")
    dialog.password.setText("admin-pass")
    dialog.try_sign_in()  # returns at once: Argon2 runs on the thread pool
    assert not dialog.ok_button.isEnabled() and dialog.error.text() == "Signing in…"
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    dialog.try_sign_in()  # Enter again meanwhile: still one check
    settle()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.ok_button.isEnabled() and dialog.error.text() == ""
    with database.read() as s:
        from app.core import audit

        logins = audit.search(s, dialog.actor, "till-1", "login", 0, 10)
    assert len(logins) == 1


def test_a_sign_in_before_the_database_is_open_waits_for_it(qtbot, store, settle):
    """At start-up the window shows while the database opens (views/start.py): Enter
    pressed meanwhile says "Signing in…" and goes ahead once the database is handed in."""
    database, _ = store
    dialog = LoginDialog(None, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.where.text() == "Database: opening…"
    dialog.username.setText("admin")
    dialog.password.setText("admin-pass")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle()
    assert dialog.error.text() == "Signing in…" and not dialog.ok_button.isEnabled()
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    dialog.set_database(database)
    settle()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor.username == "admin"
    assert dialog.where.text() == f"Database: {database.description}"


def test_the_main_window_is_built_hidden_while_the_password_is_checked(qtbot, store, settle):
    """views/start.py builds the main window for the name's user while Argon2 runs
    (views/app.py Prepared): never shown by that, handed over only for the very actor
    the check verified, built again for anyone else."""
    from dataclasses import replace

    from app.config import WorkstationSettings
    from app.views.app import Prepared

    database, _ = store
    prepared = Prepared(replace(WorkstationSettings(), workstation_name="till-1"))
    dialog = LoginDialog(database, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preparing = lambda name: prepared.build(database, name)
    dialog.username.setText("admin")
    dialog.password.setText("wrong")
    dialog.try_sign_in()
    built = prepared._built
    assert built is not None and built[0].username == "admin"  # while the check runs
    settle()
    assert dialog.error.text() == "Wrong user name or password."
    assert not built[2].isVisible()
    dialog.password.setText("admin-pass")
    dialog.try_sign_in()
    again = prepared._built
    assert again is not None and again[2] is not built[2]  # the refused one is dropped
    settle()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    ctx, window = prepared.take(database, dialog.actor)
    assert window is again[2] and ctx.actor == dialog.actor and not window.isVisible()
    qtbot.addWidget(window)
    dialog.preparing("admin")
    other = replace(dialog.actor, role=auth.Role.CASHIER)  # changed meanwhile
    ctx2, window2 = prepared.take(database, other)
    qtbot.addWidget(window2)
    assert ctx2.actor == other and window2 is not again[2]
    settle()
    ctx.bridge.close()  # as the app does when its window closes
    ctx2.bridge.close()
