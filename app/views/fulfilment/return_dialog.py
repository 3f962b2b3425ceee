"""Choose what of a shipped order comes back, and why."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.core.i18n import _
from app.services.fulfilment.returns import ReturnableLine
from app.views.widgets import count_rows, nonzero, ok_cancel


class ReturnDialog(QDialog):
    def __init__(
        self, number: str, lines: list[ReturnableLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Return from {number}").format(number=number))
        form = QFormLayout(self)
        form.addRow(QLabel(_("How many of each come back (up to what was shipped):")))
        self.spins = count_rows(
            form,
            (
                (
                    ln.order_line_id,
                    _("{sku} {name} ({count} can come back)").format(
                        sku=ln.sku, name=ln.name, count=ln.returnable
                    ),
                    ln.returnable,
                    f"return_qty_{ln.order_line_id}",
                )
                for ln in lines
            ),
        )
        for spin in self.spins.values():
            spin.setEnabled(spin.maximum() > 0)
        self.reason_edit = QLineEdit(objectName="return_reason")
        self.reason_edit.setPlaceholderText(_("Wrong size, damaged, not as described…"))
        hint = self.reason_edit.fontMetrics().horizontalAdvance(self.reason_edit.placeholderText())
        self.reason_edit.setMinimumWidth(hint + 24)  # the hint says what a reason looks like
        form.addRow(_("Reason"), self.reason_edit)
        ok_cancel(self, form)

    def quantities(self) -> dict[int, int]:
        return nonzero(self.spins)

    def reason(self) -> str:
        return self.reason_edit.text()
