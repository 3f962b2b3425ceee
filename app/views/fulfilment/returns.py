"""Goods-in for returns: scan the return label (RMA number), scan each item that came
back, then decide per line — F6 back on the shelf, F7 scrap — and F12 refunds."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.errors import KestrelError
from app.services.fulfilment import returns
from app.services.fulfilment.returns import ReturnLineRow, ReturnRow
from app.views.context import AppContext
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, key_buttons, make_table, say

PROMPT = "font-size: 20pt; font-weight: 700"
METHOD_LABELS = {
    "card": "Card",
    "bank_transfer": "Bank transfer",
    "cash": "Cash",
    "store_credit": "Store credit",
}


class ReturnsPage(QWidget):
    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rma: ReturnRow | None = None
        self.prompt = QLabel("Scan a return label", objectName="rma_prompt", styleSheet=PROMPT)
        self.message = QLabel(objectName="rma_message", wordWrap=True)
        self.model = RowsTableModel(
            [
                Column("SKU", lambda r: r.sku),
                Column("Product", lambda r: r.name),
                Column("Expected", lambda r: str(r.quantity), align=RIGHT),
                Column("Received", lambda r: str(r.received), align=RIGHT),
                Column("Restocked", lambda r: str(r.restocked), align=RIGHT),
                Column("Scrapped", lambda r: str(r.scrapped), align=RIGHT),
                Column("Reason", lambda r: r.reason),
            ],
            self,
        )
        self.table = make_table(self.model, "rma_lines", stretch=1)
        self.bin = QComboBox(objectName="rma_bin")
        self.method = QComboBox(objectName="rma_method")
        for key, label in METHOD_LABELS.items():
            self.method.addItem(label, key)
        form = QFormLayout()
        form.addRow("Restock to", self.bin)
        form.addRow("Refund by", self.method)
        buttons = key_buttons(
            self,
            "rma",
            (
                ("restock", "F6  Restock one", Qt.Key.Key_F6, lambda: self.decide(1, 0)),
                ("scrap", "F7  Scrap one", Qt.Key.Key_F7, lambda: self.decide(0, 1)),
                ("refund", "F12  Refund", Qt.Key.Key_F12, self.refund),
                ("back", "Back (Esc)", Qt.Key.Key_Escape, self.back.emit),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._allow()

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def open_return(self, return_id: int) -> None:
        self.refresh(return_id)
        self._load_bins()
        self.say("")

    def _load_bins(self) -> None:
        from app.services.stock.locations import order_bins

        if self.rma is None:
            return
        with self.ctx.database.read() as session:
            bins = order_bins(session, self.rma.order_id)
        self.bin.clear()
        for location_id, code in bins:
            self.bin.addItem(code, location_id)

    def refresh(self, return_id: int | None = None) -> None:
        target = return_id if return_id is not None else (self.rma.id if self.rma else None)
        if target is None:
            return
        with self.ctx.database.read() as session:
            self.rma = returns.get(session, target)
        rma = self.rma
        self.model.set_rows(list(rma.lines))
        waiting = sum(ln.quantity - ln.received for ln in rma.lines)
        if rma.status == "refunded":
            self.prompt.setText(f"{rma.number} is refunded ({self.ctx.money(rma.refunded)}).")
        elif waiting:
            self.prompt.setText(f"{rma.number} for {rma.order_number}: scan the {waiting} item(s)")
        elif rma.refund_due:
            self.prompt.setText(f"{rma.number}: all decided — F12 refunds")
        else:
            self.prompt.setText(f"{rma.number}: choose a line, F6 restock or F7 scrap")
        if self.table.selectionModel().selectedRows() == [] and rma.lines:
            self.table.selectRow(0)
        self._allow()

    def _allow(self) -> None:
        """Restock/scrap while units wait to be decided; refund once all are (each
        greyed with its reason otherwise; the F-keys say the same)."""
        rma = self.rma
        if rma is None:
            decide = refund = "Scan the return label first."
        elif rma.status == "refunded":
            decide = refund = f"{rma.number} is refunded already."
        else:
            undecided = any(ln.restocked + ln.scrapped < ln.received for ln in rma.lines)
            decide = "" if undecided else "Nothing received is left to decide: scan items."
            refund = "" if rma.refund_due else "Inspect every unit first (F6 restock, F7 scrap)."
            if not refund and not self.ctx.actor.can(Permission.ORDERS_CANCEL):
                refund = "Refunds are a clerk's or a manager's: ask one to press F12."
        for name in ("restock", "scrap"):
            allow(self.findChild(QPushButton, f"rma_{name}"), decide)
        allow(self.findChild(QPushButton, "rma_refund"), refund)

    def handle_scan(self, code: str) -> bool:
        try:
            if code.strip().upper().startswith("RMA"):
                with self.ctx.database.read() as session:
                    self.open_return(returns.find(session, code))
                return True
            if self.rma is None:
                self.say("Scan the return label first.", error=True)
                return True
            with self.ctx.database.write() as session:
                line = returns.receive_scan(session, self.ctx.actor, self.rma.id, code)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return True
        self.say(f"{line.sku}: {line.received} of {line.quantity} received")
        self.refresh()
        self.table.selectRow([ln.id for ln in self.rma.lines].index(line.id))  # type: ignore[union-attr]
        return True

    def _selected(self) -> ReturnLineRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def decide(self, restock: int, scrap: int) -> None:
        line = self._selected()
        if self.rma is None or line is None:
            self.say("Scan a return and choose a line.", error=True)
            return
        try:
            with self.ctx.database.write() as session:
                returns.inspect(
                    session, self.ctx.actor, line.id, restock, scrap, self.bin.currentData()
                )
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        where = f" to {self.bin.currentText()}" if restock else ""
        self.say(f"{line.sku}: one {'restocked' + where if restock else 'scrapped'}.")
        row = [ln.id for ln in self.rma.lines].index(line.id)
        self.refresh()
        self.table.selectRow(row)

    def refund(self) -> None:
        """F12: the money goes back once the cashier has seen the amount and said yes."""
        if self.rma is None:
            return
        if not self.rma.refund_due:
            self.say(f"Inspect every unit of {self.rma.number} before refunding it.", error=True)
            return
        with self.ctx.database.read() as session:
            due = returns.refund_amount(session, self.rma.id)
        if not self.confirm_refund(due):
            self.say("Not refunded.")
            return
        try:
            with self.ctx.database.write() as session:
                amount = returns.refund(
                    session, self.ctx.actor, self.rma.id, self.method.currentData()
                )
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.say(f"Refunded {self.ctx.money(amount)} by {self.method.currentText().lower()}.")
        self.refresh()

    def confirm_refund(self, amount: int) -> bool:
        answer = QMessageBox.question(
            self,
            "Refund",
            f"Refund {self.ctx.money(amount)} for {self.rma.number if self.rma else ''} "
            f"by {self.method.currentText().lower()}?",
        )
        return answer == QMessageBox.StandardButton.Yes
