"""The Inventory screen: the catalogue (the products screen as it was), stock per bin
with its history and the adjust/transfer dialogs, the bins of each warehouse, cycle counts,
and transfers from another warehouse received by scan. Tabs other than the catalogue are
built when first opened, so the screen opens as fast as the catalogue alone did."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QTabWidget, QVBoxLayout, QWidget

from app.core.i18n import N_, _
from app.views.context import AppContext
from app.views.products.screen import ProductsScreen

TABS = (N_("Catalogue"), N_("Stock"), N_("Bins"), N_("Counts"), N_("Transfers"))  # keys too


class InventoryScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="screen_inventory")
        self.ctx = ctx
        self.catalogue = ProductsScreen(ctx, self)
        self.search: QLineEdit = self.catalogue.search  # where a person types on arrival
        self.tabs = QTabWidget(objectName="inventory_tabs")
        self.tabs.addTab(self.catalogue, _("Catalogue"))
        self._built: dict[str, QWidget] = {"Catalogue": self.catalogue}
        for name in TABS[1:]:
            self.tabs.addTab(QWidget(), _(name))
        self.tabs.currentChanged.connect(lambda index: self.tab(TABS[index]))
        QVBoxLayout(self).addWidget(self.tabs)

    def tab(self, name: str) -> QWidget:
        """The tab by name, built on first use, and brought to the front."""
        if name not in self._built:
            index = TABS.index(name)
            widget = self._builders()[name]()
            self._built[name] = widget
            self.tabs.blockSignals(True)
            old = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, _(name))
            old.deleteLater()
            self.tabs.blockSignals(False)
        widget = self._built[name]
        if self.tabs.currentWidget() is not widget:
            self.tabs.setCurrentWidget(widget)
        return widget

    def _builders(self) -> dict[str, Callable[[], QWidget]]:
        from app.views.stock.bins_tab import BinsTab
        from app.views.stock.counts_tab import CountsTab
        from app.views.stock.stock_tab import StockTab
        from app.views.stock.transit_tab import TransitTab

        return {
            "Stock": lambda: StockTab(self.ctx, self),
            "Bins": lambda: BinsTab(self.ctx, self),
            "Counts": lambda: CountsTab(self.ctx, self),
            "Transfers": lambda: TransitTab(self.ctx, self),
        }

    def handle_scan(self, code: str) -> bool:
        """A scan goes to the tab in front: the catalogue finds, the stock list shows,
        the counts tab counts."""
        handler = getattr(self.tabs.currentWidget(), "handle_scan", None)
        return bool(handler(code)) if handler is not None else False
