"""The Orders list (paged, sortable, filtered by status, channel and text) beside the
order detail. Typing in the filter waits for a pause before it queries."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import ChangeSet
from app.models import Channel, OrderStatus
from app.services.sales import orders
from app.services.sales.order_list import OrderQuery, OrderRow, count_orders, list_orders
from app.views.context import AppContext, local_time
from app.views.errors import on_background_error
from app.views.orders.detail import OrderDetailWidget
from app.views.table_models import RIGHT, Column, PagedTableModel
from app.views.tasks import run_in_background
from app.views.widgets import make_table

FILTER_DELAY_MS = 250
SIDE_BY_SIDE = 1400  # px of the Orders screen from which the order fits beside the list


class OrdersScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = OrderQuery()
        self.status_filter = QComboBox(objectName="status_filter")
        self.status_filter.addItem("All statuses", None)
        for status in OrderStatus:
            self.status_filter.addItem(orders.status_label(status), status.value)
        self.channel_filter = QComboBox(objectName="channel_filter")
        self.channel_filter.addItem("All channels", None)
        for channel in Channel:
            self.channel_filter.addItem(channel.value.title(), channel.value)
        self.text_filter = QLineEdit(objectName="text_filter")
        self.text_filter.setPlaceholderText("Order number or customer (Ctrl+F)")
        self.text_filter.setClearButtonEnabled(True)
        self.count_label = QLabel(objectName="count")
        self._count_generation = 0
        self.new_button = self._new_order_button()

        money = ctx.money
        self.model = PagedTableModel(
            [
                Column("Number", lambda r: r.number, "number"),
                Column("Date", lambda r: local_time(r.created_at), "date"),
                Column("Channel", lambda r: r.channel),
                Column("Status", lambda r: orders.status_label(r.status), "status"),
                Column("Customer", lambda r: r.customer_name, "customer"),
                Column("Total", lambda r: money(r.total, r.currency), "total", RIGHT),
            ],
            fetch=self._fetch,
            on_sort=self._sort,
            parent=self,
        )
        self.table = self._make_table()

        self.detail = OrderDetailWidget(ctx, self)

        self._debounce = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.text_filter.textChanged.connect(lambda _t: self._debounce.start())
        self.text_filter.returnPressed.connect(self.apply_filters)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.channel_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        QShortcut(QKeySequence.StandardKey.Find, self, self.text_filter.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.model.refresh)
        ctx.bridge.changed.connect(self._on_changes)

        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.channel_filter)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.new_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self, objectName="orders_split")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self._split_set = False
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.model.refresh()
        self._update_count()

    def _make_table(self) -> QTableView:
        table = make_table(self.model, "orders_table", stretch=4)  # the customer's name
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        table.selectionModel().selectionChanged.connect(self._selected)
        return table

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Side by side only where both halves fit whole (the list's six columns and the
        order's eight); at 1280x800 and below the order sits under the list."""
        wide = event.size().width() >= SIDE_BY_SIDE
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        super().resizeEvent(event)
        if self.splitter.orientation() != orientation or not self._split_set:
            self.splitter.setOrientation(orientation)
            # Stacked, the list keeps about half the height (a dozen orders at 1280x800);
            # side by side, the order gets the wider half. A drag of the handle then stays.
            size = event.size().width() if wide else event.size().height()
            first = size * 2 // 5 if wide else size // 2
            self.splitter.setSizes([first, size - first])
            self._split_set = True

    def _fetch(self, offset: int, limit: int) -> list[OrderRow]:
        with self.ctx.database.read() as session:
            return list_orders(session, self.query, offset, limit)

    def _sort(self, key: str, descending: bool) -> None:
        self.query = OrderQuery(
            self.query.status, self.query.channel, self.query.text, key, descending
        )
        self.model.set_fetch(self._fetch)

    def apply_filters(self) -> None:
        self._debounce.stop()
        query = OrderQuery(
            status=self.status_filter.currentData(),
            channel=self.channel_filter.currentData(),
            text=self.text_filter.text(),
            sort=self.query.sort,
            descending=self.query.descending,
        )
        if query == self.query:
            return
        self.query = query
        self.model.set_fetch(self._fetch)
        self._update_count()

    def _update_count(self) -> None:
        """Counting a million rows can take a moment: it runs in the background."""
        self._count_generation += 1
        generation = self._count_generation
        query, database = self.query, self.ctx.database
        self.count_label.setText("…")

        def work(_report):  # type: ignore[no-untyped-def]
            with database.read() as session:
                return count_orders(session, query)

        run_in_background(
            work,
            partial(self._show_count, generation),
            on_background_error("counting the orders", self.count_label.setText),
            owner=self.count_label,
        )

    def _show_count(self, generation: int, count: int) -> None:
        if generation == self._count_generation:
            self.count_label.setText(f"{count:,} order" + ("" if count == 1 else "s"))

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.detail.show_order(self.model.row(indexes[0].row()).id)

    def _new_order_button(self) -> QPushButton:
        button = QPushButton("New order (Ctrl+N)", objectName="new_order")
        button.clicked.connect(self.new_order)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_order)
        return button

    def new_order(self) -> None:
        """The phone / e-mail order form; the saved order opens beside the list."""
        from app.views.orders.entry import NewOrderDialog

        dialog = NewOrderDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self.open_order)
        self.entry_dialog = dialog
        dialog.open()

    def open_order(self, order_id: int) -> None:
        self.detail.show_order(order_id)

    def _on_changes(self, change: ChangeSet) -> None:
        if change.touches_orders:
            self.model.refresh()
            self._update_count()  # an accept or cancel moves an order out of the filter
            shown = self.detail.detail
            if shown is not None and (shown.id in change.orders or change.everything):
                self.detail.reload()
