"""The audit log, newest first: search by order number, product, user or workstation, and
filter by kind of action. Read-only — the database refuses edits to it anyway."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core import audit
from app.core.audit import AuditRow, action_label
from app.core.i18n import _
from app.db import ServiceSession as Session
from app.views.context import AppContext, local_time
from app.views.paged_query import QueryPageModel
from app.views.table_models import Column
from app.views.widgets import make_table


class AuditScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.action = QComboBox(objectName="audit_action")
        self.action.addItem(_("Everything"), "")
        for name in audit.ACTIONS:
            self.action.addItem(action_label(name), name)
        self.text = QLineEdit(objectName="audit_text")
        self.text.setPlaceholderText(_("Order number, product, user or workstation"))
        self.text.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.reload)
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        self.message = QLabel(objectName="audit_message")
        self.model = QueryPageModel(
            [
                Column(_("When"), lambda r: local_time(r.at)),
                Column(_("Who"), lambda r: r.user_name),
                Column(_("Workstation"), lambda r: r.workstation),
                Column(_("What"), lambda r: action_label(r.action)),
                Column(_("On"), lambda r: r.subject),
                Column(_("Detail"), lambda r: r.detail),
            ],
            self,
            ctx,
            self._page(),
            message=self.message.setText,
        )
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Show")))
        filters.addWidget(self.action)
        filters.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(make_table(self.model, "audit_log", stretch=5), 1)
        self.reload()

    def _page(self) -> Callable[[Session, int, int], list[AuditRow]]:
        """The filters as they are now (read here, on the GUI thread, not by the worker)."""
        actor, text, action = self.ctx.actor, self.text.text(), self.action.currentData() or ""
        return lambda s, offset, limit: audit.search(s, actor, text, action, offset, limit)

    def reload(self) -> None:
        self.model.set_source(self._page())
