"""Settings -> API keys (those who manage the shop's settings): the integrations' keys,
make one (its secret shown here once, with a Copy button: only its hash is kept) or
revoke one (asked first; Delete). The names, scopes and permission are the service's
(services/channels/api_keys.py); its refusals appear in words on the message line."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.changes import ChangeSet
from app.core.errors import KestrelError
from app.core.i18n import N_, _
from app.services.channels import api_keys
from app.services.channels.api_keys import SCOPES, KeyRow, NewKey
from app.views.context import AppContext, local_time
from app.views.ops import op, query
from app.views.table_models import Column, RowsTableModel
from app.views.widgets import allow, make_table, say

SHOWN_ONCE = N_("Copy this key now: it will not be shown again (only its hash is kept).")


def add_api_keys_tab(tabs: QTabWidget, ctx: AppContext, parent: QWidget) -> None:
    """The API keys tab, for those the service lets manage keys."""
    if ctx.actor.can(Permission.SETTINGS_MANAGE):
        tabs.addTab(ApiKeysPage(ctx, parent), _("API keys"))


def _when(value: str | None) -> str:
    """The service's ISO time (UTC, naive from SQLite) in this workstation's time."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return local_time(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _state(row: KeyRow) -> str:
    if row.revoked_at:
        return _("Revoked {when}").format(when=_when(row.revoked_at))
    return _("Active")


class ApiKeysPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsTableModel(
            [
                Column(_("Name"), lambda k: k.name),
                Column(_("Starts with"), lambda k: k.prefix + "…"),
                Column(_("Scopes"), lambda k: ", ".join(k.scopes)),
                Column(_("Created"), lambda k: _when(k.created_at)),
                Column(_("Last used"), lambda k: _when(k.last_used_at) or _("Never")),
                Column(_("State"), _state),
            ],
            self,
        )
        self.table = make_table(self.model, "api_keys", stretch=2)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.name = QLineEdit(objectName="api_key_name")
        self.name.setPlaceholderText(_("e.g. webshop (letters, digits, '.', '_', '-')"))
        self.scopes = {s: QCheckBox(s, objectName=f"api_key_scope_{s}") for s in SCOPES}
        self.create_button = QPushButton(_("&Create key"), objectName="api_key_create")
        self.revoke_button = QPushButton(_("&Revoke key"), objectName="api_key_revoke")
        self.create_button.clicked.connect(self.create)
        self.revoke_button.clicked.connect(self.revoke)
        shortcut = QShortcut(QKeySequence("Delete"), self, self.revoke_button.click)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.secret = QLineEdit(objectName="api_key_secret", readOnly=True)
        self.copy_button = QPushButton(_("Co&py"), objectName="api_key_copy")
        self.copy_button.clicked.connect(self.copy)
        self.secret_note = QLabel(objectName="api_key_secret_note", wordWrap=True)
        self.message = QLabel(objectName="api_key_message", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._form())
        layout.addWidget(self.message)
        self._show_secret("")
        ctx.bridge.changed.connect(self._on_changes)
        self._selected(QItemSelection(), QItemSelection())
        self.reload()

    def _form(self) -> QFormLayout:
        scopes = QHBoxLayout()
        for box in self.scopes.values():
            scopes.addWidget(box)
        scopes.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        secret = QHBoxLayout()
        secret.addWidget(self.secret, 1)
        secret.addWidget(self.copy_button)
        form = QFormLayout()
        form.addRow(_("&Name"), self.name)
        form.addRow(_("Scopes"), scopes)
        form.addRow(buttons)
        form.addRow(_("New key"), secret)
        form.addRow(self.secret_note)
        return form

    def reload(self) -> None:
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: api_keys.list_keys(s, actor)).on_success(
            self.model.set_rows
        ).on_failure(self._refused).run()

    def selected_key(self) -> KeyRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.selected_key()
        if row is None:
            why_not = _("Select a key in the list first.")
        elif row.revoked_at:
            why_not = _("The key {name} is revoked already.").format(name=row.name)
        else:
            why_not = ""
        allow(self.revoke_button, why_not)
        if not why_not:
            self.revoke_button.setToolTip(
                QKeySequence("Delete").toString(QKeySequence.SequenceFormat.NativeText)
            )

    def create(self) -> None:
        actor, name = self.ctx.actor, self.name.text()
        wanted = [s for s, box in self.scopes.items() if box.isChecked()]
        self._show_secret("")
        op(self, self.ctx, lambda s: api_keys.create_key(s, actor, name, wanted)).busy(
            self.create_button
        ).on_success(self._created).on_failure(self._refused).run()

    def _created(self, made: NewKey) -> None:
        self._show_secret(made.key)
        self.name.clear()
        say(
            self.message,
            _("API key {name} made ({scopes}).").format(
                name=made.row.name, scopes=", ".join(made.row.scopes)
            ),
        )
        self.reload()

    def revoke(self) -> None:
        row = self.selected_key()
        if row is None or not self.revoke_button.isEnabled():
            return
        answer = QMessageBox.question(
            self,
            _("Revoke API key"),
            _("Revoke the key {name}? The integration using it stops working at once.").format(
                name=row.name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor, name = self.ctx.actor, row.name
        op(self, self.ctx, lambda s: api_keys.revoke_key(s, actor, name)).busy(
            self.revoke_button
        ).on_success(self._revoked).on_failure(self._refused).run()

    def _revoked(self, row: KeyRow) -> None:
        say(self.message, _("API key {name} revoked: it no longer works.").format(name=row.name))
        self.reload()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.secret.text())
        say(self.message, _("The key is on the clipboard."))

    def _show_secret(self, key: str) -> None:
        """The new key, this once; cleared by the next Create, gone with the page."""
        self.secret.setText(key)
        self.secret_note.setText(_(SHOWN_ONCE) if key else "")
        allow(self.copy_button, "" if key else _("Create a key first."))

    def _refused(self, error: KestrelError) -> None:
        say(self.message, error.message, error=True)

    def _on_changes(self, change: ChangeSet) -> None:
        if "api_keys" in change.kinds or change.everything:
            self.reload()
