"""First run, after the administrator is created: the shop (name and address for
receipts), money and language, the database, the printers this machine can see, the
scanner check, and a demo store or an empty one. Every page can be skipped (Next leaves
what is there) and everything can be changed later in Settings."""

from __future__ import annotations

import threading

from babel import Locale, UnknownLocaleError
from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.admin.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
from app.core import settings
from app.core.auth import Actor
from app.core.errors import KestrelError
from app.db import Database
from app.printing import discovery
from app.services.printing import printers
from app.views.errors import describe
from app.views.tasks import run_in_background
from app.views.theme import mark

CURRENCIES = ("EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD")
LOCALES = ("en_IE", "en_GB", "en_US", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "pl_PL")


def locale_name(code: str) -> str:
    """'en_IE' -> 'English (Ireland)': each locale named in its own language (Babel), as
    people look for their own; the code itself when Babel does not know it."""
    try:
        name = Locale.parse(code).get_display_name()
    except (ValueError, UnknownLocaleError):
        return code
    return f"{name[:1].upper()}{name[1:]}" if name else code


def _page(title: str, text: str) -> tuple[QWizardPage, QVBoxLayout]:
    page = QWizardPage()
    page.setTitle(title)
    page.setSubTitle(text)
    return page, QVBoxLayout(page)


class SetupWizard(QWizard):
    def __init__(
        self, database: Database, actor: Actor, workstation: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up Kestrel")
        self.setMinimumSize(720, 540)  # every page's text whole, at the default font
        self.database = database
        self.actor = actor
        self.workstation = workstation
        self.message = ""
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Skip")
        self.customButtonClicked.connect(lambda _which: self.skip())
        with database.write() as session:  # the preview printers, so every page can print
            printers.ensure_preview_printers(session, workstation)
            shared = settings.all_settings(session)
        self.shop_page = self._shop(shared)
        self.money_page = self._money(shared)
        self.database_page = self._database()
        self.printers_page = self._printers()
        self.scanner_page = self._scanner()
        self.store_page = self._store()
        for page in (
            self.shop_page,
            self.money_page,
            self.database_page,
            self.printers_page,
            self.scanner_page,
            self.store_page,
        ):
            self.addPage(page)

    # --- pages ------------------------------------------------------------------------
    def _shop(self, shared: dict) -> QWizardPage:  # type: ignore[type-arg]
        page, layout = _page("Your shop", "The name and address on receipts and invoices.")
        self.company = QLineEdit(str(shared["company_name"]), objectName="company_name")
        self.address = QPlainTextEdit(str(shared["company_address"]), objectName="address")
        self.footer = QLineEdit(str(shared["receipt_footer"]), objectName="footer")
        form = QFormLayout()
        form.addRow("Name", self.company)
        form.addRow("Address", self.address)
        form.addRow("Receipt footer", self.footer)
        layout.addLayout(form)
        return page

    def _money(self, shared: dict) -> QWizardPage:  # type: ignore[type-arg]
        page, layout = _page("Money and language", "How prices and dates are written.")
        self.currency = QComboBox(objectName="currency")
        self.currency.setEditable(True)
        self.currency.addItems(list(CURRENCIES))
        self.currency.setCurrentText(str(shared["currency"]))
        self.locale = QComboBox(objectName="locale")
        self.locale.setEditable(True)  # a locale not listed can be typed as its code
        for code in dict.fromkeys((*LOCALES, str(shared["locale"]))):
            self.locale.addItem(locale_name(code), code)
        self.locale.setCurrentIndex(self.locale.findData(str(shared["locale"])))
        self.money_error = QLabel(objectName="money_error", wordWrap=True)
        mark(self.money_error, "error")
        form = QFormLayout()
        form.addRow("Currency", self.currency)
        form.addRow("Language and region", self.locale)
        layout.addLayout(form)
        layout.addWidget(self.money_error)
        page.validatePage = self._save_company  # type: ignore[method-assign]
        return page

    def _database(self) -> QWizardPage:
        page, layout = _page(
            "Where the data lives",
            "One workstation: the local file is all you need. Several: a shared PostgreSQL "
            "server, set in Settings > Database (the command kestrel move-to takes this "
            "store there with its history).",
        )
        label = QLabel(f"This store is in: {self.database.description}", objectName="db_where")
        label.setWordWrap(True)
        layout.addWidget(label)
        return page

    def _printers(self) -> QWizardPage:
        page, layout = _page(
            "Printers",
            "The preview printer shows what would print. Tick a printer this computer can "
            "see to use it for receipts; add others in Settings > Printers.",
        )
        self.found = discovery.everything()
        self.found_boxes: list[tuple[QCheckBox, discovery.Found]] = []
        if not self.found:
            layout.addWidget(
                QLabel(
                    "No printer found on this computer: the preview printer "
                    "stands in until one is added."
                )
            )
        for item in self.found:
            box = QCheckBox(f"{item.name}  ({item.how}, {item.uri})")
            self.found_boxes.append((box, item))
            layout.addWidget(box)
        test = QPushButton("Print a test page on the receipt printer", objectName="wizard_test")
        test.clicked.connect(self.test_print)
        self.printer_result = QLabel(objectName="printer_result", wordWrap=True)
        layout.addWidget(test)
        layout.addWidget(self.printer_result)
        page.validatePage = self._save_printers  # type: ignore[method-assign]
        return page

    def _scanner(self) -> QWizardPage:
        from app.views.settings.screen import ScannerPage

        page, layout = _page(
            "Scanner", "Scan the code: Kestrel says whether the scanner needs another setting."
        )
        self.scanner = ScannerPage(page)
        layout.addWidget(self.scanner)
        page.validatePage = self._scanner_checked  # type: ignore[method-assign]
        return page

    def _store(self) -> QWizardPage:
        page, layout = _page("Your store", "Try Kestrel with a demo store, or start empty.")
        self.demo = QRadioButton(
            "Demo store: products with barcodes, two warehouses, customers, orders in every "
            "status, demo users",
            objectName="choose_demo",
        )
        self.empty = QRadioButton("Empty store", objectName="choose_empty")
        self.demo.setChecked(True)
        layout.addWidget(self.demo)
        layout.addWidget(self.empty)
        page.validatePage = self._build_store  # type: ignore[method-assign]
        return page

    # --- actions ----------------------------------------------------------------------
    def skip(self) -> None:
        """Leave this page as it is and go on (on the last page: an empty store)."""
        if self.currentPage() is self.store_page:
            self.empty.setChecked(True)
            self.accept()
            return
        self.skipped = getattr(self, "skipped", set()) | {self.currentId()}
        QWizard.next(self)

    def _skipping(self) -> bool:
        return self.currentId() in getattr(self, "skipped", set())

    def _save_company(self) -> bool:
        if self._skipping():
            return True
        try:
            with self.database.write() as session:
                settings.set_company(
                    session,
                    self.actor,
                    self.company.text(),
                    self.address.toPlainText(),
                    self.currency.currentText(),
                    self._locale_code(),
                    self.footer.text(),
                )
        except KestrelError as exc:
            self.money_error.setText(exc.message)
            return False
        return True

    def _scanner_checked(self) -> bool:
        """A scan still in the field (one without Enter) is judged first, and the page
        stays so its verdict is read; Next again moves on."""
        pending = self.scanner.input.text()
        if self._skipping() or not pending.strip():
            return True
        self.scanner.check(pending, False)
        return False

    def _locale_code(self) -> str:
        """The chosen locale's code: a listed name ("English (Ireland)") or a typed code."""
        text = self.locale.currentText().strip()
        index = self.locale.findText(text)
        return str(self.locale.itemData(index)) if index >= 0 else text

    def _save_printers(self) -> bool:
        chosen = [item for box, item in self.found_boxes if box.isChecked()]
        if self._skipping() or not chosen:
            return True
        try:
            with self.database.write() as session:
                for n, item in enumerate(chosen):
                    printers.add_printer(
                        session,
                        self.actor,
                        self.workstation,
                        printers.PrinterInput(
                            item.name[:60], item.uri, "receipt", is_default=n == 0
                        ),
                    )
        except KestrelError as exc:
            self.printer_result.setText(exc.message)
            return False
        return True

    def test_print(self) -> None:
        from app.services.printing.documents import print_test_page

        try:
            with self.database.write() as session:
                printer = printers.default_printer(session, self.workstation, "receipt")
                job = print_test_page(session, self.actor, printer.id)
        except KestrelError as exc:
            self.printer_result.setText(exc.message)
            return
        self.printer_result.setText(
            f"Test page queued as job {job} for {printer.name}; it prints once Kestrel runs."
        )

    def _build_store(self) -> bool:
        if not self.demo.isChecked():
            return True
        progress = QProgressDialog("Building the demo store...", "Cancel", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        stop = threading.Event()
        progress.canceled.connect(stop.set)
        loop = QEventLoop(self)
        outcome: dict[str, object] = {}
        database, actor = self.database, self.actor

        def work(report):  # type: ignore[no-untyped-def]
            with database.write() as session:
                return build_demo(session, actor, progress=report, cancelled=stop.is_set)

        def done(_stats: object) -> None:
            outcome["ok"] = True
            loop.quit()

        def failed(exc: Exception) -> None:
            outcome["error"] = describe(exc)
            loop.quit()

        def step(stage: str, count: int, total: int) -> None:
            progress.setLabelText(f"Building the demo store: {stage}…")
            progress.setMaximum(total)
            progress.setValue(count)

        run_in_background(work, done, failed, step)
        loop.exec()
        progress.reset()
        if "error" in outcome:
            self.store_page.setSubTitle(f"The demo store could not be built: {outcome['error']}")
            return False
        names = ", ".join(name for name, _, _ in DEMO_USERS)
        self.message = (
            f"The demo store is ready. Demo sign-ins: {names}; each with the password "
            f"{DEMO_PASSWORD}."
        )
        return True
