"""The lists behind two dashboard tiles that no screen filters for: the late orders (the
Orders screen has no due-date filter) and the failed e-mails (there is no outbox screen;
`kestrel outbox` is its tool). A late order opens in the Orders screen on Enter or a
double click."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.core.i18n import _
from app.services.notify import mailbox
from app.services.reports import dashboard as service
from app.services.sales import orders
from app.views.context import AppContext, local_time
from app.views.ops import query
from app.views.paged_query import QueryPageModel
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import make_table


class _ListDialog(QDialog):
    def __init__(self, title: str, name: str, parent: QWidget | None) -> None:
        super().__init__(parent, objectName=name)
        self.setWindowTitle(title)
        self.resize(900, 480)
        self.message = QLabel(objectName="list_message")
        self.message.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.message)

    def finish(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)


class LateOrdersDialog(_ListDialog):
    open_order = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Late orders"), "late_orders", parent)
        actor = ctx.actor
        self.model = QueryPageModel(
            [
                Column(_("Number"), lambda r: r.number),
                Column(_("Due"), lambda r: local_time(r.due_at)),
                Column(_("Status"), lambda r: orders.status_label(r.status)),
                Column(_("Customer"), lambda r: r.customer_name),
                Column(_("Total"), lambda r: ctx.money(r.total, r.currency), align=RIGHT),
            ],
            self,
            ctx,
            lambda s, offset, limit: service.late_orders(s, actor, offset, limit),
            message=self.message.setText,
            page_size=100,
        )
        self.model.loaded.connect(self._counted)
        self.table = make_table(self.model, "late_orders_table", stretch=3)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        self.layout_.addWidget(self.table, 1)
        self.finish()
        self.model.refresh()

    def _counted(self) -> None:
        rows = self.model.rowCount()
        self.message.setText(
            _("No order is past its due date.")
            if rows == 0
            else _(
                "Open orders past their due date, the longest overdue first. "
                "Enter or a double click opens one."
            )
        )

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_order.emit(self.model.row(index.row()).id)


class FailedMailDialog(_ListDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("E-mails that failed"), "failed_mail", parent)
        self.model = RowsTableModel(
            [
                Column(_("When"), lambda m: local_time(m.created_at)),
                Column(_("To"), lambda m: m.to),
                Column(_("Subject"), lambda m: m.subject),
                Column(_("Tries"), lambda m: str(m.attempts), align=RIGHT),
                Column(_("Last error"), lambda m: m.last_error),
            ],
            self,
        )
        self.table = make_table(self.model, "failed_mail_table", stretch=4)
        self.layout_.addWidget(self.table, 1)
        self.finish()
        actor = ctx.actor
        query(self, ctx, lambda s: mailbox.list_messages(s, actor, "failed", 200)).on_success(
            self._show
        ).message(self.message.setText).run()

    def _show(self, rows: list[mailbox.MessageRow]) -> None:
        self.model.set_rows(rows)
        self.message.setText(
            _("No e-mail has failed.")
            if not rows
            else _("The newest 200 failed e-mails; `kestrel outbox retry` sends them again.")
        )
