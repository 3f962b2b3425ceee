"""The Reports screen: the dashboard (F6 toggles) and the reports. A manager lands here
after signing in. The reports tab is built when first opened (QtCharts and the report
modules load then, not at start-up), and a dashboard tile opens the list behind it:
another screen, filtered where it has the filter, or a list of its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.core.i18n import _
from app.views.context import AppContext
from app.views.reports.dashboard import DashboardView, Target

TABS = ("Dashboard", "Reports")
Navigate = Callable[[str], QWidget]


class ReportsScreen(QWidget):
    def __init__(
        self, ctx: AppContext, navigate: Navigate | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, objectName="screen_reports")
        self.ctx = ctx
        self.navigate = navigate
        self.dashboard = DashboardView(ctx, self)
        self.dashboard.opened.connect(self.open_behind)
        self.reports: QWidget | None = None
        self.tabs = QTabWidget(objectName="reports_tabs")
        self.tabs.addTab(self.dashboard, _("Dashboard (F6)"))
        self.tabs.addTab(QWidget(), _("Reports"))
        self.tabs.currentChanged.connect(lambda index: self.tab(TABS[index]))
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, self._toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.dialog: QWidget | None = None

    def tab(self, name: str) -> QWidget:
        """The tab by name, built on first use, and brought to the front."""
        if name == "Dashboard":
            widget: QWidget = self.dashboard
        else:
            if self.reports is None:
                from app.views.reports.reports_tab import ReportsTab

                self.reports = ReportsTab(self.ctx, self)
                self.tabs.blockSignals(True)
                old = self.tabs.widget(1)
                self.tabs.removeTab(1)
                self.tabs.insertTab(1, self.reports, _("Reports"))
                old.deleteLater()
                self.tabs.blockSignals(False)
            widget = self.reports
        if self.tabs.currentWidget() is not widget:
            self.tabs.setCurrentWidget(widget)
        return widget

    def _toggle(self) -> None:
        self.tab("Reports" if self.tabs.currentWidget() is self.dashboard else "Dashboard")

    def open_behind(self, target: object) -> None:
        """A tile was clicked: its list, on the screen that has it."""
        if target == "late":
            self._late_orders()
        elif target == "email":
            from app.views.reports.lists import FailedMailDialog

            self._show_dialog(FailedMailDialog(self.ctx, self))
        elif isinstance(target, Target) and self.navigate is not None:
            screen = self.navigate(target.screen)
            if target.screen == "Orders":
                screen.show_only(target.status, target.channel)  # type: ignore[attr-defined]
            elif target.tab:
                screen.tab(target.tab)  # type: ignore[attr-defined]

    def _late_orders(self) -> None:
        from app.views.reports.lists import LateOrdersDialog

        dialog = LateOrdersDialog(self.ctx, self)
        dialog.open_order.connect(self._open_order)
        self._show_dialog(dialog)

    def _open_order(self, order_id: int) -> None:
        if self.navigate is None:
            return
        if self.dialog is not None:
            self.dialog.close()
        screen = self.navigate("Orders")
        screen.show_only(None, None)  # type: ignore[attr-defined]
        screen.open_order(order_id)  # type: ignore[attr-defined]

    def _show_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        dialog.show()
