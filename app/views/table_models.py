"""Table models over frozen rows (STYLE habit 3): no ORM object, no lazy load in data().

RowsTableModel shows a short list given whole (order lines, timeline). PagedTableModel
asks a fetch function for one page at a time as the view scrolls, so a list over a
million orders costs one indexed query per page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort_key: str | None = None
    align: Qt.AlignmentFlag | None = None


class RowsTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align)
        if role == ROW_ROLE:
            return self._rows[index.row()]
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None


Fetch = Callable[[int, int], list[Any]]


class PagedTableModel(RowsTableModel):
    """Rows arrive a page at a time; sorting asks the owner for a new query."""

    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Fetch,
        on_sort: Callable[[str, bool], None] | None = None,
        page_size: int = 200,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._fetch = fetch
        self._on_sort = on_sort
        self._page = page_size
        self._exhausted = False

    def set_fetch(self, fetch: Fetch, keep: int = 0) -> None:
        """New query: drop the rows, load the first page (or as many as were shown)."""
        self.beginResetModel()
        self._fetch = fetch
        self._rows = []
        self._exhausted = False
        self.endResetModel()
        self._load(max(self._page, keep))

    def refresh(self) -> None:
        self.set_fetch(self._fetch, keep=len(self._rows))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._exhausted:
            return
        self._load(self._page)

    def _load(self, count: int) -> None:
        rows = self._fetch(len(self._rows), count)
        if len(rows) < count:
            self._exhausted = True
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or self._on_sort is None:
            return
        key = self._columns[column].sort_key
        if key is not None:
            self._on_sort(key, order == Qt.SortOrder.DescendingOrder)
