"""One order: lines, totals, ship-to, status, the timeline, and the lifecycle buttons.

Each button calls the service with the version this screen shows; a domain error (out of
stock, changed by someone else...) appears in the banner in the service's own words. Every
read and write runs through views/ops.py, off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.fulfilment import shipping
from app.services.printing import queue as printing
from app.services.sales import order_actions, order_detail, order_editing, order_list, orders
from app.services.sales.order_detail import EventRow, LineRow, OrderDetail
from app.services.sales.shown_prices import order_lines
from app.views.context import AppContext, local_time
from app.views.ops import op, query
from app.views.orders.detail_words import (
    ACTION_LABELS,
    NO_EMAIL_SELECTED,
    NO_PRINT_SELECTED,
    REASON_TITLES,
    document_name,
    shipment_label,
)
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.theme import mark
from app.views.widgets import allow, make_table

TITLE = "font-size: 16pt; font-weight: 600"


class OrderDetailWidget(QWidget):
    order_changed = Signal(int)
    _loads = 0  # the newest load wins: an older answer arriving late is dropped

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: OrderDetail | None = None
        self._open_shipment: int | None = None
        self.title = QLabel(_("Select an order"), objectName="order_title", styleSheet=TITLE)
        self.status = QLabel(objectName="order_status")
        self.banner = QLabel(objectName="banner", wordWrap=True)
        mark(self.banner, "error")
        self.customer = QLabel(objectName="customer")
        self.ship_to = QLabel(objectName="ship_to")
        self.totals = QLabel(objectName="totals")
        self.lines_model, self.events_model = self._models()
        self.lines_view = make_table(self.lines_model, "lines", stretch=2)
        self.events_view = make_table(self.events_model, "timeline", stretch=3)
        actions = self._action_row()
        timeline_head = self._timeline_head()
        self.info = QLabel(objectName="info", wordWrap=True)
        self.warehouse = QLabel(objectName="warehouse")
        self.change_warehouse = QPushButton(_("C&hange…"), objectName="change_warehouse")
        self.change_warehouse.clicked.connect(self.choose_warehouse)
        self.change_warehouse.hide()  # shown with an order whose warehouse may change
        shipped = self._shipments_row()
        ships_from = QHBoxLayout()
        ships_from.addWidget(self.warehouse)
        ships_from.addWidget(self.change_warehouse)
        ships_from.addStretch(1)

        info = QFormLayout()
        info.addRow(_("Status"), self.status)
        info.addRow(_("Customer"), self.customer)
        info.addRow(_("Ship to"), self.ship_to)
        info.addRow(_("Ships from"), ships_from)
        info.addRow(_("Shipments"), shipped)
        info.addRow(_("Totals"), self.totals)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(info)
        layout.addLayout(actions)
        layout.addWidget(QLabel(_("Lines")))
        layout.addWidget(self.lines_view, 3)
        layout.addLayout(timeline_head)
        layout.addWidget(self.events_view, 2)
        layout.addWidget(self.info)
        self.events_view.selectionModel().selectionChanged.connect(self._event_selected)

    def _shipments_row(self) -> QHBoxLayout:
        self.shipments = QLabel(objectName="shipments", wordWrap=True)
        self.shipments.setOpenExternalLinks(True)
        self.delivered_button = QPushButton(_("Mark &delivered"), objectName="mark_delivered")
        self.delivered_button.clicked.connect(lambda: self.shipment_action("delivered"))
        self.exception_button = QPushButton(_("E&xception…"), objectName="mark_exception")
        self.exception_button.clicked.connect(lambda: self.shipment_action("exception"))
        self.delivered_button.hide()  # shown with an order that has a shipment on its way
        self.exception_button.hide()
        shipped = QHBoxLayout()
        shipped.addWidget(self.shipments, 1)
        shipped.addWidget(self.delivered_button)
        shipped.addWidget(self.exception_button)
        return shipped

    def _action_row(self) -> QHBoxLayout:
        """The lifecycle buttons (shown as the status allows), Return, and Print."""
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for name, label in ACTION_LABELS.items():
            button = QPushButton(_(label), objectName=f"action_{name}")
            button.clicked.connect(lambda _=False, n=name: self.run_action(n))
            button.hide()
            self.buttons[name] = button
            actions.addWidget(button)
        self.edit_button = QPushButton(_("&Edit…"), objectName="action_edit")
        self.edit_button.clicked.connect(self.edit_order)
        self.edit_button.hide()  # shown with an order; greyed with the reason when it is closed
        actions.addWidget(self.edit_button)
        self.return_button = QPushButton(_("Re&turn…"), objectName="action_return")
        self.return_button.clicked.connect(self.start_return)
        self.return_button.hide()
        actions.addWidget(self.return_button)
        actions.addStretch(1)
        self.print_button = self._make_print_button()
        actions.addWidget(self.print_button)
        return actions

    def _models(self) -> tuple[RowsTableModel, RowsTableModel]:
        money = self.ctx.money
        lines = RowsTableModel(
            [
                Column("#", lambda r: str(r.line_no), align=RIGHT),
                Column(N_("SKU"), lambda r: r.sku),
                Column(N_("Product"), lambda r: r.name),
                Column(N_("Qty"), lambda r: str(r.quantity), align=RIGHT),
                Column(N_("Price"), lambda r: money(r.unit_price), align=RIGHT),
                Column(
                    N_("Discount"), lambda r: money(r.discount) if r.discount else "", align=RIGHT
                ),
                Column(N_("Tax"), lambda r: f"{r.tax_rate_bp / 100:g} %", align=RIGHT),
                Column(N_("Total"), lambda r: money(r.total), align=RIGHT),
            ],
            self,
        )
        events = RowsTableModel(
            [
                Column(N_("When"), lambda e: local_time(e.at)),
                Column(N_("Who"), lambda e: e.user_name),
                Column(N_("Workstation"), lambda e: e.workstation),
                Column(N_("What"), lambda e: e.text or e.kind),
            ],
            self,
        )
        return lines, events

    def show_order(self, order_id: int) -> None:
        self.banner.clear()
        self._load(order_id)

    def _load(self, order_id: int) -> None:
        """The order and its shipments in one read, shown when it is back."""
        self._loads += 1
        load, actor = self._loads, self.ctx.actor

        def read(session: Session) -> tuple[OrderDetail, list[shipping.ShipmentRow]]:
            detail = order_detail.get_order(session, order_id, actor)
            return detail, shipping.shipments_of(session, order_id)

        (
            query(self, self.ctx, read)
            .on_success(lambda found: self._loaded(load, *found))
            .message(self._failed_load(load))
            .run()
        )

    def _failed_load(self, load: int):  # type: ignore[no-untyped-def]
        def show(message: str) -> None:
            if load == self._loads:
                self.banner.setText(message)

        return show

    def _loaded(
        self, load: int, detail: OrderDetail, shipments: list[shipping.ShipmentRow]
    ) -> None:
        if load != self._loads:
            return
        self.detail = detail
        money = self.ctx.money
        self.title.setText(f"{detail.number}  ·  {order_list.channel_label(detail.channel)}")
        self.status.setText(orders.status_label(detail.status))
        contact = ", ".join(p for p in (detail.email, detail.phone) if p)
        self.customer.setText(detail.customer_name + (f" ({contact})" if contact else ""))
        self.ship_to.setText(", ".join(detail.ship_to) or "—")
        self.totals.setText(
            _("net {net}   tax {tax}   total {total}").format(
                net=money(detail.subtotal, detail.currency),
                tax=money(detail.tax_total, detail.currency),
                total=money(detail.total, detail.currency),
            )
        )
        ctx = self.ctx  # rows as the shop shows prices: with tax or net
        self.lines_model.set_rows(order_lines(detail.lines, ctx.prices, ctx.prices_include_tax))
        self.events_model.set_rows(list(detail.events))
        self.lines_view.resizeColumnsToContents()
        self.events_view.resizeColumnsToContents()
        self.events_view.scrollToBottom()
        for name, button in self.buttons.items():
            # in place while the order is open, greyed with the reason: after Accept the
            # buttons do not shift, so a quick second click cannot land on Hold
            button.setVisible(name in detail.actions or name in detail.refused)
            allow(button, detail.refused.get(name, ""))
        self.edit_button.show()
        allow(self.edit_button, order_editing.edit_refusal(detail.status, self.ctx.actor))
        self.warehouse.setText(detail.warehouse_code or _("chosen when accepted"))
        self.change_warehouse.setVisible(detail.status in ("new", "accepted", "on_hold"))
        self.return_button.setVisible(detail.status in ("shipped", "partly_shipped", "delivered"))
        self._show_shipments(shipments)
        allow(self.print_button)
        allow(self.reprint_button, _(NO_PRINT_SELECTED))
        allow(self.resend_button, _(NO_EMAIL_SELECTED))

    def _timeline_head(self) -> QHBoxLayout:
        """The timeline's title and its two buttons: print again, send an e-mail again."""
        self.reprint_button = QPushButton(_("Re&print selected"), objectName="reprint")
        allow(self.reprint_button, _(NO_PRINT_SELECTED))
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.resend_button = QPushButton(_("Send e-mail a&gain"), objectName="resend_email")
        allow(self.resend_button, _(NO_EMAIL_SELECTED))
        self.resend_button.clicked.connect(self.resend_selected)
        head = QHBoxLayout()
        head.addWidget(QLabel(_("Timeline")))
        head.addStretch(1)
        head.addWidget(self.resend_button)
        head.addWidget(self.reprint_button)
        return head

    def _make_print_button(self) -> QToolButton:
        button = QToolButton(objectName="print_menu")
        button.setText(_("&Print"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for doc in printing.ORDER_DOCUMENTS:
            action = menu.addAction(document_name(doc))
            action.setObjectName(f"print_{doc}")
            action.triggered.connect(lambda _=False, d=doc: self.print_document(d))
        button.setMenu(menu)
        allow(button, _("Open an order first."))
        return button

    def _selected_event(self) -> EventRow | None:
        rows = self.events_view.selectionModel().selectedRows()
        return self.events_model.row(rows[0].row()) if rows else None

    def _event_selected(self, *_args: object) -> None:
        event = self._selected_event()
        printed = event is not None and event.print_job_id is not None
        allow(self.reprint_button, "" if printed else _(NO_PRINT_SELECTED))
        mailed = event is not None and bool(event.email_message_id)
        allow(self.resend_button, "" if mailed else _(NO_EMAIL_SELECTED))

    def resend_selected(self) -> None:
        event = self._selected_event()
        if self.detail is None or event is None or not event.email_message_id:
            return
        from app.services.notify import mailbox

        actor, message_id, order_id = self.ctx.actor, event.email_message_id, self.detail.id

        def queued(_new_id: int) -> None:
            self.info.setText(_("The e-mail is queued again."))
            self._load(order_id)

        (
            op(self, self.ctx, lambda s: mailbox.resend_by_message_id(s, actor, message_id))
            .busy(self.resend_button)
            .on_success(queued)
            .message(self.banner.setText)
            .run()
        )

    def print_document(self, doc: str) -> None:
        if self.detail is None:
            return
        from app.services.printing import (
            documents,  # ReportLab and python-escpos load on first print
        )

        actor, order_id = self.ctx.actor, self.detail.id
        station = self.ctx.workstation.workstation_name

        def queued(job: int) -> None:
            self.banner.clear()
            self.info.setText(
                _("{document} queued as print job {job}.").format(
                    document=document_name(doc), job=job
                )
            )
            self.ctx.jobs_queued()
            self._load(order_id)

        (
            op(self, self.ctx, lambda s: documents.print_document(s, actor, station, order_id, doc))
            .busy(self.print_button)
            .on_success(queued)
            .message(self.banner.setText)
            .run()
        )

    def reprint_selected(self) -> None:
        event = self._selected_event()
        if self.detail is None or event is None or event.print_job_id is None:
            return
        actor, job_id, order_id = self.ctx.actor, event.print_job_id, self.detail.id

        def queued(job: int) -> None:
            self.info.setText(_("Reprint queued as print job {job}.").format(job=job))
            self.ctx.jobs_queued()
            self._load(order_id)

        (
            op(self, self.ctx, lambda s: printing.reprint(s, actor, job_id))
            .busy(self.reprint_button)
            .on_success(queued)
            .message(self.banner.setText)
            .run()
        )

    def _show_shipments(self, rows: list[shipping.ShipmentRow]) -> None:
        from html import escape

        self._open_shipment = next((r.id for r in reversed(rows) if r.status != "delivered"), None)
        parts = []
        for row in rows:
            numbers = ", ".join(
                f'<a href="{escape(link)}">{escape(n)}</a>' if link else escape(n)
                for n, link in zip(
                    row.tracking, row.links or ("",) * len(row.tracking), strict=True
                )
            )
            note = f" — {escape(row.note)}" if row.note else ""
            parts.append(f"{escape(row.carrier)}: {numbers} ({shipment_label(row.status)}{note})")
        self.shipments.setText("<br>".join(parts) or "—")
        self.delivered_button.setVisible(self._open_shipment is not None)
        self.exception_button.setVisible(self._open_shipment is not None)

    def shipment_action(self, action: str) -> None:
        if self.detail is None or self._open_shipment is None:
            return
        note = ""
        if action == "exception":
            reason = self.ask_reason(_("Shipping exception"))
            if reason is None:
                return
            note = reason
        actor, shipment, order_id = self.ctx.actor, self._open_shipment, self.detail.id

        def mark(session: Session) -> None:
            if action == "delivered":
                shipping.mark_delivered(session, actor, shipment)
            else:
                shipping.mark_exception(session, actor, shipment, note)

        (
            op(self, self.ctx, mark)
            .busy(self.delivered_button, self.exception_button)
            .on_success(lambda _none: self._changed(order_id))
            .message(self.banner.setText)
            .run()
        )

    def _changed(self, order_id: int) -> None:
        """After a write to the order shown: show it as it is now, and tell the owner."""
        self.banner.clear()
        self._load(order_id)
        self.order_changed.emit(order_id)

    def choose_warehouse(self) -> None:
        from app.services.stock.locations import active_warehouses

        if self.detail is None:
            return
        (
            query(self, self.ctx, active_warehouses)
            .busy(self.change_warehouse)
            .on_success(self._ask_warehouse)
            .message(self.banner.setText)
            .run()
        )

    def _ask_warehouse(self, rows: list[tuple[int, str, str]]) -> None:
        detail = self.detail
        if detail is None:
            return
        labels = [f"{code} — {name}" for _id, code, name in rows]
        label, ok = QInputDialog.getItem(self, _("Ships from"), _("Warehouse:"), labels, 0, False)
        if not ok:
            return
        warehouse_id, actor = rows[labels.index(label)][0], self.ctx.actor
        (
            op(
                self,
                self.ctx,
                lambda s: order_actions.set_warehouse(
                    s, actor, detail.id, warehouse_id, detail.version
                ),
            )
            .busy(self.change_warehouse)
            .on_success(lambda _none: self._changed(detail.id))
            .message(self.banner.setText)
            .run()
        )

    def start_return(self) -> None:
        """Choose what comes back and why; the return label prints for the customer."""
        from app.views.orders.detail_return import start_return

        start_return(self)

    def edit_order(self) -> None:
        """The order entry form, filled with this order (new or accepted only)."""
        from app.views.orders.edit_order import EditOrderDialog

        if self.detail is None:
            return
        order_id = self.detail.id
        dialog = EditOrderDialog(self.ctx, order_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.edited.connect(self._changed)
        self.edit_dialog = dialog
        dialog.open()

    def reload(self) -> None:
        if self.detail is not None:
            self._load(self.detail.id)

    def ask_reason(self, title: str) -> str | None:
        """A reason for hold or cancel; None when the user backs out."""
        dialog = QInputDialog(self)
        dialog.setObjectName("reason_dialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(_("Reason (kept on the order's timeline):"))
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return dialog.textValue()

    def run_action(self, action: str) -> None:
        if self.detail is None:
            return
        detail = self.detail
        reason = None
        if action in ("hold", "cancel"):
            reason = self.ask_reason(_(REASON_TITLES[action]).format(number=detail.number))
            if reason is None:
                return
        actor, use_case = self.ctx.actor, getattr(order_actions, action)

        def transition(session: Session) -> None:
            if reason is not None:
                use_case(session, actor, detail.id, reason, detail.version)
            else:
                use_case(session, actor, detail.id, detail.version)

        (
            op(self, self.ctx, transition)
            .busy(*self.buttons.values())
            .on_success(lambda _none: self._changed(detail.id))
            .message(self.banner.setText)
            .run()
        )


__all__ = ["EventRow", "LineRow", "OrderDetailWidget"]
