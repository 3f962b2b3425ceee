"""Choose what of a shipped order comes back, and why."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.services.returns import ReturnableLine


class ReturnDialog(QDialog):
    def __init__(
        self, number: str, lines: list[ReturnableLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Return from {number}")
        self.spins: dict[int, QSpinBox] = {}
        form = QFormLayout(self)
        form.addRow(QLabel("How many of each come back (up to what was shipped):"))
        for line in lines:
            spin = QSpinBox(objectName=f"return_qty_{line.order_line_id}")
            spin.setRange(0, max(0, line.returnable))
            spin.setEnabled(line.returnable > 0)
            self.spins[line.order_line_id] = spin
            form.addRow(f"{line.sku} {line.name} ({line.returnable} can come back)", spin)
        self.reason_edit = QLineEdit(objectName="return_reason")
        self.reason_edit.setPlaceholderText("Wrong size, damaged, not as described…")
        form.addRow("Reason", self.reason_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def quantities(self) -> dict[int, int]:
        return {line_id: spin.value() for line_id, spin in self.spins.items() if spin.value()}

    def reason(self) -> str:
        return self.reason_edit.text()
