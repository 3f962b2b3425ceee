"""One order: lines, totals, ship-to, status, the timeline, and the lifecycle buttons.

Each button calls the service with the version this screen shows; a domain error (out of
stock, changed by someone else...) appears in the banner in the service's own words.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import orders
from app.services.errors import KestrelError
from app.services.orders import EventRow, LineRow, OrderDetail
from app.views.context import AppContext, local_time
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import make_table

ACTION_LABELS = {
    "accept": "&Accept",
    "confirm": "&Confirm",
    "hold": "&Hold",
    "release": "&Release hold",
    "cancel": "Cance&l order",
}


class OrderDetailWidget(QWidget):
    order_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: OrderDetail | None = None
        self.title = QLabel("Select an order", objectName="order_title")
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600")
        self.status = QLabel(objectName="order_status")
        self.banner = QLabel(objectName="banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #b00020; font-weight: 600")
        self.customer = QLabel(objectName="customer")
        self.ship_to = QLabel(objectName="ship_to")
        self.totals = QLabel(objectName="totals")
        money = ctx.money
        self.lines_model = RowsTableModel(
            [
                Column("#", lambda r: str(r.line_no), align=RIGHT),
                Column("SKU", lambda r: r.sku),
                Column("Product", lambda r: r.name),
                Column("Qty", lambda r: str(r.quantity), align=RIGHT),
                Column("Price", lambda r: money(r.unit_price), align=RIGHT),
                Column("Discount", lambda r: money(r.discount) if r.discount else "", align=RIGHT),
                Column("Tax", lambda r: f"{r.tax_rate_bp / 100:g} %", align=RIGHT),
                Column("Total", lambda r: money(r.total), align=RIGHT),
            ],
            self,
        )
        self.events_model = RowsTableModel(
            [
                Column("When", lambda e: local_time(e.at)),
                Column("Who", lambda e: e.user_name),
                Column("Workstation", lambda e: e.workstation),
                Column("What", lambda e: e.message or e.kind),
            ],
            self,
        )
        self.lines_view = make_table(self.lines_model, "lines")
        self.events_view = make_table(self.events_model, "timeline")
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for name, label in ACTION_LABELS.items():
            button = QPushButton(label, objectName=f"action_{name}")
            button.clicked.connect(lambda _=False, n=name: self.run_action(n))
            button.hide()
            self.buttons[name] = button
            actions.addWidget(button)
        actions.addStretch(1)

        info = QFormLayout()
        info.addRow("Status", self.status)
        info.addRow("Customer", self.customer)
        info.addRow("Ship to", self.ship_to)
        info.addRow("Totals", self.totals)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(info)
        layout.addLayout(actions)
        layout.addWidget(QLabel("Lines"))
        layout.addWidget(self.lines_view, 3)
        layout.addWidget(QLabel("Timeline"))
        layout.addWidget(self.events_view, 2)

    def show_order(self, order_id: int) -> None:
        self.banner.clear()
        self._load(order_id)

    def _load(self, order_id: int) -> None:
        try:
            with self.ctx.database.read() as session:
                detail = orders.get_order(session, order_id, self.ctx.actor)
        except KestrelError as exc:
            self.banner.setText(exc.message)
            return
        self.detail = detail
        money = self.ctx.money
        self.title.setText(f"{detail.number}  ·  {detail.channel}")
        self.status.setText(orders.status_label(detail.status))
        contact = ", ".join(p for p in (detail.email, detail.phone) if p)
        self.customer.setText(detail.customer_name + (f" ({contact})" if contact else ""))
        self.ship_to.setText(", ".join(detail.ship_to) or "—")
        self.totals.setText(
            f"net {money(detail.subtotal, detail.currency)}   tax "
            f"{money(detail.tax_total, detail.currency)}   total "
            f"{money(detail.total, detail.currency)}"
        )
        self.lines_model.set_rows(list(detail.lines))
        self.events_model.set_rows(list(detail.events))
        self.lines_view.resizeColumnsToContents()
        self.events_view.resizeColumnsToContents()
        self.events_view.scrollToBottom()
        for name, button in self.buttons.items():
            button.setVisible(name in detail.actions)

    def reload(self) -> None:
        if self.detail is not None:
            self._load(self.detail.id)

    def ask_reason(self, title: str) -> str | None:
        """A reason for hold or cancel; None when the user backs out."""
        dialog = QInputDialog(self)
        dialog.setObjectName("reason_dialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText("Reason (kept on the order's timeline):")
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return dialog.textValue()

    def run_action(self, action: str) -> None:
        if self.detail is None:
            return
        detail = self.detail
        reason = None
        if action in ("hold", "cancel"):
            reason = self.ask_reason(f"{ACTION_LABELS[action].replace('&', '')} {detail.number}")
            if reason is None:
                return
        try:
            with self.ctx.database.write() as session:
                if reason is not None:
                    getattr(orders, action)(
                        session, self.ctx.actor, detail.id, reason, detail.version
                    )
                else:
                    getattr(orders, action)(session, self.ctx.actor, detail.id, detail.version)
        except KestrelError as exc:
            self.banner.setText(exc.message)
            return
        self.banner.clear()
        self._load(detail.id)
        self.order_changed.emit(detail.id)


__all__ = ["EventRow", "LineRow", "OrderDetailWidget"]
