"""The main window: navigation on the left, one screen at a time, a status bar that says
which database this is and who is signed in. Screens are built when first opened, so
start-up imports and queries only what the first screen needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Actor, role_label
from app.core.changes import ChangeSet
from app.core.i18n import N_, _
from app.views import sound
from app.views.context import AppContext
from app.views.ops import query

if TYPE_CHECKING:
    from app.services.printing.queue import QueueStatus

# What the first screen shown after sign-in needs: start-up's worker imports it while the
# user types (views/start.py), so signing in does not wait for it.
FIRST_SCREEN_MODULES = ("app.views.orders.screen", "app.views.reports.screen")  # first_screen()
NOT_YET = {
    "Audit log": N_("The audit log is for managers and administrators."),
    "Reports": N_("The dashboard and the reports are for managers and administrators."),
}
# The screens' names are their keys (show_screen("Orders")): marked here, shown through _()
SCREENS = (
    N_("Counter"),
    N_("Orders"),
    N_("Fulfilment"),
    N_("Inventory"),
    N_("Purchasing"),
    N_("Customers"),
    N_("Reports"),
    N_("Settings"),
    N_("Print queue"),
    N_("Audit log"),
)


def first_screen(actor: Actor) -> str:
    """Where a person lands after signing in: managers and administrators on the dashboard
    (the Reports screen), everyone else on the Orders list as before."""
    from app.core.auth import Permission

    return "Reports" if actor.can(Permission.REPORTS_VIEW) else "Orders"


def _placeholder(name: str) -> QWidget:
    widget = QWidget(objectName=f"screen_{name.lower()}")
    layout = QVBoxLayout(widget)
    title = QLabel(_(name))
    title.setStyleSheet("font-size: 18pt; font-weight: 600")
    text = QLabel(_(NOT_YET[name]), objectName="not_yet")
    text.setWordWrap(True)
    layout.addWidget(title)
    layout.addWidget(text)
    layout.addStretch(1)
    return widget


def print_status_text(status: QueueStatus, printer: str = "") -> str:
    """'Print queue: 2 waiting, 1 held — paper out' for the status bar, so a printer that
    is off, out of paper or a job that cannot be drawn is noticed."""
    if not (status.waiting or status.held):
        said = _("Printing: ready")
    elif status.waiting and status.held:
        said = _("Print queue: {waiting} waiting, {held} held").format(
            waiting=status.waiting, held=status.held
        )
    elif status.waiting:
        said = _("Print queue: {waiting} waiting").format(waiting=status.waiting)
    else:
        said = _("Print queue: {held} held").format(held=status.held)
    if status.reason:
        return f"{said} — {status.reason}"
    return _("{status} — printer {state}").format(status=said, state=printer) if printer else said


class LockCover(QWidget):
    """An opaque sheet over the whole window while it is locked: nothing behind the
    sign-in can be read (or clicked) until someone signs in."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window, objectName="lock_cover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        label = QLabel(_("Locked — sign in to continue"), objectName="lock_title")
        label.setStyleSheet("font-size: 22pt; font-weight: 700")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, first: str = "Orders") -> None:
        """`first`: the screen in front at the start (run_gui passes first_screen(actor))."""
        super().__init__()
        self.ctx = ctx
        self.cover: LockCover | None = None
        self.setWindowTitle(f"Kestrel — {ctx.workstation.workstation_name}")
        self.resize(1280, 800)
        self.nav = QListWidget(objectName="navigation")
        self.nav.addItems(
            [f"{_(name)}  (Ctrl+{i})" if i < 10 else _(name) for i, name in enumerate(SCREENS, 1)]
        )
        self.nav.setFixedWidth(200)
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 6px; }")
        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {}
        self.preview: QWidget | None = None
        self.printer_status = ""
        self._slots: dict[str, int] = {}
        for name in SCREENS:
            self._slots[name] = self.stack.addWidget(QWidget())
        self.nav.currentRowChanged.connect(lambda row: self.show_screen(SCREENS[row]))
        for i, name in enumerate(SCREENS, 1):
            if i < 10:
                QShortcut(QKeySequence(f"Ctrl+{i}"), self, lambda n=name: self.show_screen(n))
        QShortcut(QKeySequence("Ctrl+L"), self, self.lock)
        QShortcut(QKeySequence("F1"), self, self.show_shortcuts)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(objectName="db_status")
        self.user_label = QLabel(objectName="user_status")
        self.set_connected(True)
        actor = ctx.actor
        self.show_signed_in(actor)
        self.print_label = QLabel(objectName="print_status")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.print_label)
        self.statusBar().addPermanentWidget(self.user_label)
        ctx.bridge.changed.connect(self._on_changes)
        ctx.bridge.connection.connect(self.set_connected)
        self.update_print_status()
        self.show_screen(first)

    def show_signed_in(self, actor: Actor) -> None:
        self.user_label.setText(
            _("Signed in: {name} ({role}) on {workstation}").format(
                name=actor.display_name,
                role=role_label(actor.role),
                workstation=self.ctx.workstation.workstation_name,
            )
        )

    def update_print_status(self) -> None:
        """'Print queue: 2 waiting, 1 held — <reason>' so a printer that is off, out of
        paper or a job that cannot be drawn is noticed."""
        from app.services.printing import queue as printing

        workstation = self.ctx.workstation.workstation_name
        query(self, self.ctx, lambda s: printing.queue_status(s, workstation)).on_success(
            self._show_print_status
        ).message(self.print_label.setText).run()

    def _show_print_status(self, status: QueueStatus) -> None:
        self.print_label.setText(print_status_text(status, self.printer_status))

    def _on_changes(self, change: ChangeSet) -> None:
        if "print_jobs" in change.kinds:
            self.update_print_status()

    def set_connected(self, connected: bool) -> None:
        shared, where = self.ctx.database.is_shared, self.ctx.database.description
        if connected:
            said = (
                _("Database (shared): {where} — connected")
                if shared
                else _("Database (local): {where} — connected")
            )
        else:
            said = (
                _("Database (shared): {where} — OFFLINE")
                if shared
                else _("Database (local): {where} — OFFLINE")
            )
        self.db_label.setText(said.format(where=where))

    def _build(self, name: str) -> QWidget:
        builders: dict[str, Callable[[], QWidget]] = {
            "Counter": self._counter,
            "Orders": self._orders,
            "Fulfilment": self._fulfilment,
            "Inventory": self._inventory,
            "Purchasing": self._purchasing,
            "Customers": self._customers,
            "Reports": self._reports,
            "Settings": self._settings,
            "Print queue": self._print_queue,
            "Audit log": self._audit,
        }
        builder = builders.get(name)
        return builder() if builder else _placeholder(name)

    def _orders(self) -> QWidget:
        from app.views.orders.screen import OrdersScreen

        return OrdersScreen(self.ctx, self)

    def _fulfilment(self) -> QWidget:
        from app.views.fulfilment.screen import FulfilmentScreen

        return FulfilmentScreen(self.ctx, self)

    def _inventory(self) -> QWidget:
        from app.views.stock.screen import InventoryScreen

        return InventoryScreen(self.ctx, self)

    def _purchasing(self) -> QWidget:
        from app.views.purchasing.screen import PurchasingScreen

        return PurchasingScreen(self.ctx, self)

    def _customers(self) -> QWidget:
        from app.views.customers.screen import CustomersScreen

        return CustomersScreen(self.ctx, self)

    def _reports(self) -> QWidget:
        from app.core.auth import Permission

        if not self.ctx.actor.can(Permission.REPORTS_VIEW):
            return _placeholder("Reports")
        from app.views.reports.screen import ReportsScreen

        return ReportsScreen(self.ctx, self.show_screen, self)

    def _counter(self) -> QWidget:
        from app.views.counter.screen import CounterScreen

        return CounterScreen(self.ctx, self)

    def route_scan(self, code: str) -> None:
        """A scan goes to the screen in front; an order number anywhere opens that order."""
        modal = QApplication.activeModalWidget()
        if modal is not None:  # a dialog asks for something: the scan answers it
            self._scan_into_dialog(modal, code)
            return
        screen = self.stack.currentWidget()
        handler = getattr(screen, "handle_scan", None)
        if handler is not None and handler(code):
            return
        from app.services.sales import order_detail
        from app.services.stock.scanning import parse_scan

        scan = parse_scan(code)
        if scan.kind == "order":
            number = scan.order_number
            query(self, self.ctx, lambda s: order_detail.find_order_id(s, number)).on_success(
                lambda order_id: self._open_scanned_order(number, order_id)
            ).message(self._scan_refused).run()
            return
        self._scan_refused(
            scan.error or _("'{code}' means nothing on this screen.").format(code=code)
        )

    def _open_scanned_order(self, number: str, order_id: int | None) -> None:
        if order_id is None:
            self._scan_refused(_("There is no order {number}.").format(number=number))
            return
        screen = self.show_screen("Orders")
        screen.open_order(order_id)  # type: ignore[attr-defined]
        self.statusBar().showMessage(_("Opened {number}").format(number=number), 4000)

    def _scan_refused(self, message: str) -> None:
        sound.error()
        self.statusBar().showMessage(message, 6000)

    def _scan_into_dialog(self, dialog: QWidget, code: str) -> None:
        handler = getattr(dialog, "handle_scan", None)
        if handler is not None and handler(code):
            return
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and dialog.isAncestorOf(focus):
            focus.insert(code)
            return
        sound.error()
        self.statusBar().showMessage(_("Close the dialog before scanning."), 6000)

    def _settings(self) -> QWidget:
        from app.views.settings.screen import SettingsScreen

        return SettingsScreen(self.ctx, self)

    def _audit(self) -> QWidget:
        from app.core.auth import Permission

        if not self.ctx.actor.can(Permission.AUDIT_VIEW):
            return _placeholder("Audit log")
        from app.views.settings.audit import AuditScreen

        return AuditScreen(self.ctx, self)

    def _print_queue(self) -> QWidget:
        from app.views.settings.print_queue import PrintQueueScreen

        return PrintQueueScreen(self.ctx, self)

    def job_sent(self, job_id: int, uri: str, where: str, status: str) -> None:
        """A job left the queue: a preview shows in a window; a printer that says it is
        offline or out of paper says so in the status bar."""
        self.printer_status = "" if status in ("", "online", "preview") else status
        self.update_print_status()
        if uri.startswith("preview"):
            self.show_preview(job_id, where)

    def show_preview(self, _job_id: int, where: str) -> None:
        """The preview printer 'prints' into a window (and a file)."""
        from app.views.settings.print_queue import PreviewWindow

        if self.preview is None:
            self.preview = PreviewWindow(self)
        self.preview.show_job(where)

    def show_screen(self, name: str) -> QWidget:
        if name not in self.screens:
            screen = self._build(name)
            slot = self._slots[name]
            old = self.stack.widget(slot)
            self.stack.insertWidget(slot, screen)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.screens[name] = screen
        self.stack.setCurrentWidget(self.screens[name])
        row = SCREENS.index(name)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        return self.screens[name]

    def show_shortcuts(self) -> None:
        """F1: the keys of everything, and of the screen in front."""
        from app.views.feel import ShortcutsDialog

        row = self.nav.currentRow()
        name = SCREENS[row] if row >= 0 else ""
        ShortcutsDialog(name, self.screens.get(name), self).exec()

    def lock(self) -> None:
        """Ctrl+L: the screen locks until someone signs in — the same person, or another
        (quick user switch at a shared till). A switch starts every screen afresh, so
        nothing one user opened stays open for the next."""
        from app.views.login import LoginDialog

        previous = self.ctx.actor
        dialog = LoginDialog(
            self.ctx.database, self.ctx.workstation.workstation_name, self, locked=True
        )
        dialog.setWindowTitle(
            _("Locked — {name} or another user signs in").format(name=previous.display_name)
        )
        self.cover = LockCover(self)
        preview_shown = self.preview is not None and self.preview.isVisible()
        if self.preview is not None:
            self.preview.hide()  # a receipt on screen is behind the lock too
        try:
            dialog.exec()
        finally:
            self.cover.deleteLater()
            self.cover = None
        actor = dialog.actor
        if actor is None or actor.user_id == previous.user_id:
            if preview_shown and self.preview is not None:
                self.preview.show()
            return
        self.ctx.actor = actor
        current = SCREENS[self.nav.currentRow()] if self.nav.currentRow() >= 0 else "Orders"
        self._release_screens()
        for name, screen in list(self.screens.items()):
            slot = self._slots[name]
            self.stack.insertWidget(slot, QWidget())
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self.screens.clear()
        self.show_signed_in(actor)
        landing = first_screen(actor)
        self.show_screen(landing if landing == "Reports" else current)
        from app.views.purchasing.daily_reorder import reorder_at_sign_in

        reorder_at_sign_in(self, self.ctx)  # a buyer's first sign-in of the day, at this till

    def _release_screens(self) -> None:
        for screen in self.screens.values():
            shutdown = getattr(screen, "shutdown", None)
            if shutdown is not None:
                shutdown()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Screens that hold resources (the counter's scanner connection) let them go."""
        self._release_screens()
        from app.views.feel import save_window

        save_window(self)
        super().closeEvent(event)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        if self.cover is not None:
            self.cover.setGeometry(self.rect())

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.nav.setFocus()
            return
        super().keyPressEvent(event)
