"""The column mapping of an import: one row per column of the file, each with a combo
saying which field it is read into (or none). Pre-filled from the service's own choice
(headers it recognises, the mapping saved for this file layout, or a named one)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QScrollArea, QWidget

from app.core.i18n import _
from app.services.transfer.headers import fields

NONE = ""  # the combo's data for "not imported"


class MappingTable(QScrollArea):
    """File column -> field, changeable; `changed` fires when the user picks another."""

    changed = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_mapping")
        self.kind = kind
        self.header: tuple[str, ...] = ()
        self.combos: list[QComboBox] = []
        self.setWidgetResizable(True)
        self.setWidget(QWidget())

    def set_header(self, header: Sequence[str], mapping: dict[str, int]) -> None:
        """Show the file's columns, each combo set to the field mapped to it."""
        self.header = tuple(header)
        by_column = {index: key for key, index in mapping.items()}
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.addWidget(QLabel(_("<b>Column of the file</b>")), 0, 0)
        grid.addWidget(QLabel(_("<b>Read into</b>")), 0, 1)
        self.combos = []
        for index, text in enumerate(self.header):
            combo = QComboBox(objectName=f"map_{index}")
            combo.addItem(_("(not imported)"), NONE)
            for field in fields(self.kind):
                combo.addItem(_(field.label) + (" *" if field.required else ""), field.key)
            combo.setCurrentIndex(max(combo.findData(by_column.get(index, NONE)), 0))
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            grid.addWidget(
                QLabel(text or _("column {number}").format(number=index + 1)), index + 1, 0
            )
            grid.addWidget(combo, index + 1, 1)
            self.combos.append(combo)
        grid.setRowStretch(len(self.header) + 1, 1)
        self.setWidget(inner)

    def choose(self, column: str, key: str) -> None:
        """Map the column with this header to the field `key` ('' for none)."""
        combo = self.combos[self.header.index(column)]
        combo.setCurrentIndex(combo.findData(key))

    def columns(self) -> dict[str, str]:
        """Field -> header for every field, '' for the fields no column is read into: the
        shape the service takes, so it reads exactly what the table shows."""
        chosen = {f.key: "" for f in fields(self.kind)}
        for text, combo in zip(self.header, self.combos, strict=True):
            key = combo.currentData()
            if key and not chosen[key]:
                chosen[key] = text
        return chosen
