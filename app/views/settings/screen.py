"""Settings -> Printers: this workstation's printers, add or change one, print a test page.
Other settings pages (scanner, database, company) join this screen as they are built."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer
from PySide6.QtGui import QImage, QKeyEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import ChangeSet
from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.printing import printers
from app.services.printing.printers import LANGUAGES, PrinterInput, PrinterRow
from app.views.context import AppContext
from app.views.ops import op
from app.views.table_models import Column, RowsTableModel
from app.views.theme import mark
from app.views.widgets import make_table

URI_HINT = N_(
    "tcp://192.168.1.50:9100, usb://04b8:0202, serial:///dev/ttyUSB0, cups://Queue, preview:"
)
# the printer languages by their own (technical) names, the same in every language
LANGUAGE_NAMES = {"escpos": "ESC/POS", "zpl": "ZPL", "pdf": "PDF"}
THEME_LABELS = {"light": N_("light"), "dark": N_("dark")}  # as the setting says them


def _role_text(printer: PrinterRow) -> str:
    role = printers.role_label(printer.role)
    return _("{role} (default)").format(role=role) if printer.is_default else role


class PrintersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editing: int | None = None
        self.model = RowsTableModel(
            [
                Column(_("Name"), lambda p: p.name),
                Column(_("Role"), _role_text),
                Column(_("Language"), lambda p: LANGUAGE_NAMES.get(p.language, p.language)),
                Column(_("Address"), lambda p: p.uri),
            ],
            self,
        )
        self.table = make_table(self.model, "printers", stretch=3)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.name = QLineEdit(objectName="printer_name")
        self.uri = QLineEdit(objectName="printer_uri")
        self.uri.setPlaceholderText(_(URI_HINT))
        self.role = QComboBox(objectName="printer_role")
        for role in printers.ROLES:
            self.role.addItem(printers.role_label(role), role)
        self.language = QComboBox(objectName="printer_language")
        self.profile = QComboBox(objectName="printer_profile")
        self.profile.setEditable(True)
        self.profile.addItems(list(printers.RECEIPT_PROFILES))
        self.paper = QComboBox(objectName="printer_paper")
        self.paper.addItems(["80", "58"])
        self.dpi = QComboBox(objectName="printer_dpi")
        self.dpi.addItems(["203", "300", "600"])
        self.is_default = QCheckBox(
            _("Default printer for this role"), objectName="printer_default"
        )
        self.is_default.setChecked(True)
        self.font_note = QLabel(objectName="printer_font_note", wordWrap=True)
        self.role.currentIndexChanged.connect(lambda _i: self._role_changed(self._role()))
        self.language.currentIndexChanged.connect(lambda _i: self._show_font_note(self._language()))
        self._role_changed(self._role())
        self.message = QLabel(objectName="printer_message")
        self.message.setWordWrap(True)
        self.new_button = QPushButton(_("&New printer"), objectName="new_printer")
        self.save_button = QPushButton(_("&Save printer"), objectName="save_printer")
        self.test_button = QPushButton(_("Print &test page"), objectName="test_page")
        self.new_button.clicked.connect(self.clear_form)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test_page)
        form = self._form()
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        ctx.bridge.changed.connect(self._on_changes)
        self.reload()

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Address"), self.uri)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Language"), self.language)
        form.addRow(_("Profile"), self.profile)
        form.addRow(_("Paper (mm)"), self.paper)
        form.addRow(_("Resolution (dpi)"), self.dpi)
        form.addRow(self.is_default)
        form.addRow(self.font_note)
        return form

    def _role(self) -> str:
        return str(self.role.currentData() or "")

    def _language(self) -> str:
        return str(self.language.currentData() or "")

    def _role_changed(self, role: str) -> None:
        self.language.clear()
        for language in LANGUAGES.get(role, ("escpos",)):
            self.language.addItem(LANGUAGE_NAMES.get(language, language), language)
        self._show_font_note(self._language())

    def _show_font_note(self, language: str) -> None:
        """What this printer's font can print (a ZPL printer's resident font: Latin-1)."""
        self.font_note.setText(printers.language_note(self._role(), language))

    def reload(self) -> None:
        """The preview printers first (a fresh workstation prints with no hardware), then
        the list; both in one repeatable transaction (adding the preview ones is idempotent)."""
        workstation = self.ctx.workstation.workstation_name

        def read_printers(session: Session) -> list[PrinterRow]:
            printers.ensure_preview_printers(session, workstation)
            return printers.list_printers(session, workstation)

        op(self, self.ctx, read_printers).on_success(self.model.set_rows).message(
            self.message.setText
        ).run()

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        printer: PrinterRow = self.model.row(rows[0].row())
        self.editing = printer.id
        self.name.setText(printer.name)
        self.uri.setText(printer.uri)
        self.role.setCurrentIndex(self.role.findData(printer.role))
        self.language.setCurrentIndex(self.language.findData(printer.language))
        self.profile.setCurrentText(printer.profile)
        self.paper.setCurrentText(str(printer.paper_width_mm))
        self.dpi.setCurrentText(str(printer.dpi))
        self.is_default.setChecked(printer.is_default)

    def clear_form(self) -> None:
        self.editing = None
        self.table.clearSelection()
        for field in (self.name, self.uri):
            field.clear()
        self.name.setFocus()

    def _input(self) -> PrinterInput:
        return PrinterInput(
            name=self.name.text(),
            uri=self.uri.text(),
            role=self._role(),
            language=self._language(),
            profile=self.profile.currentText().strip() or "default",
            paper_width_mm=int(self.paper.currentText()),
            dpi=int(self.dpi.currentText()),
            is_default=self.is_default.isChecked(),
        )

    def save(self) -> None:
        workstation, actor, editing = (
            self.ctx.workstation.workstation_name,
            self.ctx.actor,
            self.editing,
        )
        data, name = self._input(), self.name.text()

        def save(session: Session) -> int:
            if editing is None:
                return printers.add_printer(session, actor, workstation, data)
            printers.update_printer(session, actor, editing, data)
            return editing

        op(self, self.ctx, save).busy(self.save_button).on_success(
            lambda printer_id: self._saved(printer_id, name)
        ).message(self.message.setText).run()

    def _saved(self, printer_id: int, name: str) -> None:
        self.editing = printer_id
        self.message.setText(_("Saved {name}.").format(name=name))
        self.reload()

    def test_page(self) -> None:
        if self.editing is None:
            self.message.setText(_("Save the printer first, then print its test page."))
            return
        from app.services.printing import documents

        actor, printer_id = self.ctx.actor, self.editing
        op(self, self.ctx, lambda s: documents.print_test_page(s, actor, printer_id)).busy(
            self.test_button
        ).on_success(self._test_queued).message(self.message.setText).run()

    def _test_queued(self, job: int) -> None:
        self.message.setText(
            _("Test page queued as job {job}; see the Print queue.").format(job=job)
        )
        self.ctx.jobs_queued()

    def _on_changes(self, change: ChangeSet) -> None:
        if "printers" in change.kinds:
            self.reload()


class ScannerPage(QWidget):
    """Scan the test code: Kestrel says whether the scanner's keyboard country, prefix,
    suffix or case settings mangle codes, and how to fix them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.services.stock.scanning import TEST_CODE

        # The code is drawn when the page first shows (showEvent): PIL and python-barcode
        # (~15 MB resident) only for whoever tests a scanner (issue 20, memory).
        self.code_image = QLabel(objectName="test_code")
        self._test_code = TEST_CODE
        self.input = QLineEdit(objectName="scanner_input")
        self.input.setPlaceholderText(_("Click here, then scan the code above"))
        self.input.installEventFilter(self)  # the scan's Enter is the scan's, see below
        self.result = QLabel(objectName="scanner_result", wordWrap=True)
        self._no_enter = QTimer(self, singleShot=True, interval=800)
        self._no_enter.timeout.connect(lambda: self.check(self.input.text(), False))
        self.input.textEdited.connect(lambda _t: self._no_enter.start())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Scan this test code with each scanner of this workstation:")))
        layout.addWidget(self.code_image)
        layout.addWidget(self.input)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        if self.code_image.pixmap().isNull():
            self.code_image.setPixmap(_barcode_pixmap(self._test_code))
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The Enter ending a test scan gives the verdict and goes no further: in the setup
        wizard it would press Next and move on before the verdict could be read."""
        if (
            watched is self.input
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.check(self.input.text(), True)
            return True
        return super().eventFilter(watched, event)

    def check(self, received: str, ended_with_enter: bool) -> None:
        from app.services.stock.scanning import check_scanner

        self._no_enter.stop()
        if not received and not ended_with_enter:
            return
        verdict = check_scanner(received, ended_with_enter)
        mark(self.result, "ok" if verdict.ok else "error")
        self.result.setText(verdict.advice)
        self.input.clear()


def _barcode_pixmap(code: str) -> QPixmap:
    from app.printing.bar_images import barcode_image
    from app.printing.layout import Barcode

    image = barcode_image(Barcode(code, height_mm=12)).convert("RGB")
    qimage = QImage(
        image.tobytes(), image.width, image.height, image.width * 3, QImage.Format.Format_RGB888
    ).copy()
    return QPixmap.fromImage(qimage)


class WorkstationPage(QWidget):
    """This workstation's look: light or dark, applied at once and remembered."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.views.theme import THEMES

        self.ctx = ctx
        self.theme = QComboBox(objectName="theme")
        for theme in THEMES:
            self.theme.addItem(_(THEME_LABELS.get(theme, theme)), theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(ctx.workstation.theme)))
        self.theme.currentIndexChanged.connect(lambda _i: self.set_theme(self.theme.currentData()))
        form = QFormLayout(self)
        form.addRow(_("Workstation"), QLabel(ctx.workstation.workstation_name))
        form.addRow(_("Theme"), self.theme)
        form.addRow(QLabel(_("F1 on any screen lists its keyboard shortcuts.")))

    def set_theme(self, theme: str) -> None:
        from PySide6.QtWidgets import QApplication

        from app.views.theme import apply_theme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.ctx.workstation.theme = theme
        self.ctx.workstation.save()


class SettingsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget(objectName="settings_tabs")
        self.printers = PrintersPage(ctx, self)
        self.scanner = ScannerPage(self)
        self.tabs.addTab(self.printers, _("Printers"))
        self.tabs.addTab(self.scanner, _("Scanner"))
        from app.views.fulfilment.carriers import CarriersPage

        self.carriers = CarriersPage(ctx, self)
        self.tabs.addTab(self.carriers, _("Carriers"))
        from app.views.settings.database import DatabasePage

        self.database = DatabasePage(ctx, self)
        self.tabs.addTab(self.database, _("Database"))
        self.workstation = WorkstationPage(ctx, self)
        self.tabs.addTab(self.workstation, _("Workstation"))
        from app.views.settings.users import add_admin_tabs

        add_admin_tabs(self.tabs, ctx, self)  # Users, Shop: for those with the permission
        from app.views.settings.outbox import add_mail_tabs

        add_mail_tabs(self.tabs, ctx, self)  # Outbox, E-mail templates: managers
        from app.views.settings.api_keys import add_api_keys_tab

        add_api_keys_tab(self.tabs, ctx, self)  # API keys: managers
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def handle_scan(self, code: str) -> bool:
        """On the Scanner tab a scan is the test; elsewhere it is not settings' business."""
        if self.tabs.currentWidget() is self.scanner:
            self.scanner.check(code, True)
            return True
        return False
