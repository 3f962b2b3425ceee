"""The Purchasing screen's Orders tab: a paged list of purchase orders (newest first,
filtered by status), the chosen order's lines, and what can be done with it — New…,
Send (the PDF queued on the office printer), Save PDF…, Cancel…, Close short, Receive
(scans go to the order) and Put away…. A button that cannot act now is greyed with the
reason as its tooltip (the status, or the right the person lacks)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.changes import ChangeSet
from app.core.i18n import N_, _, ngettext
from app.core.i18n import label as label_of
from app.db import ServiceSession as Session
from app.services.purchasing import order_status, orders, po_document, po_email, putaway
from app.services.purchasing.orders import OrderRow, OrderView
from app.services.purchasing.po_email import PoEmail
from app.services.purchasing.putaway import Waiting
from app.views.context import AppContext, local_time
from app.views.ops import op, query
from app.views.paged_query import QueryPageModel
from app.views.purchasing import order_rules
from app.views.purchasing.order_dialogs import CancelDialog, NewOrderDialog
from app.views.purchasing.putaway_dialog import PutAwayDialog
from app.views.purchasing.receive_panel import ReceivePanel
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

PAGE = 50
EMAIL_STATES = {
    "queued": N_("waiting"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
}


class OrdersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="purchasing_orders")
        self.ctx = ctx
        self.order: OrderView | None = None
        self.dialog: QDialog | None = None  # the one open (tests and the scanner find it)
        self.status_filter = QComboBox(objectName="po_status_filter")
        self.status_filter.addItem(_("All statuses"), "")
        for status in orders.STATUS_WORDS:
            said = orders.words(status.value)
            self.status_filter.addItem(said[:1].upper() + said[1:], status.value)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.message = QLabel(objectName="po_message")
        self.message.setWordWrap(True)
        self.list_model = QueryPageModel(
            _order_columns(), self, ctx, self._page_of(""), message=self._refused, page_size=PAGE
        )
        self.list_model.loaded.connect(self._reselect)
        self.table = make_table(self.list_model, "po_list", stretch=1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.title = QLabel(_("Choose a purchase order"), objectName="po_title")
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600")
        self.lines = RowsTableModel(_line_columns(ctx), self)
        self.lines_table = make_table(self.lines, "po_lines", stretch=2)
        self.receive_panel = ReceivePanel(ctx, self)
        self.receive_panel.received.connect(lambda _fb: self._after_receipt())
        self.buttons = self._make_buttons()
        self.emails = QLabel(objectName="po_emails", wordWrap=True)
        ctx.bridge.changed.connect(self._on_changes)
        self._lay_out()
        self._allow()
        self.list_model.refresh()

    def _make_buttons(self) -> dict[str, QPushButton]:
        actions: dict[str, tuple[str, Callable[[], None]]] = {
            "new": (_("New…"), self.new_order),
            "send": (_("Send"), self.send),
            "email": (_("E-mail to supplier"), self.email),
            "pdf": (_("Save PDF…"), self.save_pdf),
            "cancel": (_("Cancel…"), self.cancel),
            "close": (_("Close short"), self.close_short),
            "receive": (_("Receive"), self.toggle_receive),
            "putaway": (_("Put away…"), self.put_away),
        }
        made = {}
        for key, (label, action) in actions.items():
            button = QPushButton(label, objectName=f"po_{key}")
            button.clicked.connect(action)
            made[key] = button
        return made

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Show")))
        top.addWidget(self.status_filter)
        top.addStretch(1)
        top.addWidget(self.buttons["new"])
        actions = QHBoxLayout()
        for key in ("send", "email", "pdf", "cancel", "close", "receive", "putaway"):
            actions.addWidget(self.buttons[key])
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.title)
        layout.addLayout(actions)
        layout.addWidget(self.emails)
        layout.addWidget(self.receive_panel)
        layout.addWidget(self.lines_table, 3)

    # -- the list and the chosen order -------------------------------------------------

    def _page_of(self, status: str) -> Callable[[Session, int, int], list[OrderRow]]:
        actor = self.ctx.actor
        return lambda s, offset, limit: orders.list_orders(s, actor, status, offset, limit)

    def reload(self) -> None:
        self.list_model.set_source(self._page_of(self.status_filter.currentData() or ""))

    def _reselect(self) -> None:
        if self.order is None:
            return
        for row in range(self.list_model.rowCount()):
            if self.list_model.row(row).id == self.order.id:
                self.table.selectRow(row)
                return

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            chosen = self.list_model.row(rows[0].row()).id
            if self.order is None or chosen != self.order.id:
                self.open_order(chosen)

    def open_order(self, order_id: int) -> None:
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: orders.show(s, actor, order_id)).on_success(
            self._show_order
        ).message(self._refused).run()

    def _show_order(self, order: OrderView) -> None:
        if self.receive_panel.active and self.receive_panel.order_id != order.id:
            self.receive_panel.stop()
        self.order = order
        self.title.setText(
            f"{order.number}  {order.supplier} -> {order.warehouse}: {orders.words(order.status)}"
        )
        self.lines.set_rows(order.lines)
        self._allow()
        actor, order_id = self.ctx.actor, order.id
        query(self, self.ctx, lambda s: po_email.emails(s, actor, order_id)).on_success(
            lambda rows: self._show_emails(order_id, rows)
        ).message(self._refused).run()

    def _show_emails(self, order_id: int, rows: list[PoEmail]) -> None:
        """The PO's e-mails with their state now (the outbox's, with the server's words)."""
        if self.order is None or self.order.id != order_id:
            return
        said = [
            (
                _("{when} {state} to {to} ({error})")
                if m.last_error
                else _("{when} {state} to {to}")
            ).format(
                when=local_time(m.sent_at or m.created_at),
                state=label_of(EMAIL_STATES, m.state),
                to=m.to,
                error=m.last_error,
            )
            for m in rows
        ]
        self.emails.setText(_("E-mails: {list}").format(list="; ".join(said)) if said else "")

    def _allow(self) -> None:
        reasons = order_rules.reasons(self.ctx.actor, self.order)
        for key, button in self.buttons.items():
            allow(button, reasons.get(key, ""))
        receiving = self.receive_panel.active
        if receiving:  # stopping is always possible, even once the order is complete
            allow(self.buttons["receive"])
        self.buttons["receive"].setText(_("Stop receiving") if receiving else _("Receive"))

    def _refresh(self) -> None:
        self.list_model.refresh()
        if self.order is not None:
            self.open_order(self.order.id)

    def _after_receipt(self) -> None:
        self._refresh()

    def _on_changes(self, change: ChangeSet) -> None:
        if {"purchasing", "purchase_orders", "outbox"} & set(change.kinds):
            self._refresh()

    # -- actions -----------------------------------------------------------------------

    def new_order(self) -> None:
        warehouse = self.order.warehouse if self.order is not None else ""
        dialog = NewOrderDialog(self.ctx, warehouse, self)
        dialog.completed.connect(self._created)
        self._open(dialog)

    def _created(self, number: str) -> None:
        say(self.message, _("Made draft {number}.").format(number=number))
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: orders.show(s, actor, number)).on_success(
            self._show_order
        ).run()
        self.list_model.refresh()

    def send(self) -> None:
        order, actor = self.order, self.ctx.actor
        if order is None:
            return
        op(
            self,
            self.ctx,
            lambda s: order_status.send(s, actor, order.id, order.version, print_copy=True),
        ).busy(self.buttons["send"]).on_success(self._sent).message(self._refused).run()

    def _sent(self, sent: order_status.Sent) -> None:
        self.ctx.jobs_queued()
        self._done(_("Sent {number}: its PDF is in the print queue.").format(number=sent.number))

    def email(self) -> None:
        """Queued through the outbox (a draft is sent first); the elected sender sends it."""
        order, actor = self.order, self.ctx.actor
        if order is None:
            return
        op(
            self,
            self.ctx,
            lambda s: po_email.email_to_supplier(s, actor, order.id, seen_version=order.version),
        ).busy(self.buttons["email"]).on_success(
            lambda q: self._done(
                _("{number} queued to {to}; see Settings > Outbox.").format(
                    number=q.number, to=q.to
                )
            )
        ).message(self._refused).run()

    def save_pdf(self) -> None:
        order = self.order
        if order is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save {number}").format(number=order.number),
            f"{order.number}.pdf",
            _("PDF (*.pdf)"),
        )
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        """The order's PDF into a file (the dialog's answer, or a test's path)."""
        order, actor = self.order, self.ctx.actor
        assert order is not None
        query(
            self, self.ctx, lambda s: po_document.purchase_order_pdf(s, actor, order.id)
        ).on_success(lambda pdf: self._wrote(path, pdf)).message(self._refused).run()

    def _wrote(self, path: Path, pdf: bytes) -> None:
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            self._refused(
                _("Could not write {name}: {error}.").format(
                    name=path.name, error=exc.strerror or exc
                )
            )
            return
        say(self.message, _("Saved {name}.").format(name=path.name))

    def cancel(self) -> None:
        if self.order is not None:
            dialog = CancelDialog(self.ctx, self.order, self)
            dialog.completed.connect(self._done)
            self._open(dialog)

    def close_short(self) -> None:
        order, actor = self.order, self.ctx.actor
        if order is None:
            return
        op(
            self, self.ctx, lambda s: order_status.close_short(s, actor, order.id, order.version)
        ).busy(self.buttons["close"]).on_success(
            lambda dropped: self._done(
                ngettext(
                    "Closed {number} short: {count} unit will not come.",
                    "Closed {number} short: {count} units will not come.",
                    dropped,
                ).format(number=order.number, count=dropped)
            )
        ).message(self._refused).run()

    def toggle_receive(self) -> None:
        if self.receive_panel.active:
            self.receive_panel.stop()
        elif self.order is not None:
            self.receive_panel.start(self.order.id, self.order.number)
            self.lines_table.setFocus()
        self._allow()

    def put_away(self) -> None:
        order, actor = self.order, self.ctx.actor
        if order is None:
            return
        warehouse = order.warehouse
        query(self, self.ctx, lambda s: putaway.waiting(s, actor, warehouse)).on_success(
            lambda rows: self._put_away(warehouse, rows)
        ).message(self._refused).run()

    def _put_away(self, warehouse: str, rows: list[Waiting]) -> None:
        if not rows:
            say(
                self.message,
                _("Nothing waits in receiving in {warehouse}.").format(warehouse=warehouse),
            )
            return
        dialog = PutAwayDialog(self.ctx, warehouse, rows, self)
        dialog.completed.connect(self._done)
        self._open(dialog)

    def handle_scan(self, code: str) -> bool:
        """While receiving, every scan is the order's; otherwise a scan is not this tab's."""
        return self.receive_panel.handle_scan(code)

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None and isValid(self.dialog) and self.dialog.isVisible():
            return
        self.dialog = dialog
        dialog.setModal(True)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _done(self, text: str) -> None:
        say(self.message, text)
        self._refresh()

    def _refused(self, text: str) -> None:
        say(self.message, text, error=True)


def _order_columns() -> list[Column]:
    return [
        Column(_("Number"), lambda r: r.number),
        Column(_("Supplier"), lambda r: r.supplier),
        Column(_("Warehouse"), lambda r: r.warehouse),
        Column(_("Status"), lambda r: orders.words(r.status)),
        Column(_("Lines"), lambda r: str(r.lines), align=RIGHT),
        Column(_("Ordered"), lambda r: str(r.ordered), align=RIGHT),
        Column(_("Received"), lambda r: str(r.received), align=RIGHT),
        Column(_("Created"), lambda r: local_time(r.created_at)),
    ]


def _line_columns(ctx: AppContext) -> list[Column]:
    return [
        Column(_("SKU"), lambda r: r.sku),
        Column(_("Supplier SKU"), lambda r: r.supplier_sku),
        Column(_("Name"), lambda r: r.name),
        Column(_("Ordered"), lambda r: str(r.ordered), align=RIGHT),
        Column(_("Received"), lambda r: str(r.received), align=RIGHT),
        Column(_("Unit cost"), lambda r: ctx.money(r.unit_cost), align=RIGHT),
    ]
