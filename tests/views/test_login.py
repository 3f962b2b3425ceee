"""The sign-in dialog: a refusal in words, the password cleared; the password check runs
in the background, with the button greyed and "Signing in…" meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Qt

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
