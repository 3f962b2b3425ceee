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
from app.core.i18n import N_, _, ngettext
from app.services.fulfilment import return_bench, returns
from app.services.fulfilment.return_bench import Received, Refunded, ReturnView
from app.services.fulfilment.returns import ReturnLineRow, ReturnRow
from app.views.context import AppContext
from app.views.fulfilment.bench_queue import BenchQueue
from app.views.ops import Op, op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, key_buttons, make_table, say

PROMPT = "font-size: 20pt; font-weight: 700"
METHOD_LABELS = {
    "card": N_("Card"),
    "bank_transfer": N_("Bank transfer"),
    "cash": N_("Cash"),
    "store_credit": N_("Store credit"),
}
ASK_REFUND = {  # whole sentences per method: a translator can put the words where they go
    "card": N_("Refund {amount} for {number} by card?"),
    "bank_transfer": N_("Refund {amount} for {number} by bank transfer?"),
    "cash": N_("Refund {amount} for {number} in cash?"),
    "store_credit": N_("Refund {amount} for {number} as store credit?"),
}
REFUNDED = {
    "card": N_("Refunded {amount} by card."),
    "bank_transfer": N_("Refunded {amount} by bank transfer."),
    "cash": N_("Refunded {amount} in cash."),
    "store_credit": N_("Refunded {amount} as store credit."),
}


class ReturnsPage(QWidget):
    back = Signal()

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, bench: BenchQueue | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bench = bench or BenchQueue()
        self.rma: ReturnRow | None = None
        self.prompt = QLabel(_("Scan a return label"), objectName="rma_prompt", styleSheet=PROMPT)
        self.message = QLabel(objectName="rma_message", wordWrap=True)
        self.model = RowsTableModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Product"), lambda r: r.name),
                Column(_("Expected"), lambda r: str(r.quantity), align=RIGHT),
                Column(_("Received"), lambda r: str(r.received), align=RIGHT),
                Column(_("Restocked"), lambda r: str(r.restocked), align=RIGHT),
                Column(_("Scrapped"), lambda r: str(r.scrapped), align=RIGHT),
                Column(_("Reason"), lambda r: r.reason),
            ],
            self,
        )
        self.table = make_table(self.model, "rma_lines", stretch=1)
        self.bin = QComboBox(objectName="rma_bin")
        self.method = QComboBox(objectName="rma_method")
        for key, label in METHOD_LABELS.items():
            self.method.addItem(_(label), key)
        form = QFormLayout()
        form.addRow(_("Restock to"), self.bin)
        form.addRow(_("Refund by"), self.method)
        buttons = key_buttons(
            self,
            "rma",
            (
                ("restock", _("F6  Restock one"), Qt.Key.Key_F6, lambda: self.decide(1, 0)),
                ("scrap", _("F7  Scrap one"), Qt.Key.Key_F7, lambda: self.decide(0, 1)),
                ("refund", _("F12  Refund"), Qt.Key.Key_F12, self.refund),
                ("back", _("Back (Esc)"), Qt.Key.Key_Escape, self.back.emit),
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

    def _error(self, text: str) -> None:
        self.say(text, error=True)

    def _opened(self, opened: ReturnView) -> None:
        self.bin.clear()
        for location_id, code in opened.bins:
            self.bin.addItem(code, location_id)
        self.display(opened.rma)
        self.say("")

    def display(self, rma: ReturnRow, select: int | None = None) -> None:
        """The return as it stands; `select` the line of that id (else the first line)."""
        self.rma = rma
        self.model.set_rows(list(rma.lines))
        waiting = sum(ln.quantity - ln.received for ln in rma.lines)
        if rma.status == "refunded":
            self.prompt.setText(
                _("{number} is refunded ({amount}).").format(
                    number=rma.number, amount=self.ctx.money(rma.refunded)
                )
            )
        elif waiting:
            self.prompt.setText(
                ngettext(
                    "{number} for {order_number}: scan the {waiting} item",
                    "{number} for {order_number}: scan the {waiting} items",
                    waiting,
                ).format(number=rma.number, order_number=rma.order_number, waiting=waiting)
            )
        elif rma.refund_due:
            self.prompt.setText(_("{number}: all decided — F12 refunds").format(number=rma.number))
        else:
            self.prompt.setText(
                _("{number}: choose a line, F6 restock or F7 scrap").format(number=rma.number)
            )
        ids = [ln.id for ln in rma.lines]
        if select in ids:
            self.table.selectRow(ids.index(select))
        elif self.table.selectionModel().selectedRows() == [] and rma.lines:
            self.table.selectRow(0)
        self._allow()

    def _allow(self) -> None:
        """Restock/scrap while units wait to be decided; refund once all are (each
        greyed with its reason otherwise; the F-keys say the same)."""
        rma = self.rma
        if rma is None:
            decide = refund = _("Scan the return label first.")
        elif rma.status == "refunded":
            decide = refund = _("{number} is refunded already.").format(number=rma.number)
        else:
            undecided = any(ln.restocked + ln.scrapped < ln.received for ln in rma.lines)
            decide = "" if undecided else _("Nothing received is left to decide: scan items.")
            refund = "" if rma.refund_due else _("Inspect every unit first (F6 restock, F7 scrap).")
            if not refund and not self.ctx.actor.can(Permission.ORDERS_CANCEL):
                refund = _("Refunds are a clerk's or a manager's: ask one to press F12.")
        for name in ("restock", "scrap"):
            allow(self.findChild(QPushButton, f"rma_{name}"), decide)
        allow(self.findChild(QPushButton, "rma_refund"), refund)

    def handle_scan(self, code: str) -> bool:
        """A return label or an item that came back, in its turn (BenchQueue)."""
        self.bench.submit(lambda: self.scan_step(code))
        return True

    def scan_step(self, code: str) -> Op[ReturnView] | Op[Received] | None:
        if code.strip().upper().startswith("RMA"):
            return (
                query(self, self.ctx, lambda s: return_bench.open_return(s, code))
                .on_success(self._opened)
                .message(self._error)
            )
        if self.rma is None:
            self.say(_("Scan the return label first."), error=True)
            return None
        actor, return_id = self.ctx.actor, self.rma.id

        def received(done: Received) -> None:
            line = done.line
            self.say(
                _("{sku}: {received} of {quantity} received").format(
                    sku=line.sku, received=line.received, quantity=line.quantity
                )
            )
            self.display(done.rma, select=line.id)

        return (
            op(self, self.ctx, lambda s: return_bench.receive(s, actor, return_id, code))
            .on_success(received)
            .message(self._error)
        )

    def _selected(self) -> ReturnLineRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def decide(self, restock: int, scrap: int) -> None:
        self.bench.submit(lambda: self._decide(restock, scrap))

    def _decide(self, restock: int, scrap: int) -> Op[ReturnRow] | None:
        line = self._selected()
        if self.rma is None or line is None:
            self.say(_("Scan a return and choose a line."), error=True)
            return None
        actor, return_id, bin_id = self.ctx.actor, self.rma.id, self.bin.currentData()
        where = self.bin.currentText()

        def decided(rma: ReturnRow) -> None:
            said = (
                (_("{sku}: one restocked to {bin}.") if where else _("{sku}: one restocked."))
                if restock
                else _("{sku}: one scrapped.")
            )
            self.say(said.format(sku=line.sku, bin=where))
            self.display(rma, select=line.id)

        return (
            op(
                self,
                self.ctx,
                lambda s: return_bench.inspect(
                    s, actor, return_id, line.id, (restock, scrap), bin_id
                ),
            )
            .on_success(decided)
            .message(self._error)
        )

    def refund(self) -> None:
        """F12: the money goes back once the cashier has seen the amount and said yes."""
        self.bench.submit(self._ask_refund)

    def _ask_refund(self) -> Op[int] | None:
        if self.rma is None:
            return None
        if not self.rma.refund_due:
            self.say(
                _("Inspect every unit of {number} before refunding it.").format(
                    number=self.rma.number
                ),
                error=True,
            )
            return None
        return_id = self.rma.id
        return (
            query(self, self.ctx, lambda s: returns.refund_amount(s, return_id))
            .on_success(lambda due: self._confirmed(return_id, due))
            .message(self._error)
        )

    def _confirmed(self, return_id: int, due: int) -> None:
        if not self.confirm_refund(due):
            self.say(_("Not refunded."))
            return
        actor, method = self.ctx.actor, self.method.currentData()

        def refunded(done: Refunded) -> None:
            self.say(_(REFUNDED[method]).format(amount=self.ctx.money(done.amount)))
            self.display(done.rma)

        self.bench.submit(
            lambda: (
                op(self, self.ctx, lambda s: return_bench.refund(s, actor, return_id, method))
                .busy(self._refund_button())
                .on_success(refunded)
                .on_failure(self._refused)
            )
        )

    def _refund_button(self) -> QPushButton:
        button = self.findChild(QPushButton, "rma_refund")
        assert button is not None
        return button

    def _refused(self, exc: KestrelError) -> None:
        self.say(exc.message, error=True)
        self._allow()  # greyed again if it was (F12 works on a greyed button)

    def confirm_refund(self, amount: int) -> bool:
        answer = QMessageBox.question(
            self,
            _("Refund"),
            _(ASK_REFUND[self.method.currentData()]).format(
                amount=self.ctx.money(amount), number=self.rma.number if self.rma else ""
            ),
        )
        return answer == QMessageBox.StandardButton.Yes
