"""The Orders tab's dialogs: a new purchase order (supplier, warehouse, one line per
product as `SKU QTY [COST]`) and the reason for a cancellation. Both show the service's
refusal inside the dialog and stay open, so a mistyped SKU costs one correction."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.core.errors import ValidationError
from app.core.i18n import N_, _
from app.core.money import parse_money
from app.db import ServiceSession as Session
from app.services.purchasing import order_status, orders
from app.services.purchasing.orders import LineInput
from app.views.context import AppContext
from app.views.ops import op
from app.views.widgets import ok_cancel, say

LINES_HINT = N_(
    "One line per product: SKU, quantity and (optionally) the unit cost\nABC-1 12\nABC-2 5 3.40"
)


def parse_lines(text: str, currency: str, locale: str | None = None) -> list[LineInput]:
    """'SKU QTY [COST]' per line (spaces or ':' between) -> lines; refused in words."""
    lines: list[LineInput] = []
    for number, raw in enumerate(text.splitlines(), 1):
        parts = raw.replace(":", " ").split()
        if not parts:
            continue
        if len(parts) not in (2, 3):
            raise ValidationError(
                _(
                    "Line {number} ({text}): write the SKU, the quantity and, if you like, "
                    "the cost."
                ).format(number=number, text=repr(raw.strip())),
                "lines",
            )
        sku, qty = parts[0], parts[1]
        if not (qty.isascii() and qty.isdigit()) or len(qty) > 9:
            raise ValidationError(
                _("Line {number}: the quantity {quantity} is not a whole number.").format(
                    number=number, quantity=repr(qty)
                )
            )
        cost = parse_money(parts[2], currency, locale) if len(parts) == 3 else None
        lines.append(LineInput(sku, int(qty), cost))
    return lines


class NewOrderDialog(QDialog):
    """A draft purchase order; `completed` carries its number."""

    completed = Signal(str)

    def __init__(self, ctx: AppContext, warehouse: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="new_po_dialog")
        self.ctx = ctx
        self.setWindowTitle(_("New purchase order"))
        form = QFormLayout(self)
        self.supplier = QLineEdit(objectName="new_po_supplier")
        self.supplier.setPlaceholderText(_("The supplier's code"))
        self.warehouse = QLineEdit(warehouse, objectName="new_po_warehouse")
        self.lines = QPlainTextEdit(objectName="new_po_lines")
        self.lines.setPlaceholderText(_(LINES_HINT))
        self.message = QLabel(objectName="new_po_message")
        self.message.setWordWrap(True)
        form.addRow(_("Supplier"), self.supplier)
        form.addRow(_("Warehouse"), self.warehouse)
        form.addRow(_("Lines"), self.lines)
        form.addRow(self.message)
        self.buttons = ok_cancel(self, form)

    def accept(self) -> None:
        actor, ctx = self.ctx.actor, self.ctx
        supplier, warehouse = self.supplier.text().strip(), self.warehouse.text().strip()
        text = self.lines.toPlainText()

        def create(s: Session) -> str:
            lines = parse_lines(text, ctx.currency, ctx.locale)
            return orders.create_order(s, actor, supplier, warehouse, lines)

        op(self, self.ctx, create).busy(self.buttons).on_success(self._done).message(
            lambda t: say(self.message, t, error=True)
        ).run()

    def _done(self, number: str) -> None:
        self.completed.emit(number)
        super().accept()


class CancelDialog(QDialog):
    """Why the order is called off (kept in the audit); `completed` says what was done."""

    completed = Signal(str)

    def __init__(
        self, ctx: AppContext, order: orders.OrderView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, objectName="cancel_po_dialog")
        self.ctx, self.order = ctx, order
        self.setWindowTitle(_("Cancel {number}").format(number=order.number))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                _("{number} to {supplier}: cancel it?").format(
                    number=order.number, supplier=order.supplier
                )
            )
        )
        self.reason = QLineEdit(objectName="cancel_po_reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(_("Why (the supplier cannot deliver, ordered twice …)"))
        self.message = QLabel(objectName="cancel_po_message")
        self.message.setWordWrap(True)
        form.addRow(_("Reason"), self.reason)
        form.addRow(self.message)
        self.buttons = ok_cancel(self, form)

    def accept(self) -> None:
        actor, order, reason = self.ctx.actor, self.order, self.reason.text().strip()
        if not reason:
            say(self.message, _("Say why the order is cancelled."), error=True)
            return
        op(
            self,
            self.ctx,
            lambda s: order_status.cancel(s, actor, order.id, reason, order.version),
        ).busy(self.buttons).on_success(lambda _n: self._done()).message(
            lambda t: say(self.message, t, error=True)
        ).run()

    def _done(self) -> None:
        self.completed.emit(_("Cancelled {number}.").format(number=self.order.number))
        super().accept()
