"""A report's rows as a Qt table model: cells formatted by their column's kind (money in
the shop's currency and locale with Babel, percent from basis points), numbers to the
right, and rows handed to the view a page at a time (a year by day is a few hundred rows;
a report by product can be many thousands, and the view lays out only what it has)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.i18n import _
from app.core.money import format_money
from app.services.reports.base import Column, ReportResult

Index = QModelIndex | QPersistentModelIndex
PAGE = 500
NUMERIC = ("int", "money", "percent", "hours", "quantity")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def cell_text(column: Column, value: object, currency: str, locale: str) -> str:
    if value is None or value == "":
        return ""
    kind = column.kind
    try:
        if kind == "money" and isinstance(value, int):
            return format_money(value, currency, locale)
        if kind == "percent" and isinstance(value, int | float):
            return format_decimal(Decimal(value).scaleb(-2), "#,##0.00", locale=locale) + " %"
        if kind == "hours" and isinstance(value, int | float):
            return format_decimal(value, "#,##0.0", locale=locale) + " h"
        if kind in ("int", "quantity") and isinstance(value, int | float):
            return format_decimal(value, locale=locale)
    except (ValueError, ArithmeticError):
        pass
    return str(value)


class ResultModel(QAbstractTableModel):
    def __init__(self, locale: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._locale = locale
        self.result: ReportResult | None = None
        self._shown = 0

    def set_result(self, result: ReportResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self._shown = min(PAGE, len(result.rows)) if result else 0
        self.endResetModel()

    def total_rows(self) -> int:
        return len(self.result.rows) if self.result else 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.result is None else len(self.result.columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._shown < self.total_rows()

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        more = min(PAGE, self.total_rows() - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        result = self.result
        if result is None or not index.isValid() or index.row() >= self._shown:
            return None
        column = result.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = result.rows[index.row()].get(column.key)
            return cell_text(column, value, result.currency, self._locale)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMERIC:
            return int(RIGHT)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and self.result is not None
            and 0 <= section < len(self.result.columns)
        ):
            return _(self.result.columns[section].title)
        return None
