"""A paged table whose pages are read off the GUI thread (views/ops.py `query`).

A page is a service call `load_page(session, offset, limit)` run by `query` (a model that
fetched on the GUI thread froze the screen while a slow server answered). The rows shown
stay until the new ones replace them, and answers to an older query (the search text
changed meanwhile) are dropped. `loaded` tells the screen a page is in (to say "nothing
matches", or to select a row again).
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


class QueryPageModel(RowsTableModel):
    """Rows arrive a page at a time in the background; `set_source` starts a new query."""

    loaded = Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        owner: QWidget,
        ctx: AppContext,
        load_page: LoadPage | None = None,
        *,
        message: Callable[[str], None] | None = None,
        page_size: int = 200,
    ) -> None:
        """`load_page` None: nothing is read until the screen calls `set_source`."""
        super().__init__(columns, owner)
        self._owner, self._ctx = owner, ctx
        self._load_page = load_page
        self._message = message
        self._page = page_size
        self._exhausted = True  # until the first page says otherwise
        self._loading = False
        self._generation = 0

    def set_source(self, load_page: LoadPage, keep: int = 0) -> None:
        """A new query: its first page (or as many rows as were shown) replaces the rows."""
        self._load_page = load_page
        self._generation += 1
        generation, count = self._generation, max(self._page, keep)
        self._read(
            lambda s: load_page(s, 0, count),
            lambda rows: self._put(generation, count, rows, replace=True),
        )

    def refresh(self) -> None:
        """The same query again (a change notice), keeping as many rows as are shown."""
        if self._load_page is not None:
            self.set_source(self._load_page, keep=len(self._rows))

    def loading(self) -> bool:
        return self._loading

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return (
            not parent.isValid()
            and self._load_page is not None
            and not self._exhausted
            and not self._loading
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        load, generation = self._load_page, self._generation
        assert load is not None  # canFetchMore says so
        offset, count = len(self._rows), self._page
        self._read(
            lambda s: load(s, offset, count),
            lambda rows: self._put(generation, count, rows, replace=False),
        )

    def _read(self, work: Callable[[Session], list[Any]], put: Callable[[list[Any]], None]) -> None:
        self._loading = True
        generation = self._generation
        read = query(self._owner, self._ctx, work).on_success(put)
        if self._message is not None:
            read.message(self._message)
        read.finally_(lambda: self._done(generation)).run()

    def _done(self, generation: int) -> None:
        if generation == self._generation:
            self._loading = False

    def _put(self, generation: int, count: int, rows: list[Any], *, replace: bool) -> None:
        if generation != self._generation:
            return  # an older query's answer: a newer one is on its way
        self._loading = False
        self._exhausted = len(rows) < count
        if replace:
            self.set_rows(rows)
        elif rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()
