"""The Stock tab's two dialogs: an adjustment with its reason code, and a transfer to
another bin (scan its label into the field). Both say a refusal in the dialog and stay
open, so a mistyped bin costs one correction, not the whole form."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.core.i18n import _
from app.core.validation import MAX_QUANTITY
from app.services.stock import adjustments, transit
from app.services.stock.stock_page import StockLine
from app.views.context import AppContext
from app.views.ops import op
from app.views.widgets import ok_cancel, say


class AdjustDialog(QDialog):
    """Found units in, damaged or lost units out, or a correction either way."""

    completed = Signal(str)  # what was done, for the screen's message line

    def __init__(self, ctx: AppContext, line: StockLine, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="adjust_dialog")
        self.ctx, self.line = ctx, line
        self.setWindowTitle(_("Adjust {sku} in {bin}").format(sku=line.sku, bin=line.bin))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                _("{sku}  {name}\n{bin}: {on_hand} on hand").format(
                    sku=line.sku, name=line.name, bin=line.bin, on_hand=line.on_hand
                )
            )
        )
        self.reason = QComboBox(objectName="adjust_reason")
        for code in adjustments.REASONS:
            self.reason.addItem(adjustments.reason_label(code), code)
        self.quantity = QSpinBox(objectName="adjust_qty")
        self.quantity.setRange(-MAX_QUANTITY, MAX_QUANTITY)
        self.quantity.setToolTip(_("Units in (found) as a positive number, out as a negative one"))
        self.note = QLineEdit(objectName="adjust_note")
        self.note.setMaxLength(150)
        self.message = QLabel(objectName="adjust_message")
        self.message.setWordWrap(True)
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Units (+ in, − out)"), self.quantity)
        form.addRow(_("Note"), self.note)
        form.addRow(self.message)
        self.buttons = ok_cancel(self, form)

    def accept(self) -> None:
        actor, line = self.ctx.actor, self.line
        reason, delta, note = self.reason.currentData(), self.quantity.value(), self.note.text()
        op(
            self,
            self.ctx,
            lambda s: adjustments.adjust_by_code(s, actor, line.sku, line.bin, delta, reason, note),
        ).busy(self.buttons).on_success(lambda _id: self._done(delta, reason)).message(
            lambda t: say(self.message, t, error=True)
        ).run()

    def _done(self, delta: int, reason: str) -> None:
        self.completed.emit(
            _("{sku} in {bin}: {delta} ({reason}).").format(
                sku=self.line.sku,
                bin=self.line.bin,
                delta=f"{delta:+d}",
                reason=adjustments.reason_label(reason),
            )
        )
        super().accept()


class TransferDialog(QDialog):
    """Units to another bin: at once within a warehouse, through transit to another."""

    completed = Signal(str)

    def __init__(self, ctx: AppContext, line: StockLine, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="transfer_dialog")
        self.ctx, self.line = ctx, line
        self.setWindowTitle(_("Move {sku} from {bin}").format(sku=line.sku, bin=line.bin))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                _("{sku}  {name}\n{bin}: {available} free").format(
                    sku=line.sku, name=line.name, bin=line.bin, available=line.available
                )
            )
        )
        self.target = QLineEdit(objectName="transfer_to")
        self.target.setPlaceholderText(_("Scan or type the bin to put into"))
        self.quantity = QSpinBox(objectName="transfer_qty")
        self.quantity.setRange(1, max(1, line.available))
        self.message = QLabel(objectName="transfer_message")
        self.message.setWordWrap(True)
        form.addRow(_("To bin"), self.target)
        form.addRow(_("Units"), self.quantity)
        form.addRow(self.message)
        self.buttons = ok_cancel(self, form)

    def accept(self) -> None:
        actor, line = self.ctx.actor, self.line
        target, quantity = self.target.text().strip(), self.quantity.value()
        op(
            self,
            self.ctx,
            lambda s: transit.move_between_bins(s, actor, line.sku, line.bin, target, quantity),
        ).busy(self.buttons).on_success(self._done).message(
            lambda t: say(self.message, t, error=True)
        ).run()

    def _done(self, what: str) -> None:
        self.completed.emit(what)
        super().accept()
