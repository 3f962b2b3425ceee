"""The Inventory screen's Stock tab: stock per product and bin (a page of 50 at a time,
searched by SKU, name or a scan), the chosen product's ledger with its running balance,
and the Adjust… and Transfer… dialogs, greyed with the reason for those without the right."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.auth import Permission
from app.core.changes import ChangeSet
from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.stock.stock_page import StockLine, stock_page
from app.views.context import AppContext
from app.views.paged_query import QueryPageModel
from app.views.stock.history_model import HistoryModel
from app.views.stock.move_dialogs import AdjustDialog, TransferDialog
from app.views.table_models import RIGHT, Column
from app.views.widgets import allow, make_table, say

PAGE = 50
NO_ADJUST = N_("Adjusting stock needs the stock.adjust right (managers and administrators).")
NO_TRANSFER = N_("Moving stock needs the stock.transfer right.")


class StockTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="inventory_stock")
        self.ctx = ctx
        self.text = ""
        self.dialog: QDialog | None = None  # the one open (tests and the scanner find it)
        self.search = QLineEdit(objectName="stock_search")
        self.search.setPlaceholderText(_("Search by SKU or name, or scan a barcode"))
        self.search.setClearButtonEnabled(True)
        self.message = QLabel(objectName="stock_message")
        money = ctx.money
        self.model = QueryPageModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Name"), lambda r: r.name),
                Column(_("Warehouse"), lambda r: r.warehouse),
                Column(_("Bin"), lambda r: r.bin),
                Column(_("On hand"), lambda r: str(r.on_hand), align=RIGHT),
                Column(_("Reserved"), lambda r: str(r.reserved), align=RIGHT),
                Column(_("Available"), lambda r: str(r.available), align=RIGHT),
                Column(_("Incoming"), lambda r: str(r.incoming), align=RIGHT),
                Column(_("Value"), lambda r: money(r.value), align=RIGHT),
            ],
            self,
            ctx,
            self._page_of(""),
            message=self.message.setText,
            page_size=PAGE,
        )
        self.model.loaded.connect(self._say_if_nothing)
        self.table = make_table(self.model, "stock_lines", stretch=1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.history = HistoryModel(self, ctx, self.message.setText)
        self._nothing = ""  # the "no stock matches" said last, taken back once rows show
        self.history_table = make_table(self.history, "stock_history", stretch=1)
        self.history_title = QLabel(_("History: choose a row above"), objectName="history_title")
        self.adjust_button = QPushButton(_("Adjust…"), objectName="stock_adjust")
        self.transfer_button = QPushButton(_("Transfer…"), objectName="stock_transfer")
        self.adjust_button.clicked.connect(self.adjust)
        self.transfer_button.clicked.connect(self.transfer)
        self._allow_buttons(None)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_search)
        ctx.bridge.changed.connect(self._on_changes)
        self._lay_out()
        self.model.refresh()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.adjust_button)
        buttons.addWidget(self.transfer_button)
        buttons.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.search, self.message):
            top_layout.addWidget(widget)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.history_title)
        bottom_layout.addWidget(self.history_table)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)

    def _page_of(self, text: str) -> Callable[[Session, int, int], list[StockLine]]:
        actor = self.ctx.actor
        return lambda s, offset, limit: stock_page(s, actor, text, offset, limit)

    def apply_search(self) -> None:
        self._debounce.stop()
        text = self.search.text().strip()
        if text == self.text:
            return
        self.text = text
        self.model.set_source(self._page_of(text))
        self._show_history(None)

    def handle_scan(self, code: str) -> bool:
        """A product's code shows its stock; an order number is the main window's."""
        from app.services.stock.scanning import parse_scan

        if parse_scan(code).kind in ("order", "invalid"):
            return False
        self.search.setText(code)
        self.apply_search()
        return True

    def chosen(self) -> StockLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected(self) -> None:
        line = self.chosen()
        self._allow_buttons(line)
        if line is not None and line.product_id != self.history.product_id:
            self._show_history(line)

    def _show_history(self, line: StockLine | None) -> None:
        title = (
            _("History of {sku}  {name}").format(sku=line.sku, name=line.name)
            if line
            else _("History: choose a row above")
        )
        self.history_title.setText(title)
        self.history.set_product(line.product_id if line else None)
        if line is None:
            self._allow_buttons(None)

    def _allow_buttons(self, line: StockLine | None) -> None:
        actor = self.ctx.actor
        none = _("Choose a row first.") if line is None else ""
        allow(self.adjust_button, _(NO_ADJUST) if not actor.can(Permission.STOCK_ADJUST) else none)
        allow(
            self.transfer_button,
            _(NO_TRANSFER) if not actor.can(Permission.STOCK_TRANSFER) else none,
        )

    def _say_if_nothing(self) -> None:
        if self.text and not self.model.rowCount():
            self._nothing = _("No stock matches '{text}'.").format(text=self.text)
            self.message.setText(self._nothing)
        elif self._nothing and self.message.text() == self._nothing:
            self.message.setText("")

    def adjust(self) -> None:
        line = self.chosen()
        if line is not None and self.adjust_button.isEnabled():
            self._open(AdjustDialog(self.ctx, line, self))

    def transfer(self) -> None:
        line = self.chosen()
        if line is not None and self.transfer_button.isEnabled():
            self._open(TransferDialog(self.ctx, line, self))

    def _open(self, dialog: AdjustDialog | TransferDialog) -> None:
        if self.dialog is not None and isValid(self.dialog) and self.dialog.isVisible():
            return
        self.dialog = dialog
        dialog.setModal(True)  # the main window routes scans into a modal dialog
        dialog.completed.connect(lambda text: say(self.message, text))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _on_changes(self, change: ChangeSet) -> None:
        if change.touches_products or "transit" in change.kinds:
            self.model.refresh()
            product = self.history.product_id
            if product is not None and product in change.products:
                line = self.chosen()
                self.history.set_product(product if line is None else line.product_id)
