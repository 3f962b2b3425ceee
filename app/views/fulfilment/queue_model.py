"""The orders of a fulfilment queue, a page at a time, read off the GUI thread.

Like PagedTableModel, but each page is a `query` (views/ops.py): the first page of a new
query replaces the rows when it arrives, scrolling asks for the next one (one page in
flight), and the answer to a query that has been replaced meanwhile is dropped.
(wip/orders builds views/cached_rows.py, which also re-reads single rows; this list can
move onto it once both are in.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from app.db import ServiceSession as Session
from app.views.context import AppContext
from app.views.ops import query
from app.views.table_models import Column, Index, RowsTableModel

LoadPage = Callable[[Session, int, int], list[Any]]  # (session, offset, limit) -> rows


class BackgroundPageModel(RowsTableModel):
    loaded = Signal()  # a page has been put in

    def __init__(
        self,
        columns: Sequence[Column],
        owner: QWidget,
        ctx: AppContext,
        message: Callable[[str], None],
        page_size: int = 200,
    ) -> None:
        super().__init__(columns, owner)
        self._owner, self._ctx, self._message = owner, ctx, message
        self._page = page_size
        self._load_page: LoadPage | None = None
        self._generation = 0
        self._exhausted = True
        self._loading = False

    def set_source(self, load_page: LoadPage) -> None:
        """A new query: its first page replaces the rows shown when it arrives."""
        self._load_page = load_page
        self._generation += 1
        self._read(0, self._page, replace=True)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._read(len(self._rows), self._page, replace=False)

    def _read(self, offset: int, count: int, *, replace: bool) -> None:
        load, generation = self._load_page, self._generation
        if load is None:
            return
        self._loading = True

        def arrived(rows: list[Any]) -> None:
            if generation != self._generation:
                return
            self._exhausted = len(rows) < count
            if replace:
                self.set_rows(rows)
            elif rows:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
            self.loaded.emit()

        def over() -> None:
            if generation == self._generation:
                self._loading = False  # also after an error: scrolling may ask again

        query(self._owner, self._ctx, lambda s: load(s, offset, count)).on_success(arrived).message(
            self._message
        ).finally_(over).run()
