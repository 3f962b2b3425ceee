"""The Orders list (paged, sortable, filtered by status, channel and text) beside the
order detail, and the acceptance queue in a second tab (F6). Typing in the filter waits
for a pause before it queries. A change to orders on the page re-reads just those rows
(views/cached_rows.py); one that may add or move rows reloads the page."""

from __future__ import annotations

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import ChangeSet
from app.core.i18n import N_, _, ngettext
from app.db import ServiceSession as Session
from app.services.sales import order_list, orders
from app.services.sales.order_list import OrderQuery, OrderRow
from app.views.cached_rows import CachedPageModel, LoadPage, LoadRows
from app.views.context import AppContext, local_time
from app.views.ops import query
from app.views.orders.acceptance import AcceptanceView
from app.views.orders.detail import OrderDetailWidget
from app.views.table_models import RIGHT, Column
from app.views.widgets import make_table

FILTER_DELAY_MS = 250
SIDE_BY_SIDE = 1400  # px of the Orders screen from which the order fits beside the list


class OrdersScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = OrderQuery()
        self.status_filter = QComboBox(objectName="status_filter")
        self.status_filter.addItem(_("All statuses"), None)
        for label, value in order_list.status_choices():
            self.status_filter.addItem(label, value)
        self.channel_filter = QComboBox(objectName="channel_filter")
        self.channel_filter.addItem(_("All channels"), None)
        for label, value in order_list.channel_choices():
            self.channel_filter.addItem(label, value)
        self.text_filter = QLineEdit(objectName="text_filter")
        self.text_filter.setPlaceholderText(_("Order number or customer (Ctrl+F)"))
        self.text_filter.setClearButtonEnabled(True)
        self.count_label = QLabel(objectName="count")
        self._count_generation = 0
        self.new_button = self._new_order_button()

        money = ctx.money
        self.model = CachedPageModel(
            [
                Column(N_("Number"), lambda r: r.number, "number"),
                Column(N_("Date"), lambda r: local_time(r.created_at), "date"),
                Column(N_("Channel"), lambda r: order_list.channel_label(r.channel)),
                Column(N_("Status"), lambda r: orders.status_label(r.status), "status"),
                Column(N_("Customer"), lambda r: r.customer_name, "customer"),
                Column(N_("Total"), lambda r: money(r.total, r.currency), "total", RIGHT),
            ],
            self,
            ctx,
            self._page_of(self.query),
            self._rows_of(self.query),
            keeps_place=self._keeps_place,
            on_sort=self._sort,
            message=self.count_label.setText,
        )
        self.model.reloaded.connect(self._update_count)  # a row left the filter
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
        self.splitter.addWidget(self._tabs(left))
        self.splitter.addWidget(self.detail)
        self._split_set = False
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.model.refresh()
        self._update_count()

    def _tabs(self, orders_list: QWidget) -> QTabWidget:
        self.acceptance = AcceptanceView(self.ctx, self)  # reads when first shown
        self.acceptance.open_order.connect(self.open_order)
        self.tabs = QTabWidget(self, objectName="orders_tabs")
        self.tabs.addTab(orders_list, _("All orders"))
        self.tabs.addTab(self.acceptance, _("Acceptance queue (F6)"))
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, self.toggle_acceptance)
        return self.tabs

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

    @staticmethod
    def _page_of(list_query: OrderQuery) -> LoadPage:
        return lambda s, offset, limit: order_list.list_orders(s, list_query, offset, limit)

    @staticmethod
    def _rows_of(list_query: OrderQuery) -> LoadRows:
        """Re-read rows only while they pass the filters (a row that left the filter
        comes back missing, and the page reloads)."""
        return lambda s, ids: order_list.order_rows(s, ids, list_query)

    def _keeps_place(self, old: OrderRow, new: OrderRow | None) -> bool:
        return order_list.keeps_place(self.query, old, new)

    def _set_query(self, list_query: OrderQuery) -> None:
        self.query = list_query
        self.model.set_row_loader(self._rows_of(list_query))
        self.model.set_source(self._page_of(list_query))

    def _sort(self, key: str, descending: bool) -> None:
        self._set_query(
            OrderQuery(self.query.status, self.query.channel, self.query.text, key, descending)
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        wanted = OrderQuery(
            status=self.status_filter.currentData(),
            channel=self.channel_filter.currentData(),
            text=self.text_filter.text(),
            sort=self.query.sort,
            descending=self.query.descending,
        )
        if wanted == self.query:
            return
        self._set_query(wanted)
        self._update_count()

    def _update_count(self) -> None:
        """Counting a million rows can take a moment: it runs in the background."""
        self._count_generation += 1
        generation, list_query = self._count_generation, self.query
        self.count_label.setText("…")

        def count(session: Session) -> int:
            return order_list.count_orders(session, list_query)

        (
            query(self.count_label, self.ctx, count)
            .on_success(lambda n: self._show_count(generation, n))
            .message(self.count_label.setText)
            .run()
        )

    def _show_count(self, generation: int, count: int) -> None:
        if generation == self._count_generation:
            self.count_label.setText(
                ngettext("{count} order", "{count} orders", count).format(count=f"{count:,}")
            )

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.detail.show_order(self.model.row(indexes[0].row()).id)

    def _new_order_button(self) -> QPushButton:
        button = QPushButton(_("New order (Ctrl+N)"), objectName="new_order")
        button.clicked.connect(self.new_order)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_order)
        return button

    def new_order(self, customer: tuple[int, str] | None = None) -> None:
        """The phone / e-mail order form (for `customer` when a customer's page asks); the
        saved order opens beside the list."""
        from app.views.orders.entry import NewOrderDialog

        dialog = NewOrderDialog(self.ctx, self)
        if customer is not None:
            dialog.for_customer(*customer)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self.open_order)
        self.entry_dialog = dialog
        dialog.open()

    def toggle_acceptance(self) -> None:
        """F6: the acceptance queue, and back to all orders."""
        self.tabs.setCurrentWidget(
            self.tabs.widget(0) if self.tabs.currentWidget() is self.acceptance else self.acceptance
        )

    def open_order(self, order_id: int) -> None:
        self.detail.show_order(order_id)

    def show_only(self, status: str | None = None, channel: str | None = None) -> None:
        """Another screen's link (a dashboard tile): all orders of a status and a channel
        (None: any), with no text filter."""
        self.tabs.setCurrentIndex(0)
        for combo, value in ((self.status_filter, status), (self.channel_filter, channel)):
            combo.blockSignals(True)
            combo.setCurrentIndex(0 if value is None else max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)
        self.apply_filters()

    def _on_changes(self, change: ChangeSet) -> None:
        if not change.touches_orders:
            return
        if order_list.reload_needed(self.query, change):
            self.model.refresh()
            self._update_count()  # an accept or cancel moves an order out of the filter
        else:
            self.model.mark_stale(change.orders)  # ids off the page cost nothing
        shown = self.detail.detail
        if shown is not None and (shown.id in change.orders or change.everything):
            self.detail.reload()
