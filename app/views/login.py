"""Sign-in dialog. Errors show inline; the password field is cleared, the name kept.

It is the first window of a start (issue 20), so it imports only Qt and light modules:
the database, the services and the ORM behind them are imported on a worker thread while
the user types (views/start.py), and handed in with `set_database`. A sign-in asked for
before then waits for it, showing "Signing in…".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.core.errors import KestrelError
from app.core.i18n import _
from app.views import errors
from app.views.tasks import run_in_background
from app.views.theme import TAB_MOVES_ON

if TYPE_CHECKING:
    from app.core.auth import Actor
    from app.db import Database


class LoginDialog(QDialog):
    def __init__(
        self,
        database: Database | None,
        workstation: str,
        parent: QWidget | None = None,
        locked: bool = False,
    ) -> None:
        super().__init__(parent)
        self.locked = locked  # a lock screen: only a sign-in closes it
        self.setWindowTitle(_("Sign in to Kestrel"))
        self.database = database
        self.workstation = workstation
        self.actor: Actor | None = None
        self._waiting = False  # Sign in pressed before the database was handed in
        # Called with the name once its password check runs (views/start.py builds the
        # main window meanwhile, hidden, shown only after this dialog accepted)
        self.preparing: Callable[[str], object] | None = None
        self.username = QLineEdit(objectName="username")
        self.username.setProperty(TAB_MOVES_ON, True)  # typed fast, then Tab: the password
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(objectName="error")
        # The kind without theme.mark(): this label was never polished, so the style sheet
        # takes it when it first shows (mark's re-polish builds Qt's namespace enums).
        self.error.setProperty("kind", "error")
        self.error.setWordWrap(True)
        # Buttons by role, not QDialogButtonBox(StandardButtons): that constructor builds
        # ~100 of Qt's namespace enums (~15-20 ms CPU) before the sign-in window shows.
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        if not locked:
            buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        self.where = QLabel(objectName="database")
        opening = _("opening…") if database is None else database.description
        self.where.setText(_("Database: {database}").format(database=opening))
        form.addRow(self.where)
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)
        form.addRow(self.error)
        form.addRow(buttons)

    def set_database(self, database: Database) -> None:
        """The database is open (start-up's worker is done): a waiting sign-in goes ahead."""
        self.database = database
        self.where.setText(_("Database: {database}").format(database=database.description))
        if self._waiting:
            self._waiting = False
            self.ok_button.setEnabled(True)
            self.try_sign_in()

    def handle_scan(self, _code: str) -> bool:
        """A scan while nobody is signed in goes nowhere (never into the user name)."""
        self.error.setText(_("Sign in first: scans are taken once someone is signed in."))
        return True

    def reject(self) -> None:
        if not self.locked:
            super().reject()

    def try_sign_in(self) -> None:
        """The password check (Argon2, ~0.1 s; a shared server adds its round trips) runs in
        the background, so the dialog still paints; the button waits until it is over."""
        if not self.ok_button.isEnabled():
            return  # Enter again while the first check is running
        self.ok_button.setEnabled(False)
        self.error.setText(_("Signing in…"))
        if self.database is None:  # still opening: set_database goes on from here
            self._waiting = True
            return
        from app.services.access import login

        username, password = self.username.text(), self.password.text()
        database, workstation = self.database, self.workstation
        run_in_background(
            lambda _report: login.sign_in(database, username, password, workstation),
            lambda actor: self._signed_in(actor, password),
            self._refused,
            owner=self,
        )
        if self.preparing is not None:
            self.preparing(username)

    def _signed_in(self, actor: Actor, password: str) -> None:
        self.ok_button.setEnabled(True)
        self.error.clear()
        self.signed_in(actor, password)

    def signed_in(self, actor: Actor, password: str) -> None:
        """In, unless a new password is due first (users.must_change_password)."""
        if not actor.must_change_password:
            self.actor = actor
            self.accept()
            return
        from app.views.password_change import ChangePasswordDialog

        assert self.database is not None  # signed in: the database is open
        self.actor = None
        self.renew = ChangePasswordDialog(self.database, actor, password, self)
        self.renew.changed.connect(self._renewed)
        self.renew.rejected.connect(
            lambda: self.error.setText(_("A new password is needed to go on: sign in again."))
        )
        self.password.clear()
        self.renew.open()

    def _renewed(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.ok_button.setEnabled(True)
        if not isinstance(exc, KestrelError):
            self.error.clear()
            errors.report_bug(self, exc)
            return
        self.error.setText(exc.message)
        self.password.clear()
        self.password.setFocus()
