"""First run, after the administrator is created: the shop (name and address for
receipts), money and language, the database, the printers this machine can see, the
scanner check, and a demo store or an empty one. Every page can be skipped (Next leaves
what is there) and everything can be changed later in Settings."""

from __future__ import annotations

import threading
from collections.abc import Callable

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
from app.core.i18n import _
from app.db import Database
from app.db import ServiceSession as Session
from app.printing import discovery
from app.services import shop, shop_defaults
from app.services.printing import printers
from app.views.errors import describe
from app.views.ops import Op
from app.views.tasks import Report, run_in_background
from app.views.theme import mark

CURRENCIES = ("EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD")
LOCALES = ("en_IE", "en_GB", "en_US", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "pl_PL")
ZONES = (
    "Europe/Dublin",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Rome",
    "Europe/Warsaw",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
)


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
        self.setWindowTitle(_("Set up Kestrel"))
        self.setMinimumSize(720, 540)  # every page's text whole, at the default font
        self.database = database
        self.actor = actor
        self.workstation = workstation
        self.message = ""
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, _("Skip"))
        self.customButtonClicked.connect(lambda _which: self.skip())
        self._passed: int | None = None  # a page whose save is done: Next may leave it
        self._saving = False
        self.shop_page = self._shop()
        self.money_page = self._money()
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

        def prepare(session: Session) -> dict[str, object]:
            printers.ensure_preview_printers(session, workstation)  # every page can print
            return settings.all_settings(session)

        Op(self, database, prepare, write=True).busy(
            self.button(QWizard.WizardButton.NextButton)
        ).on_success(self._fill).message(self.money_error.setText).run()

    def _fill(self, shared: dict[str, object]) -> None:
        """The store's settings as they are, into the pages (they arrive a moment later);
        a setting still at its built-in default shows what suits this workstation's
        language and zone instead (services/shop_defaults.py)."""
        shown = shop_defaults.suggested(shared)
        self.company.setText(shown["company_name"])
        self.address.setPlainText(str(shared["company_address"]))
        self.footer.setText(shown["receipt_footer"])
        self.currency.setCurrentText(shown["currency"])
        code = shown["locale"]
        if self.locale.findData(code) < 0:
            self.locale.addItem(locale_name(code), code)
        self.locale.setCurrentIndex(self.locale.findData(code))
        self.timezone.setCurrentText(shown["timezone"])
        self.locale.currentIndexChanged.connect(self._locale_chosen)

    def _locale_chosen(self) -> None:
        """Another country's locale: its time zone follows, where the country has one."""
        zone = shop_defaults.zone_for(self._locale_code())
        if zone:
            self.timezone.setCurrentText(zone)

    # --- pages ------------------------------------------------------------------------
    def _shop(self) -> QWizardPage:
        page, layout = _page(_("Your shop"), _("The name and address on receipts and invoices."))
        self.company = QLineEdit(objectName="company_name")
        self.address = QPlainTextEdit(objectName="address")
        self.footer = QLineEdit(objectName="footer")
        form = QFormLayout()
        form.addRow(_("Name"), self.company)
        form.addRow(_("Address"), self.address)
        form.addRow(_("Receipt footer"), self.footer)
        layout.addLayout(form)
        return page

    def _money(self) -> QWizardPage:
        page, layout = _page(_("Money and language"), _("How prices and dates are written."))
        self.currency = QComboBox(objectName="currency")
        self.currency.setEditable(True)
        self.currency.addItems(list(CURRENCIES))
        self.locale = QComboBox(objectName="locale")
        self.locale.setEditable(True)  # a locale not listed can be typed as its code
        for code in LOCALES:
            self.locale.addItem(locale_name(code), code)
        self.timezone = QComboBox(objectName="timezone")
        self.timezone.setEditable(True)  # any IANA zone can be typed
        self.timezone.addItems(list(ZONES))
        self.money_error = QLabel(objectName="money_error", wordWrap=True)
        mark(self.money_error, "error")
        form = QFormLayout()
        form.addRow(_("Currency"), self.currency)
        form.addRow(_("Language and region"), self.locale)
        form.addRow(_("Time zone"), self.timezone)
        layout.addLayout(form)
        layout.addWidget(self.money_error)
        page.validatePage = self._save_company  # type: ignore[method-assign]
        return page

    def _database(self) -> QWizardPage:
        page, layout = _page(
            _("Where the data lives"),
            _(
                "One workstation: the local file is all you need. Several: a shared PostgreSQL "
                "server, set in Settings > Database (the command kestrel move-to takes this "
                "store there with its history)."
            ),
        )
        label = QLabel(
            _("This store is in: {database}").format(database=self.database.description),
            objectName="db_where",
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        return page

    def _printers(self) -> QWizardPage:
        page, layout = _page(
            _("Printers"),
            _(
                "The preview printer shows what would print. Tick a printer this computer can "
                "see to use it for receipts; add others in Settings > Printers."
            ),
        )
        self.found = discovery.everything()
        self.found_boxes: list[tuple[QCheckBox, discovery.Found]] = []
        if not self.found:
            layout.addWidget(
                QLabel(
                    _(
                        "No printer found on this computer: the preview printer "
                        "stands in until one is added."
                    )
                )
            )
        for item in self.found:
            box = QCheckBox(f"{item.name}  ({item.how}, {item.uri})")
            self.found_boxes.append((box, item))
            layout.addWidget(box)
        test = QPushButton(_("Print a test page on the receipt printer"), objectName="wizard_test")
        test.clicked.connect(self.test_print)
        self.test_button = test
        self.printer_result = QLabel(objectName="printer_result", wordWrap=True)
        layout.addWidget(test)
        layout.addWidget(self.printer_result)
        page.validatePage = self._save_printers  # type: ignore[method-assign]
        return page

    def _scanner(self) -> QWizardPage:
        from app.views.settings.screen import ScannerPage

        page, layout = _page(
            _("Scanner"),
            _("Scan the code: Kestrel says whether the scanner needs another setting."),
        )
        self.scanner = ScannerPage(page)
        layout.addWidget(self.scanner)
        page.validatePage = self._scanner_checked  # type: ignore[method-assign]
        return page

    def _store(self) -> QWizardPage:
        page, layout = _page(_("Your store"), _("Try Kestrel with a demo store, or start empty."))
        self.demo = QRadioButton(
            _(
                "Demo store: products with barcodes, two warehouses, customers, orders in every "
                "status, demo users"
            ),
            objectName="choose_demo",
        )
        self.empty = QRadioButton(_("Empty store"), objectName="choose_empty")
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

    def _save_then_next(
        self, work: Callable[[Session], object], show: Callable[[str], None]
    ) -> bool:
        """A page's validatePage: save in the background and stay; once saved, Next again
        (done here) leaves the page. A refusal stays on the page with its words."""
        page = self.currentId()
        if self._passed == page:
            self._passed = None
            return True
        if not self._saving:
            self._saving = True
            Op(self, self.database, work, write=True).busy(
                self.button(QWizard.WizardButton.NextButton)
            ).on_success(lambda _result: self._saved(page)).message(show).finally_(
                self._save_over
            ).run()
        return False

    def _save_over(self) -> None:
        self._saving = False

    def _saved(self, page: int) -> None:
        if self.currentId() == page:
            self._passed = page
            self.next()

    def _save_company(self) -> bool:
        if self._skipping():
            return True
        actor, company, address = self.actor, self.company.text(), self.address.toPlainText()
        currency, locale, footer, zone = (
            self.currency.currentText(),
            self._locale_code(),
            self.footer.text(),
            self.timezone.currentText(),
        )

        def save(s: Session) -> None:
            settings.set_company(s, actor, company, address, currency, locale, footer)
            shop.set_timezone(s, actor, zone)

        return self._save_then_next(save, self.money_error.setText)

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
        actor, workstation = self.actor, self.workstation

        def add(session: Session) -> None:
            for n, item in enumerate(chosen):
                printers.add_printer(
                    session,
                    actor,
                    workstation,
                    printers.PrinterInput(item.name[:60], item.uri, "receipt", is_default=n == 0),
                )

        return self._save_then_next(add, self.printer_result.setText)

    def test_print(self) -> None:
        from app.services.printing.documents import print_test_page

        actor, workstation = self.actor, self.workstation

        def queue(session: Session) -> tuple[int, str]:
            printer = printers.default_printer(session, workstation, "receipt")
            return print_test_page(session, actor, printer.id), printer.name

        Op(self, self.database, queue, write=True).busy(self.test_button).on_success(
            self._test_queued
        ).message(self.printer_result.setText).run()

    def _test_queued(self, queued: tuple[int, str]) -> None:
        job, name = queued
        self.printer_result.setText(
            _("Test page queued as job {job} for {printer}; it prints once Kestrel runs.").format(
                job=job, printer=name
            )
        )

    def _build_store(self) -> bool:
        if not self.demo.isChecked():
            return True
        progress = QProgressDialog(_("Building the demo store…"), _("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        stop = threading.Event()
        progress.canceled.connect(stop.set)
        loop = QEventLoop(self)
        outcome: dict[str, object] = {}
        database, actor = self.database, self.actor

        def work(report: Report) -> None:  # one transaction, begun again on a deadlock
            database.transact(
                lambda s: build_demo(s, actor, progress=report, cancelled=stop.is_set)
            )

        def done(_stats: object) -> None:
            outcome["ok"] = True
            loop.quit()

        def failed(exc: Exception) -> None:
            outcome["error"] = describe(exc)
            loop.quit()

        def step(stage: str, count: int, total: int) -> None:
            progress.setLabelText(_("Building the demo store: {stage}…").format(stage=stage))
            progress.setMaximum(total)
            progress.setValue(count)

        run_in_background(work, done, failed, step)
        loop.exec()
        progress.reset()
        if "error" in outcome:
            self.store_page.setSubTitle(
                _("The demo store could not be built: {reason}").format(reason=outcome["error"])
            )
            return False
        names = ", ".join(name for name, _, _ in DEMO_USERS)
        self.message = _(
            "The demo store is ready. Demo sign-ins: {names}; each with the password {password}."
        ).format(names=names, password=DEMO_PASSWORD)
        return True
