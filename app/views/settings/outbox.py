"""Settings -> Outbox (managers): the e-mails waiting, sent, failed or cancelled, with the
server's own words for the last failure; retry one now or cancel it, by button or key
(Ctrl+R, Delete). The list follows the sender and other workstations through the
"outbox" change notices; every call runs off the GUI thread (views/ops.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import i18n
from app.core.auth import Actor, Permission
from app.core.changes import ChangeSet
from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.notify import mailbox
from app.services.notify.mailbox import MessageRow
from app.services.notify.outbox import OUTBOX_CHANGED
from app.views.context import AppContext, local_time
from app.views.ops import op
from app.views.paged_query import QueryPageModel
from app.views.table_models import RIGHT, Column
from app.views.widgets import allow, make_table

LISTS = (
    ("queued", N_("Waiting")),
    ("failed", N_("Failed")),
    ("sent", N_("Sent")),
    ("cancelled", N_("Cancelled")),
    ("all", N_("All")),
)
STATE_LABELS = {
    "queued": N_("Waiting"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}
# why a message's buttons are greyed: one whole sentence per state, for the translators
NOT_NOW = {
    "sending": N_("This e-mail is being sent."),
    "sent": N_("This e-mail is sent."),
    "cancelled": N_("This e-mail is cancelled."),
}
PAGE = 100


def add_mail_tabs(tabs: QTabWidget, ctx: AppContext, parent: QWidget) -> None:
    """The Outbox and E-mail templates tabs, for those who manage the shop's settings."""
    if not ctx.actor.can(Permission.SETTINGS_MANAGE):
        return
    tabs.addTab(OutboxPage(ctx, parent), _("Outbox"))
    from app.views.settings.email_templates import TemplatesPage

    tabs.addTab(TemplatesPage(ctx, parent), _("E-mail templates"))


def state_label(row: MessageRow) -> str:
    """A waiting message that already failed once waits for its next try: say when."""
    if row.state == "queued" and row.attempts and row.next_attempt_at is not None:
        return _("Waiting (next try {when})").format(when=local_time(row.next_attempt_at))
    return i18n.label(STATE_LABELS, row.state)


class OutboxPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = QLabel(objectName="outbox_message", wordWrap=True)
        self.which = QComboBox(objectName="outbox_list")
        for view, label in LISTS:
            self.which.addItem(_(label), view)
        self.model = QueryPageModel(
            [
                Column("#", lambda m: str(m.id), align=RIGHT),
                Column(_("Queued"), lambda m: local_time(m.created_at)),
                Column(_("State"), state_label),
                Column(_("To"), lambda m: m.to),
                Column(_("Subject"), lambda m: m.subject),
                Column(_("Tries"), lambda m: str(m.attempts), align=RIGHT),
                Column(_("Last error"), lambda m: m.last_error),
            ],
            self,
            ctx,
            message=self.message.setText,
            page_size=PAGE,
        )
        self._reselect: int | None = None
        self.model.loaded.connect(self._select_again)
        self.table = make_table(self.model, "outbox_messages", stretch=6)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.retry_button = QPushButton(_("&Retry now"), objectName="outbox_retry")
        self.cancel_button = QPushButton(_("&Cancel e-mail"), objectName="outbox_cancel")
        self.retry_button.setToolTip("Ctrl+R")
        self.retry_button.clicked.connect(
            lambda: self._act(mailbox.retry, N_("E-mail {number} queued again."))
        )
        self.cancel_button.clicked.connect(
            lambda: self._act(mailbox.cancel, N_("E-mail {number} cancelled."))
        )
        self._keys((("Ctrl+R", self.retry_button.click), ("Delete", self.cancel_button.click)))
        self.which.currentIndexChanged.connect(lambda _i: self.reload())
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("&Show")))
        bar.itemAt(0).widget().setBuddy(self.which)  # type: ignore[union-attr]
        bar.addWidget(self.which)
        for button in (self.retry_button, self.cancel_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        ctx.bridge.changed.connect(self._on_changes)
        self.reload()

    def _keys(self, keys: tuple[tuple[str, Callable[[], None]], ...]) -> None:
        for sequence, action in keys:
            shortcut = QShortcut(QKeySequence(sequence), self, action)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def view(self) -> str:
        return str(self.which.currentData())

    def reload(self) -> None:
        actor, view = self.ctx.actor, self.view()
        self.model.set_source(lambda s, offset, limit: mailbox.page(s, actor, view, offset, limit))
        self._selected(QItemSelection(), QItemSelection())

    def selected_message(self) -> MessageRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.selected_message()
        if row is None:
            why_not = _("Select an e-mail in the list first.")
        elif row.state in ("queued", "failed"):
            why_not = ""
        else:
            why_not = _(NOT_NOW.get(row.state, N_("This e-mail cannot be changed now.")))
        allow(self.retry_button, why_not)
        allow(self.cancel_button, why_not)
        if not why_not:
            self.retry_button.setToolTip("Ctrl+R")
            self.cancel_button.setToolTip(
                QKeySequence("Delete").toString(QKeySequence.SequenceFormat.NativeText)
            )

    def _act(self, action: Callable[[Session, Actor, int], None], done: str) -> None:
        row = self.selected_message()
        if row is None or not self.retry_button.isEnabled():
            return
        actor, message_id = self.ctx.actor, row.id
        op(self, self.ctx, lambda s: action(s, actor, message_id)).busy(
            self.retry_button, self.cancel_button
        ).on_success(lambda _r: self.message.setText(_(done).format(number=message_id))).message(
            self.message.setText
        ).finally_(lambda: self._selected(QItemSelection(), QItemSelection())).run()

    def _on_changes(self, change: ChangeSet) -> None:
        if OUTBOX_CHANGED in change.kinds or change.everything:
            selected = self.selected_message()
            self._reselect = selected.id if selected is not None else None
            self.model.refresh()

    def _select_again(self) -> None:
        if self._reselect is not None:
            for row in range(self.model.rowCount()):
                if self.model.row(row).id == self._reselect:
                    self.table.selectRow(row)
                    break
            self._reselect = None
        self._selected(QItemSelection(), QItemSelection())
