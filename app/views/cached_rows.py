"""A paged table model that refreshes row by row (issue 14 item 6, as Anki's browser table).

The model holds the page's row ids and a cache of frozen rows. A change that names rows on
the page marks them stale; the stale rows are read again in one batch, off the GUI thread
(one query by id), and only those rows repaint. Until then a stale row shows what it
showed. A change that cannot name its rows (a new one may belong on the page, a row may
have moved) reloads the page, which keeps showing the old rows until the new ones are in.

Rows are frozen rows with an `id` (the list's key). Every read goes through views/ops.py
`query`, so a page never loads on the GUI thread; answers to an older query are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.db import ServiceSession as Session
from app.views.context import AppContext
from app.views.ops import query
from app.views.table_models import Column, Index, RowsTableModel

LoadPage = Callable[[Session, int, int], list[Any]]  # (session, offset, limit) -> rows
LoadRows = Callable[[Session, list[int]], list[Any]]  # (session, ids) -> rows still listed
KeepsPlace = Callable[[Any, Any], bool]  # (cached row, re-read row or None) -> may stay


class CachedPageModel(RowsTableModel):
    """Rows arrive a page at a time in the background; `mark_stale(ids)` re-reads those."""

    loaded = Signal()  # a page (or a batch of stale rows) has been put in
    reloaded = Signal()  # a re-read row could not keep its place: the page was reloaded

    def __init__(
        self,
        columns: Sequence[Column],
        owner: QWidget,
        ctx: AppContext,
        load_page: LoadPage,
        load_rows: LoadRows,
        *,
        keeps_place: KeepsPlace | None = None,
        on_sort: Callable[[str, bool], None] | None = None,
        message: Callable[[str], None] | None = None,
        page_size: int = 200,
    ) -> None:
        super().__init__(columns, owner)
        self._owner, self._ctx = owner, ctx
        self._load_page, self._load_rows = load_page, load_rows
        self._keeps_place = keeps_place
        self._on_sort = on_sort
        self._message = message
        self._page = page_size
        self._exhausted = True  # until the first page says otherwise
        self._loading = False
        self._generation = 0  # a new query or a reload makes answers to older ones moot
        self._where: dict[int, int] = {}  # row id -> position on the page
        self._stale: set[int] = set()  # marked, not yet asked for
        self._asking = False  # a batch of stale rows is being read

    # -- pages -------------------------------------------------------------------------

    def set_source(self, load_page: LoadPage, keep: int = 0) -> None:
        """A new query: read its first page (or as many rows as were shown) in the
        background; the rows shown stay until the new ones replace them."""
        self._load_page = load_page
        self._generation += 1
        self._stale.clear()
        self._loading = True
        count, generation = max(self._page, keep), self._generation
        self._read(
            lambda s: load_page(s, 0, count),
            lambda rows: self._replace(generation, count, rows),
            done=lambda: self._page_done(generation),
        )

    def set_row_loader(self, load_rows: LoadRows) -> None:
        """How stale rows are read (with the filters of the query the page came from)."""
        self._load_rows = load_rows

    def refresh(self) -> None:
        self.set_source(self._load_page, keep=len(self._rows))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._exhausted or self._loading:
            return
        self._loading = True
        load, offset, count = self._load_page, len(self._rows), self._page
        generation = self._generation
        self._read(
            lambda s: load(s, offset, count),
            lambda rows: self._append(generation, rows),
            done=lambda: self._page_done(generation),
        )

    def _page_done(self, generation: int) -> None:
        if generation == self._generation:
            self._loading = False  # also after an error: scrolling may ask again

    def _replace(self, generation: int, count: int, rows: list[Any]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows = list(rows)
        self._exhausted = len(rows) < count
        self._index_rows()
        self.endResetModel()
        self.loaded.emit()

    def _append(self, generation: int, rows: list[Any]) -> None:
        if generation != self._generation:
            return
        self._exhausted = len(rows) < self._page
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self._index_rows(start)
            self.endInsertRows()
        self.loaded.emit()

    def _index_rows(self, start: int = 0) -> None:
        if start == 0:
            self._where = {}
        for position in range(start, len(self._rows)):
            self._where[self._rows[position].id] = position

    # -- stale rows --------------------------------------------------------------------

    def shown_ids(self) -> set[int]:
        return set(self._where)

    def mark_stale(self, ids: Iterable[int]) -> bool:
        """Mark the rows of these ids that are on the page stale and read them again in
        one batch. Ids not on the page are none of this list's business: False if no id
        was on the page."""
        on_page = {i for i in ids if i in self._where}
        if not on_page:
            return False
        self._stale |= on_page
        self._ask_stale()
        return True

    def _ask_stale(self) -> None:
        if self._asking or not self._stale:
            return  # the batch in flight asks again for what was marked meanwhile
        ids, self._stale = sorted(self._stale), set()
        self._asking = True
        load, generation = self._load_rows, self._generation
        self._read(
            lambda s: load(s, ids),
            lambda rows: self._put_stale(generation, ids, rows),
            done=self._stale_done,
        )

    def _stale_done(self) -> None:
        self._asking = False
        self._ask_stale()

    def _put_stale(self, generation: int, ids: list[int], rows: list[Any]) -> None:
        if generation != self._generation:
            return  # the page was reloaded meanwhile: its rows are newer than these
        fresh = {row.id: row for row in rows}
        for row_id in ids:
            position = self._where.get(row_id)
            if position is None:
                continue
            new = fresh.get(row_id)
            old = self._rows[position]
            if self._keeps_place is not None and not self._keeps_place(old, new):
                self.refresh()
                self.reloaded.emit()
                return
            if new is not None:
                self._rows[position] = new
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(position, 0), self.index(position, last))
        self.loaded.emit()

    # -- plumbing ----------------------------------------------------------------------

    def _read(
        self,
        work: Callable[[Session], list[Any]],
        put: Callable[[list[Any]], None],
        done: Callable[[], None] | None = None,
    ) -> None:
        operation = query(self._owner, self._ctx, work).on_success(put)
        if self._message is not None:
            operation.message(self._message)
        if done is not None:
            operation.finally_(done)
        operation.run()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or self._on_sort is None:
            return
        key = self._columns[column].sort_key
        if key is not None:
            self._on_sort(key, order == Qt.SortOrder.DescendingOrder)
