"""A product's ledger as a table that pages by keyset (services/stock/history.py): each
scroll to the end asks for the moves below the last one shown, so the first page of a
product with 100,000 moves costs one page of the index, and the running balance carries
from page to page in the cursor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from app.core.i18n import N_, _, label
from app.services.stock import history
from app.services.stock.history import Cursor, HistoryRow
from app.views.context import AppContext, local_time
from app.views.ops import query
from app.views.table_models import RIGHT, Column, Index, RowsTableModel

PAGE = 50


STATES = {"reserved": N_("reserved"), "done": N_("done"), "cancelled": N_("cancelled")}


class HistoryModel(RowsTableModel):
    loaded = Signal()

    def __init__(
        self, owner: QWidget, ctx: AppContext, message: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(
            [
                Column(_("When"), lambda r: local_time(r.at)),
                Column(_("Origin"), lambda r: r.origin),
                Column(_("User"), lambda r: r.user),
                Column(_("From"), lambda r: r.from_code),
                Column(_("To"), lambda r: r.to_code),
                Column(_("Qty"), lambda r: str(r.quantity), align=RIGHT),
                Column(_("State"), lambda r: label(STATES, r.state)),
                Column(_("Balance"), lambda r: str(r.balance), align=RIGHT),
            ],
            owner,
        )
        self._owner, self._ctx = owner, ctx
        self._message = message
        self.product_id: int | None = None
        self._cursor: Cursor | None = None
        self._loading = False
        self._generation = 0

    def set_product(self, product_id: int | None) -> None:
        """Show this product's newest moves (None: nothing)."""
        self.product_id = product_id
        self._generation += 1
        self._cursor = None
        self.set_rows([])
        if product_id is not None:
            self._read(product_id, None, self._generation)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._cursor is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent) and self.product_id is not None:
            self._read(self.product_id, self._cursor, self._generation)

    def _read(self, product_id: int, cursor: Cursor | None, generation: int) -> None:
        self._loading = True
        actor = self._ctx.actor
        read = query(
            self._owner,
            self._ctx,
            lambda s: history.product_history(s, actor, product_id, cursor, PAGE),
        ).on_success(lambda page: self._put(generation, page))
        if self._message is not None:
            read.message(self._message)
        read.finally_(lambda: self._done(generation)).run()

    def _done(self, generation: int) -> None:
        if generation == self._generation:
            self._loading = False

    def _put(self, generation: int, page: tuple[list[HistoryRow], Cursor | None]) -> None:
        if generation != self._generation:
            return  # another product was chosen meanwhile
        rows, self._cursor = page
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()
