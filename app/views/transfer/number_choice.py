"""How the file writes its numbers, in the import wizard: its decimal mark and its digit
grouping, seen in the file by the preview (shown as such) or chosen here; a choice is
saved with the mapping."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.core.i18n import _
from app.core.number_format import (
    DECIMAL_LABELS,
    GROUPING_LABELS,
    GROUPINGS,
    NumberFormat,
    number_format,
)

SEEN = "seen"  # the decimal combo's data for "as the file shows"


class NumberChoice(QWidget):
    """Decimal mark and grouping mark; `changed` fires when the user picks another."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_numbers")
        self.decimal = QComboBox(objectName="import_decimal")
        self.decimal.addItem(_("as the file shows"), SEEN)
        for mark, label in DECIMAL_LABELS.items():
            self.decimal.addItem(_(label), mark)
        self.grouping = QComboBox(objectName="import_grouping")
        for mark in GROUPINGS:
            self.grouping.addItem(_(GROUPING_LABELS[mark]), mark)
        self.seen = QLabel(objectName="import_numbers_seen")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Decimal mark")))
        layout.addWidget(self.decimal)
        layout.addWidget(QLabel(_("Grouping")))
        layout.addWidget(self.grouping)
        layout.addWidget(self.seen, 1)
        self.decimal.currentIndexChanged.connect(self._decimal_chosen)
        self.grouping.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.grouping.setEnabled(False)

    def number(self) -> NumberFormat | None:
        """The format chosen here; None while the file's own is taken."""
        decimal = self.decimal.currentData()
        if decimal == SEEN:
            return None
        grouping = self.grouping.currentData()
        return number_format(decimal, None if grouping == decimal else grouping)

    def show_found(self, number: NumberFormat, seen: bool) -> None:
        """What the preview read the numbers as: seen in the file, or given/saved (then
        the combos show it)."""
        self.blockSignals(True)
        try:
            if not seen:
                self.decimal.setCurrentIndex(self.decimal.findData(number.decimal))
            self._set_grouping(number.grouping)
        finally:
            self.blockSignals(False)
        self.grouping.setEnabled(not seen)
        text = _("Seen in the file: {format}") if seen else _("Read as: {format}")
        self.seen.setText(text.format(format=number.describe()))

    def _set_grouping(self, mark: str) -> None:
        self.grouping.blockSignals(True)
        self.grouping.setCurrentIndex(max(self.grouping.findData(mark), 0))
        self.grouping.blockSignals(False)

    def _decimal_chosen(self) -> None:
        decimal = self.decimal.currentData()
        self.grouping.setEnabled(decimal != SEEN)
        if decimal != SEEN and self.grouping.currentData() == decimal:
            self._set_grouping(number_format(decimal).grouping)
        self.changed.emit()
