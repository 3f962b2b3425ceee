"""Fulfilment: the stages as queues with counts (to pick, picking, to pack, to ship,
shipped today, exceptions), the orders of the chosen queue, and the bench pages. The
scanner drives it: a pick list number opens scan-to-pick, an order number opens packing
(or shipping), and on those pages scans are items, bins and tracking numbers."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import ChangeSet
from app.core.i18n import _, ngettext
from app.services.fulfilment import bench, picking, queues, shipping, waves
from app.services.fulfilment.queues import QueueFilter, QueueRow
from app.services.fulfilment.shipping import CarrierRow
from app.services.fulfilment.waves import WaveRef
from app.services.sales import orders
from app.services.stock.locations import active_warehouses
from app.views.context import AppContext, local_time
from app.views.fulfilment.bench_queue import BenchQueue
from app.views.fulfilment.packing import PackingPage
from app.views.fulfilment.picking import PickingPage
from app.views.fulfilment.returns import ReturnsPage
from app.views.ops import Op, op, query
from app.views.paged_query import QueryPageModel
from app.views.table_models import RIGHT, Column
from app.views.widgets import allow, make_table, say

log = logging.getLogger("kestrel.ui")


class FulfilmentScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.where = QueueFilter()
        self.queue = "to_pick"
        self.queue_list = QListWidget(objectName="fulfilment_queues")
        self.queue_list.setFixedWidth(190)
        self.queue_list.setStyleSheet("QListWidget::item { padding: 8px 6px; }")
        for name in queues.QUEUES:
            self.queue_list.addItem(queues.queue_label(name))
        self.queue_list.currentRowChanged.connect(self._queue_chosen)
        self.warehouse = QComboBox(objectName="fulfilment_warehouse")
        self.urgent = QCheckBox(_("Urgent only"), objectName="fulfilment_urgent")
        self.carrier = QComboBox(objectName="fulfilment_carrier")
        self.due = QComboBox(objectName="fulfilment_due")
        for label, days in (
            (_("Any due date"), None),
            (_("Due today"), 0),
            (_("Due in 2 days"), 2),
        ):
            self.due.addItem(label, days)
        for combo in (self.warehouse, self.carrier, self.due):  # long names do not widen
            combo.setSizeAdjustPolicy(  # the window past 1024 px: they elide in the box
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        self.carrier.currentIndexChanged.connect(self._filter_changed)
        self.due.currentIndexChanged.connect(self._filter_changed)
        self.warehouse.currentIndexChanged.connect(self._filter_changed)
        self.urgent.toggled.connect(self._filter_changed)
        self.message = QLabel(objectName="fulfilment_message", wordWrap=True)
        money = ctx.money
        self.model = QueryPageModel(
            [
                Column(_("Order"), lambda r: r.number),
                Column(_("Customer"), lambda r: r.customer_name),
                Column(_("Status"), lambda r: orders.status_label(r.status)),
                Column(_("Urgent"), lambda r: _("yes") if r.priority > 0 else ""),
                Column(_("Due"), lambda r: local_time(r.due_at) if r.due_at else ""),
                Column(_("Country"), lambda r: r.ship_country),
                Column(_("Total"), lambda r: money(r.total), align=RIGHT),
            ],
            self,
            ctx,
            message=self._error,
        )
        self.table = make_table(self.model, "fulfilment_orders", stretch=1)
        self.table.setSelectionMode(self.table.SelectionMode.ExtendedSelection)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.wave_button = QPushButton(_("Create wave (F9)"), objectName="create_wave")
        self.wave_button.clicked.connect(self.create_wave)
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, self.create_wave)
        self.open_button = QPushButton(_("Open (Enter)"), objectName="open_order")
        self.open_button.clicked.connect(self.open_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self._selection_changed()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._queue_page())
        self._bench_pages()
        layout = QHBoxLayout(self)
        layout.addWidget(self.queue_list)
        layout.addWidget(self.pages, 1)
        self._load_warehouses()
        self._refresh_timer = QTimer(self, singleShot=True, interval=300)
        self._refresh_timer.timeout.connect(self.refresh_counts)
        ctx.bridge.changed.connect(self._on_changes)
        self.queue_list.setCurrentRow(0)

    def _bench_pages(self) -> None:
        self.bench = BenchQueue()  # one queue: a scan's page is chosen in its turn
        self.picking_page = PickingPage(self.ctx, self, self.bench)
        self.packing_page = PackingPage(self.ctx, self, self.bench)
        self.returns_page = ReturnsPage(self.ctx, self, self.bench)
        for bench_page in (self.picking_page, self.packing_page, self.returns_page):
            bench_page.back.connect(self.show_queues)
            self.pages.addWidget(bench_page)
        self.picking_page.opened.connect(lambda: self.pages.setCurrentWidget(self.picking_page))
        self.packing_page.opened.connect(lambda: self.pages.setCurrentWidget(self.packing_page))

    def _queue_page(self) -> QWidget:
        filters = QHBoxLayout()
        filters.addWidget(self.warehouse)  # its first item says it: "All warehouses"
        filters.addWidget(self.carrier)
        filters.addWidget(self.due)
        filters.addWidget(self.urgent)
        filters.addStretch(1)
        actions = QHBoxLayout()  # a row of its own: the filters and buttons fit at 1024 px
        actions.addWidget(self.message, 1)
        actions.addWidget(self.wave_button)
        actions.addWidget(self.open_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        hint = _("Scan a pick list to pick, an order to pack or ship, a return label to receive.")
        layout.addWidget(QLabel(hint, wordWrap=True))
        return page

    # --- queues ---------------------------------------------------------------------
    def _load_warehouses(self) -> None:
        query(self, self.ctx, active_warehouses).on_success(self._show_warehouses).message(
            self._error
        ).run()
        query(self, self.ctx, shipping.carriers).on_success(self._show_carriers).message(
            self._error
        ).run()

    def _show_warehouses(self, rows: list[tuple[int, str, str]]) -> None:
        self.warehouse.blockSignals(True)
        self.warehouse.addItem(_("All warehouses"), None)
        for warehouse_id, code, name in rows:
            self.warehouse.addItem(f"{code} — {name}", warehouse_id)
        self.warehouse.blockSignals(False)

    def _show_carriers(self, carriers: list[CarrierRow]) -> None:
        self.carrier.blockSignals(True)
        self.carrier.addItem(_("Any carrier"), None)
        for carrier in carriers:
            self.carrier.addItem(carrier.label, carrier.id)
        self.carrier.blockSignals(False)

    def _queue_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.queue = queues.QUEUES[row]
        allow(
            self.wave_button,
            "" if self.queue == "to_pick" else _("Waves are made from the orders To pick."),
        )
        self.show_queues()

    def _selection_changed(self, *_args: object) -> None:
        chosen = self.table.selectionModel().hasSelection()
        allow(self.open_button, "" if chosen else _("Select an order in the list first."))

    def _filter_changed(self) -> None:
        days = self.due.currentData()
        self.where = QueueFilter(
            warehouse_id=self.warehouse.currentData(),
            carrier_id=self.carrier.currentData(),
            urgent_only=self.urgent.isChecked(),
            due_before=None if days is None else queues.due_within(days + 1),
        )
        self.show_queues()

    def show_queues(self) -> None:
        self.pages.setCurrentIndex(0)
        queue, where = self.queue, self.where
        self.model.set_source(
            lambda s, offset, limit: queues.orders_in(s, queue, where, offset, limit)
        )
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Counts in the background: on a big store they are several indexed counts."""
        where = self.where
        query(self.queue_list, self.ctx, lambda s: queues.counts(s, where)).on_success(
            self._show_counts
        ).message(lambda text: log.info("counting the queues: %s", text)).run()

    def _show_counts(self, counts: dict[str, int]) -> None:
        for row, name in enumerate(queues.QUEUES):
            item = self.queue_list.item(row)
            if item is not None:
                item.setText(f"{queues.queue_label(name)}  ({counts.get(name, 0)})")

    def _on_changes(self, change: ChangeSet) -> None:
        if change.touches_orders or change.kinds & {"picking", "packing", "orders"}:
            self._refresh_timer.start()

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def _error(self, text: str) -> None:
        self.say(text, error=True)

    # --- actions ----------------------------------------------------------------------
    def selected_rows(self) -> list[QueueRow]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.row(i.row()) for i in rows]

    def create_wave(self) -> None:
        """A wave of the selected orders, or of every order shown if none is selected."""
        if self.queue != "to_pick":
            return
        chosen = [r.id for r in self.selected_rows() or self.model.rows()]
        if not chosen:
            self.say(_("No order is waiting to be picked."), error=True)
            return

        def made(wave: WaveRef) -> None:
            orders_n = ngettext("{count} order", "{count} orders", wave.orders)
            lines_n = ngettext("{count} line", "{count} lines", wave.lines)
            note = _("{number}: {orders}, {lines}.").format(
                number=wave.number,
                orders=orders_n.format(count=wave.orders),
                lines=lines_n.format(count=wave.lines),
            )
            self.picking_page.load(wave.id, note)

        actor = self.ctx.actor
        op(self, self.ctx, lambda s: waves.create_wave(s, actor, chosen)).busy(
            self.wave_button
        ).on_success(made).message(self._error).run()

    def open_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        row = rows[0]
        if self.queue in ("to_pack", "to_ship"):
            self.packing_page.open_order(row.id)
        elif self.queue == "picking":
            query(self, self.ctx, lambda s: picking.open_list_of(s, row.id)).on_success(
                self._open_list_of
            ).message(self._error).run()
        else:
            window = self.window()
            show = getattr(window, "show_screen", None)
            if show is not None:
                show("Orders").open_order(row.id)

    def _open_list_of(self, wave_id: int | None) -> None:
        if wave_id is not None:
            self.open_wave(wave_id)

    def open_wave(self, wave_id: int) -> None:
        """Scan-to-pick on a pick list (the page comes to the front once it is read)."""
        self.picking_page.load(wave_id)

    def handle_scan(self, code: str) -> bool:
        """Every scan in its turn (BenchQueue): the page it is for is chosen when the
        scans before it are done, so a pick list scanned then a bin opens, then checks."""
        self.bench.submit(lambda: self._route(code))
        return True

    def _route(self, code: str) -> Op[Any] | None:
        page = self.pages.currentWidget()
        kind = bench.scan_kind(code)
        step: Op[Any] | None
        if kind == "pick_list":
            step = self.picking_page.open_list(code, self._error)
        elif kind == "return" or page is self.returns_page:
            self.pages.setCurrentWidget(self.returns_page)
            step = self.returns_page.scan_step(code)
        elif page is self.picking_page and kind != "order":
            step = self.picking_page.scan_step(code)
        elif page is self.packing_page or kind == "order":
            self.pages.setCurrentWidget(self.packing_page)
            step = self.packing_page.scan_step(code)
        else:
            self.say(
                _("'{code}' is neither a pick list nor an order number.").format(code=code),
                error=True,
            )
            step = None
        return step
