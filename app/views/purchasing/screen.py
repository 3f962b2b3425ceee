"""The Purchasing screen: purchase orders (list, detail, send, receive by scan, put away)
and reorder (the rules and the run). The Reorder tab is built when first opened."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.core.i18n import _
from app.views.context import AppContext
from app.views.purchasing.orders_tab import OrdersTab

TABS = ("Orders", "Reorder")


class PurchasingScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="screen_purchasing")
        self.ctx = ctx
        self.orders = OrdersTab(ctx, self)
        self.tabs = QTabWidget(objectName="purchasing_tabs")
        self.tabs.addTab(self.orders, _("Orders"))
        self.tabs.addTab(QWidget(), _("Reorder"))
        self._reorder: QWidget | None = None
        self.tabs.currentChanged.connect(lambda index: self.tab(TABS[index]))
        QVBoxLayout(self).addWidget(self.tabs)

    def tab(self, name: str) -> QWidget:
        """The tab by name, built on first use, and brought to the front."""
        if name == "Orders":
            widget: QWidget = self.orders
        else:
            if self._reorder is None:
                from app.views.purchasing.reorder_tab import ReorderTab

                self._reorder = ReorderTab(self.ctx, self)
                self.tabs.blockSignals(True)
                old = self.tabs.widget(1)
                self.tabs.removeTab(1)
                self.tabs.insertTab(1, self._reorder, _("Reorder"))
                old.deleteLater()
                self.tabs.blockSignals(False)
            widget = self._reorder
        if self.tabs.currentWidget() is not widget:
            self.tabs.setCurrentWidget(widget)
        return widget

    def handle_scan(self, code: str) -> bool:
        """A scan goes to the Orders tab while it receives; anything else is not ours."""
        if self.tabs.currentWidget() is self.orders:
            return self.orders.handle_scan(code)
        return False
