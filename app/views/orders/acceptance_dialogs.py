"""The two questions the acceptance queue asks: why an order is rejected, and what its
corrected ship-to address and e-mail are. Both open without blocking (`open()`), and
say their answer by a signal; the service checks it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from app.core.i18n import _
from app.services.sales.acceptance import QueueRow
from app.services.sales.customers import AddressInput
from app.views.orders.entry_parts import address_rows
from app.views.widgets import ok_cancel


class ReasonDialog(QDialog):
    chosen = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="reject_dialog")
        self.setWindowTitle(title)
        self.reason = QLineEdit(objectName="reject_reason")
        self.reason.setPlaceholderText(_("Kept on the order's timeline"))
        form = QFormLayout(self)
        form.addRow(_("Reason"), self.reason)
        ok_cancel(self, form)

    def accept(self) -> None:
        self.chosen.emit(self.reason.text())
        super().accept()


class FixDialog(QDialog):
    """The order's ship-to address and e-mail, as they are; OK sends what was changed."""

    fixed = Signal(object, object)  # AddressInput or None, e-mail or None

    FIELDS = ("name", "line1", "line2", "city", "postcode", "region", "country")

    def __init__(self, row: QueueRow, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="fix_dialog")
        self.setWindowTitle(_("Fix {number}").format(number=row.number))
        self._row = row
        form = QFormLayout(self)
        self.edits = address_rows(form, self.FIELDS, "fix", row.ship_to)
        self.email = QLineEdit(row.email, objectName="fix_email")
        form.addRow(_("E-mail"), self.email)
        ok_cancel(self, form)

    def address(self) -> AddressInput:
        return AddressInput(**{name: edit.text() for name, edit in self.edits.items()})

    def accept(self) -> None:
        address = self.address()
        ship_to = None if address == self._row.ship_to else address
        email = None if self.email.text() == self._row.email else self.email.text()
        if ship_to is not None or email is not None:
            self.fixed.emit(ship_to, email)
        super().accept()
