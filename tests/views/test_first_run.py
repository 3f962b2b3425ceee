"""First run on an empty store: the administrator is created (the password hashed in the
background, so the dialog waits for it)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core import auth
from app.views.first_run import CreateAdminDialog


def test_first_run_creates_the_administrator(qtbot, sqlite_db, settle):
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
    settle()
    assert create.result() == CreateAdminDialog.DialogCode.Accepted
    assert (create.actor.username, create.actor.display_name) == ("admin", "Nora Owner")
    assert create.actor.workstation == "till-1"
    with sqlite_db.read() as s:
        assert auth.user_count(s) == 1


def test_a_refused_administrator_stays_in_the_dialog_in_words(qtbot, sqlite_db, settle):
    create = CreateAdminDialog(sqlite_db, "till-1")
    qtbot.addWidget(create)
    create.show()
    for field in (create.password, create.repeat):
        qtbot.keyClicks(field, "short")
    qtbot.keyClick(create.repeat, Qt.Key.Key_Return)
    settle()
    assert "at least" in create.error.text()
    assert create.ok_button.isEnabled() and create.actor is None
    assert create.result() != CreateAdminDialog.DialogCode.Accepted


def test_first_run_holds_the_default_minimum_of_ten(qtbot, sqlite_db, settle):
    """No setting yet on a first run: the shop's default (10) applies, not the built-in 8."""
    create = CreateAdminDialog(sqlite_db, "till-1")
    qtbot.addWidget(create)
    create.show()
    for field in (create.password, create.repeat):
        qtbot.keyClicks(field, "nine-char")
    qtbot.keyClick(create.repeat, Qt.Key.Key_Return)
    settle()
    assert "at least 10" in create.error.text()
    assert create.actor is None
