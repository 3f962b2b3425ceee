"""The acceptance queue's item model: new orders oldest first, a page at a time (keyset on
the last id shown, off the GUI thread), with the clerk's marks kept by order id.

Rows are frozen `QueueRow`s from sales/acceptance.py. A change to orders reloads as many
rows as are shown in one read; a mark survives a reload while its order is still waiting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.sales import acceptance
from app.services.sales.acceptance import QueueRow
from app.services.sales.order_list import channel_label
from app.views.context import AppContext, local_time
from app.views.ops import query
from app.views.table_models import RIGHT, Column, Index, RowsTableModel

MARK = "✓"
MARK_COLUMN = 0


def _attention(row: QueueRow) -> str:
    return "; ".join(f.message for f in row.flags) if row.flags else "—"


class QueueModel(RowsTableModel):
    loaded = Signal()  # rows (a page or a reload) are in

    def __init__(
        self,
        owner: QWidget,
        ctx: AppContext,
        page_size: int = acceptance.PAGE,
        message: Any = None,
    ) -> None:
        money = ctx.money
        super().__init__(
            [
                Column("", lambda r: MARK if r.id in self._marked else ""),
                Column(N_("Number"), lambda r: r.number),
                Column(N_("Received"), lambda r: local_time(r.created_at)),
                Column(N_("Source"), lambda r: r.source or channel_label(r.channel)),
                Column(N_("Customer"), lambda r: r.customer_name),
                Column(N_("Total"), lambda r: money(r.total, r.currency), align=RIGHT),
                Column(N_("Needs attention"), _attention),
            ],
            owner,
        )
        self._owner, self._ctx, self._page = owner, ctx, page_size
        self._message = message
        self._marked: set[int] = set()
        self._exhausted = True
        self._loading = False
        self._generation = 0

    # -- reading -----------------------------------------------------------------------

    def reload(self) -> None:
        """Read again as many rows as are shown (at least a page), from the oldest."""
        self._generation += 1
        generation, count = self._generation, max(self._page, len(self._rows))
        actor = self._ctx.actor
        self._loading = True
        self._read(
            lambda s: acceptance.queue_page(s, actor, 0, count),
            lambda rows: self._replace(generation, count, rows),
            generation,
        )

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self._loading = True
        after, count, actor = self._rows[-1].id, self._page, self._ctx.actor
        generation = self._generation
        self._read(
            lambda s: acceptance.queue_page(s, actor, after, count),
            lambda rows: self._append(generation, rows),
            generation,
        )

    def _read(self, work: Any, put: Any, generation: int) -> None:
        def done() -> None:
            if generation == self._generation:
                self._loading = False

        def run(session: Session) -> list[QueueRow]:
            return list(work(session))

        operation = query(self._owner, self._ctx, run).on_success(put).finally_(done)
        if self._message is not None:
            operation.message(self._message)
        operation.run()

    def _replace(self, generation: int, count: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows = list(rows)
        self._exhausted = len(rows) < count
        self._marked &= {r.id for r in rows}
        self.endResetModel()
        self.loaded.emit()

    def _append(self, generation: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return
        self._exhausted = len(rows) < self._page
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()

    # -- marks -------------------------------------------------------------------------

    def toggle(self, position: int) -> None:
        if not 0 <= position < len(self._rows):
            return
        order_id = self._rows[position].id
        self._marked ^= {order_id}
        cell = self.index(position, MARK_COLUMN)
        self.dataChanged.emit(cell, cell)

    def mark_all(self) -> None:
        """Every row shown marked, or none when all already were (Ctrl+A twice)."""
        shown = {r.id for r in self._rows}
        self._marked = set() if shown and shown <= self._marked else shown
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, MARK_COLUMN), self.index(last, MARK_COLUMN))

    def marked(self) -> list[QueueRow]:
        """The marked rows, in the queue's order."""
        return [r for r in self._rows if r.id in self._marked]

    def position_of(self, order_id: int) -> int | None:
        for position, row in enumerate(self._rows):
            if row.id == order_id:
                return position
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.isValid()
            and index.row() < len(self._rows)
        ):
            row = self._rows[index.row()]
            return "\n".join(f"{f.code}: {f.message}" for f in row.flags) or _("Nothing to check")
        return super().data(index, role)
