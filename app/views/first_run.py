"""First start on an empty database: create the administrator (then setup_wizard.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.core import auth
from app.core.auth import Actor, Role
from app.core.i18n import _
from app.db import Database
from app.services.access.users import min_password_length
from app.views.ops import Op
from app.views.theme import mark


class CreateAdminDialog(QDialog):
    """The first user of a new store is its administrator."""

    def __init__(self, database: Database, workstation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to Kestrel"))
        self.database = database
        self.workstation = workstation
        self.actor: Actor | None = None
        self.username = QLineEdit("admin", objectName="username")
        self.display_name = QLineEdit(objectName="display_name")
        self.password = QLineEdit(objectName="password")
        self.repeat = QLineEdit(objectName="repeat")
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(objectName="error")
        mark(self.error, "error")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Create administrator"))  # busy while the password is hashed
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        intro = QLabel(
            _(
                "This store has no users yet. Create the administrator, who can add "
                "everyone else later."
            )
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(_("User name"), self.username)
        form.addRow(_("Your name"), self.display_name)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Password again"), self.repeat)
        form.addRow(self.error)
        form.addRow(buttons)

    def create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText(_("The two passwords differ."))
            return
        username, password = self.username.text(), self.password.text()
        display_name = self.display_name.text()
        Op(
            self,
            self.database,
            lambda s: auth.create_user(
                s, None, username, password, Role.ADMIN, display_name, min_password_length(s)
            ),
            write=True,
        ).busy(self.ok_button).on_success(self._created).message(self.error.setText).run()

    def _created(self, created: Actor) -> None:
        self.actor = Actor(
            created.user_id, created.username, created.display_name, created.role, self.workstation
        )
        self.accept()
