"""A new password before the main window, when a manager reset one with "must change" or
forced a change (users.must_change_password). The sign-in already proved the current
password, so only the new one is asked, twice; the service holds it to the shop's rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.core.auth import Actor
from app.core.i18n import _
from app.db import Database
from app.services.access import users
from app.views.ops import op
from app.views.theme import mark


@dataclass(frozen=True)
class _Where:  # what the operation helper needs of a context, before there is one
    database: Database


class ChangePasswordDialog(QDialog):
    changed = Signal(object)  # the renewed Actor

    def __init__(
        self, database: Database, actor: Actor, current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose a new password"))
        self._where = _Where(database)
        self._actor = actor
        self._current = current
        self.actor: Actor | None = None
        self.new = QLineEdit(objectName="new_password")
        self.repeat = QLineEdit(objectName="repeat_password")
        for edit in (self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(objectName="password_error", wordWrap=True)
        mark(self.error, "error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Change password"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                _("{name}, please choose a new password to go on.").format(name=actor.display_name)
            )
        )
        form.addRow(_("New password"), self.new)
        form.addRow(_("Once more"), self.repeat)
        form.addRow(self.error)
        form.addRow(self.buttons)

    def submit(self) -> None:
        new = self.new.text()
        if new != self.repeat.text():
            self._refused(_("The two new passwords differ: type them again."))
            return
        actor, current = self._actor, self._current
        op(self, self._where, lambda s: users.change_own_password(s, actor, current, new)).busy(
            self.ok
        ).on_success(self._done).message(self._refused).run()

    def _refused(self, text: str) -> None:
        self.error.setText(text)
        self.new.clear()
        self.repeat.clear()
        self.new.setFocus()

    def _done(self, actor: Any) -> None:
        self.actor = actor
        self.changed.emit(actor)
        self.accept()
