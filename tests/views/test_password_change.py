"""app/views/password_change.py and the sign-in flow: a user flagged to change their
password gets the new-password dialog before the main window, and only a good new
password lets them in."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.auth import Role
from app.services.access import login, users
from app.views.login import LoginDialog
from app.views.password_change import ChangePasswordDialog


def _flagged(database, admin):
    with database.write() as s:
        users.add_user(s, admin, "pia", "first-pass-123", Role.PICKER, "Pia Picker")
        users.require_password_change(s, admin, "pia")


def _sign_in(qtbot, dialog, name, password):
    """Type and press Enter; the password check runs in the background, so wait for it."""
    from app.views import tasks

    qtbot.keyClicks(dialog.username, name)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(tasks.idle, timeout=10_000)


def test_a_flagged_user_chooses_a_new_password_before_going_on(qtbot, store, settle):
    database, admin = store
    _flagged(database, admin)
    dialog = LoginDialog(database, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    _sign_in(qtbot, dialog, "pia", "first-pass-123")
    renew = dialog.renew
    assert isinstance(renew, ChangePasswordDialog) and renew.isVisible()
    assert dialog.result() != LoginDialog.DialogCode.Accepted and dialog.actor is None
    qtbot.keyClicks(renew.new, "brand-new-pass-1")
    qtbot.keyClicks(renew.repeat, "brand-new-pass-2")
    qtbot.keyClick(renew.repeat, Qt.Key.Key_Return)
    assert renew.error.text() == "The two new passwords differ: type them again."
    qtbot.keyClicks(renew.new, "first-pass-123")
    qtbot.keyClicks(renew.repeat, "first-pass-123")
    qtbot.keyClick(renew.repeat, Qt.Key.Key_Return)
    settle()
    assert "differ from the current one" in renew.error.text()
    qtbot.keyClicks(renew.new, "brand-new-pass-1")
    qtbot.keyClicks(renew.repeat, "brand-new-pass-1")
    qtbot.keyClick(renew.repeat, Qt.Key.Key_Return)
    settle()
    qtbot.waitUntil(lambda: dialog.result() == LoginDialog.DialogCode.Accepted)
    assert dialog.actor.username == "pia" and not dialog.actor.must_change_password
    assert not login.sign_in(database, "pia", "brand-new-pass-1").must_change_password


def test_giving_up_on_the_new_password_does_not_sign_in(qtbot, store, settle):
    database, admin = store
    _flagged(database, admin)
    dialog = LoginDialog(database, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    _sign_in(qtbot, dialog, "pia", "first-pass-123")
    dialog.renew.reject()
    assert dialog.actor is None and dialog.result() != LoginDialog.DialogCode.Accepted
    assert dialog.error.text() == "A new password is needed to go on: sign in again."
    assert login.sign_in(database, "pia", "first-pass-123").must_change_password


def test_an_unflagged_user_goes_straight_in(qtbot, store):
    database, _admin = store
    dialog = LoginDialog(database, "till-1")
    qtbot.addWidget(dialog)
    dialog.show()
    _sign_in(qtbot, dialog, "admin", "admin-pass")
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert not hasattr(dialog, "renew")
