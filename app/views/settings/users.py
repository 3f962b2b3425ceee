"""Settings -> Users (administrators): the shop's users, add one, disable or enable,
change a role, reset a password, force a change at the next sign-in. The rules (the last
administrator stays, nobody demotes themselves, the minimum length) are the service's;
this page shows its answers in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import i18n
from app.core.auth import Permission, Role, role_label
from app.core.changes import ChangeSet
from app.core.i18n import _
from app.services.access import users
from app.services.access.users import UserRow
from app.views.context import AppContext, local_time
from app.views.ops import op, query
from app.views.table_models import Column, RowsTableModel
from app.views.theme import mark
from app.views.widgets import make_table


def add_admin_tabs(tabs: QTabWidget, ctx: AppContext, parent: QWidget) -> None:
    """The Users and Shop tabs, each only for those allowed to use it."""
    if ctx.actor.can(Permission.USERS_MANAGE):
        tabs.addTab(UsersPage(ctx, parent), _("Users"))
    if ctx.actor.can(Permission.SETTINGS_MANAGE):
        from app.views.settings.shop import ShopPage

        tabs.addTab(ShopPage(ctx, parent), _("Shop"))


def _languages(name: str) -> QComboBox:
    """The workstation's language, then each language with a catalogue, in its own words."""
    from babel import Locale

    box = QComboBox(objectName=name)
    box.addItem(_("The workstation's language"), "")
    for code in i18n.LANGUAGES:
        box.addItem(Locale.parse(code).get_display_name(code).capitalize(), code)
    return box


def _roles(name: str) -> QComboBox:
    box = QComboBox(objectName=name)
    for role in Role:
        box.addItem(role_label(role), role.value)
    return box


class UsersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsTableModel(
            [
                Column(_("User name"), lambda r: r.username),
                Column(_("Name"), lambda r: r.display_name),
                Column(_("Role"), lambda r: r.role_label),
                Column(_("State"), lambda r: _("active") if r.active else _("disabled")),
                Column(_("New password due"), lambda r: _("yes") if r.must_change_password else ""),
                Column(_("Last sign-in"), lambda r: local_time(r.last_login_at)),
                Column(_("Language"), lambda r: r.language),
            ],
            self,
        )
        self.table = make_table(self.model, "users", stretch=1)
        self.message = QLabel(objectName="users_message", wordWrap=True)
        self.username = QLineEdit(objectName="user_username")
        self.display_name = QLineEdit(objectName="user_display_name")
        self.role = _roles("user_role")
        self.language = _languages("user_language")
        self.password = QLineEdit(objectName="user_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.must_change = QCheckBox(_("Ask for a new password at the next sign-in"))
        self.must_change.setObjectName("user_must_change")
        self.buttons = {
            name: QPushButton(text, objectName=f"user_{name}")
            for name, text in (
                ("add", _("Add user")),
                ("toggle", _("Disable / enable")),
                ("set_role", _("Give the role above")),
                ("reset", _("Reset password to the one above")),
                ("force", _("Force a new password")),
                ("set_language", _("Give the language above")),
            )
        }
        self.buttons["add"].clicked.connect(self.add)
        self.buttons["toggle"].clicked.connect(self.toggle_active)
        self.buttons["set_role"].clicked.connect(self.change_role)
        self.buttons["reset"].clicked.connect(self.reset_password)
        self.buttons["force"].clicked.connect(self.force_change)
        self.buttons["set_language"].clicked.connect(self.change_language)
        self._layout()
        ctx.bridge.changed.connect(self._on_changes)
        self.reload()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(_("User name"), self.username)
        form.addRow(_("Name"), self.display_name)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Language"), self.language)
        form.addRow(_("Password"), self.password)
        form.addRow(self.must_change)
        selected = QHBoxLayout()
        selected.addWidget(QLabel(_("Selected user:")))
        for name in ("toggle", "set_role", "set_language"):
            selected.addWidget(self.buttons[name])
        selected.addStretch(1)
        passwords = QHBoxLayout()  # a second row: five buttons on one made Settings 930 px wide
        for name in ("reset", "force"):
            passwords.addWidget(self.buttons[name])
        passwords.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(selected)
        layout.addLayout(passwords)
        layout.addLayout(form)
        layout.addWidget(self.buttons["add"])
        layout.addWidget(self.message)

    def say(self, text: str, kind: str = "error") -> None:
        self.message.setText(text)
        mark(self.message, kind)

    def reload(self) -> None:
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: users.list_users(s, actor)).on_success(
            self.model.set_rows
        ).message(self.say).run()

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select(self, username: str) -> None:
        for number, row in enumerate(self.model.rows()):
            if row.username == username:
                self.table.selectRow(number)
                return

    def _on_selected(self) -> UserRow | None:
        row = self.selected()
        if row is None:
            self.say(_("Select a user in the list first."))
        return row

    def _write(
        self, work: Callable[[Any], UserRow], done: Callable[[UserRow], str], *busy: QWidget
    ) -> None:
        """`done` words the result from the row the service gave back."""
        op(self, self.ctx, work).busy(*busy).on_success(lambda row: self._done(done(row))).message(
            self.say
        ).run()

    def _done(self, text: str) -> None:
        for edit in (self.username, self.display_name, self.password):
            edit.clear()
        self.say(text, "ok")
        self.reload()

    def add(self) -> None:
        actor, name, label = self.ctx.actor, self.username.text(), self.display_name.text()
        role, password = self.role.currentData(), self.password.text()
        must = self.must_change.isChecked()
        self._write(
            lambda s: users.add_user(s, actor, name, password, role, label, must),
            lambda row: _("{user} added as {role}.").format(user=row.username, role=row.role_label),
            self.buttons["add"],
        )

    def toggle_active(self) -> None:
        row, actor = self._on_selected(), self.ctx.actor
        if row is not None:
            self._write(
                lambda s: users.set_active(s, actor, row.username, not row.active),
                lambda done: (
                    _("{user} is now disabled.") if row.active else _("{user} is now active.")
                ).format(user=done.username),
                self.buttons["toggle"],
            )

    def change_role(self) -> None:
        row, actor, role = self._on_selected(), self.ctx.actor, self.role.currentData()
        if row is not None:
            self._write(
                lambda s: users.set_role(s, actor, row.username, role),
                lambda done: _("{user} is now {role}.").format(
                    user=done.username, role=done.role_label
                ),
                self.buttons["set_role"],
            )

    def change_language(self) -> None:
        """The user's screens speak it from their next sign-in."""
        row, actor, language = self._on_selected(), self.ctx.actor, self.language.currentData()
        chosen = self.language.currentText()
        if row is not None:
            self._write(
                lambda s: users.set_language(s, actor, row.username, language),
                lambda done: (
                    _("{user} sees Kestrel in {language} from the next sign-in.")
                    if language
                    else _(
                        "{user} sees Kestrel in the workstation's language from the next sign-in."
                    )
                ).format(user=done.username, language=chosen),
                self.buttons["set_language"],
            )

    def reset_password(self) -> None:
        row, actor, password = self._on_selected(), self.ctx.actor, self.password.text()
        must = self.must_change.isChecked()
        if row is not None:
            self._write(
                lambda s: users.reset_password(s, actor, row.username, password, must),
                lambda done: _("The password of {user} is reset.").format(user=done.username),
                self.buttons["reset"],
            )

    def force_change(self) -> None:
        row, actor = self._on_selected(), self.ctx.actor
        if row is not None:
            self._write(
                lambda s: users.require_password_change(s, actor, row.username),
                lambda done: _("{user} chooses a new password at the next sign-in.").format(
                    user=done.username
                ),
                self.buttons["force"],
            )

    def _on_changes(self, change: ChangeSet) -> None:
        if users.USERS_CHANGED in change.kinds or change.everything:
            self.reload()
