"""Products: search by words of the name or SKU, scan a barcode, see stock per location."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import ChangeSet
from app.core.i18n import _
from app.db import ServiceSession as Session
from app.services.stock import catalogue, categories
from app.services.stock.catalogue import ProductRow, StockRow
from app.services.stock.categories import CategoryNode
from app.views.cached_rows import CachedPageModel
from app.views.context import AppContext
from app.views.ops import query
from app.views.products.actions import ProductActions
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.transfer.buttons import TransferButtons
from app.views.widgets import make_table, say


def _tax_text(row: ProductRow) -> str:
    """'23 % Standard' for a product in a class, '9 %' for one with its own rate."""
    rate = f"{row.tax_rate_bp / 100:g} %"
    return f"{rate} {row.tax_class}" if row.tax_class else rate


_LIST_CHANGES = frozenset({"catalogue"})  # what may move a product in the list or out of it


class ProductsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.text = ""
        self.category_id: int | None = None  # the filter: a category and all under it
        self.category = QComboBox(objectName="product_category")
        self.category.addItem(_("All categories"), None)
        self.category.setToolTip(_("Only the products in this category and the ones under it"))
        self.category.activated.connect(lambda i: self.filter_category(self.category.itemData(i)))
        self.search = QLineEdit(objectName="product_search")
        self.search.setPlaceholderText(_("Search by name or SKU, or scan a barcode"))
        self.search.setClearButtonEnabled(True)
        self.message = QLabel(objectName="product_message")
        self._nothing = ""  # the "nothing matches" said last, taken back once rows show
        money = ctx.money
        self.model = CachedPageModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Name"), lambda r: r.name),
                Column(_("Price"), lambda r: money(r.price), align=RIGHT),
                Column(_("Tax"), _tax_text, align=RIGHT),
                Column(
                    _("On hand"), lambda r: str(r.on_hand) if r.track_stock else "—", align=RIGHT
                ),
                Column(
                    _("Reserved"), lambda r: str(r.reserved) if r.track_stock else "", align=RIGHT
                ),
            ],
            self,
            ctx,
            self._page_of("", None),
            catalogue.product_rows,
            message=self.message.setText,
            page_size=100,
        )
        self.model.loaded.connect(self._say_if_nothing)
        self._stock_of: int | None = None  # the product whose stock was asked for last
        self.stock_model = RowsTableModel(
            [
                Column(_("Location"), lambda r: r.location_code),
                Column(_("Name"), lambda r: r.location_name),
                Column(_("On hand"), lambda r: str(r.on_hand), align=RIGHT),
                Column(_("Reserved"), lambda r: str(r.reserved), align=RIGHT),
                Column(_("Free"), lambda r: str(r.available), align=RIGHT),
            ],
            self,
        )
        self.table = make_table(self.model, "products_table", stretch=1)
        self.stock_table = make_table(self.stock_model, "stock_table", stretch=1)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_search)
        ctx.bridge.changed.connect(self._on_changes)
        # Catalogue actions (issue 15): the row, Ctrl+N, Enter or double-click to edit.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.actions = ProductActions(self, ctx, self.chosen, lambda t: say(self.message, t))
        self.table.activated.connect(lambda _index: self.actions.edit())
        self.transfer = TransferButtons(
            self, ctx, ("products", "stock"), lambda t: say(self.message, t)
        )

        self._lay_out()
        self.model.refresh()  # the first page arrives from a background read
        self.load_categories()

    def _lay_out(self) -> None:
        splitter = QSplitter(Qt.Orientation.Vertical, self)  # products whole, stock below
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 3)
        search_row.addWidget(self.category, 1)
        top_layout.addLayout(search_row)
        top_layout.addLayout(self.actions.button_row())
        top_layout.addLayout(self.transfer.row())
        top_layout.addWidget(self.message)
        top_layout.addWidget(self.table)
        splitter.addWidget(top)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel(_("Stock per location")))
        bottom_layout.addWidget(self.stock_table)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    @staticmethod
    def _page_of(
        text: str, category_id: int | None
    ) -> Callable[[Session, int, int], list[ProductRow]]:
        return lambda s, offset, limit: catalogue.products_page(s, text, offset, limit, category_id)

    def load_categories(self) -> None:
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: categories.tree(s, actor)).on_success(
            self._fill_categories
        ).message(self.message.setText).run()

    def _fill_categories(self, nodes: list[CategoryNode]) -> None:
        """The tree's paths as the filter's choices; a chosen one that is gone goes back
        to all categories."""
        self.category.clear()
        self.category.addItem(_("All categories"), None)
        for node in nodes:
            self.category.addItem(node.path, node.id)
        index = self.category.findData(self.category_id) if self.category_id else 0
        self.category.setCurrentIndex(max(index, 0))
        if index < 0:
            self.filter_category(None)

    def filter_category(self, category_id: int | None) -> None:
        """Show only the products in `category_id` and under it (None: all)."""
        if category_id == self.category_id:
            return
        self.category_id = category_id
        self.model.set_source(self._page_of(self.text, category_id))
        self.stock_model.set_rows([])

    def handle_scan(self, code: str) -> bool:
        """A scan on this screen finds the product with that barcode or SKU; an order
        number or a bad code is left to the main window (it opens the order, or says why)."""
        from app.services.stock.scanning import parse_scan

        if parse_scan(code).kind in ("order", "invalid"):
            return False
        self.search.setText(code)
        self.apply_search()
        return True

    def chosen(self) -> list[ProductRow]:
        """The selected products, in list order (the catalogue actions act on them)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row(r) for r in rows]

    def apply_search(self) -> None:
        self._debounce.stop()
        text = self.search.text().strip()
        if text == self.text:
            return
        self.text = text
        self.model.set_source(self._page_of(text, self.category_id))
        self.stock_model.set_rows([])

    def _say_if_nothing(self) -> None:
        """Say so when a search finds nothing; a page that arrives later (a change notice's
        refresh) clears only that, not what an action said meanwhile ("Product saved.")."""
        if self.text and not self.model.rowCount():
            self._nothing = _("Nothing matches '{text}'.").format(text=self.text)
            self.message.setText(self._nothing)
        elif self._nothing and self.message.text() == self._nothing:
            self.message.setText("")

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.show_stock(self.model.row(indexes[0].row()).id)

    def show_stock(self, product_id: int) -> None:
        self._stock_of = product_id
        query(self, self.ctx, lambda s: catalogue.product_stock(s, product_id)).on_success(
            lambda rows: self._show_stock(product_id, rows)
        ).message(self.message.setText).run()

    def _show_stock(self, product_id: int, rows: list[StockRow]) -> None:
        if product_id == self._stock_of:  # not an earlier selection's late answer
            self.stock_model.set_rows(rows)

    def _on_changes(self, change: ChangeSet) -> None:
        # An edit may move a product in the list or out of the filter: read the page again.
        # A sale, a receipt or a count only changes the stock of the rows it names: re-read
        # just those that are shown (issue 14 item 6).
        if change.everything or change.kinds & _LIST_CHANGES:
            self.model.refresh()
        elif change.products:
            self.model.mark_stale(change.products)
        if categories.CHANGED in change.kinds or change.everything:
            self.load_categories()
