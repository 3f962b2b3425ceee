"""The reports: the list of every registered report (base.catalogue()), the filters the
chosen one uses, its definition as help, its chart above the table behind it, Export…
and Print. A report runs off the GUI thread with a busy bar and a Cancel that the
report's SQL loop asks (`cancelled`); an answer to an older run is dropped."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import KestrelError, ValidationError
from app.core.i18n import N_, _, ngettext
from app.db import ServiceSession as Session
from app.services.reports import base
from app.services.reports.base import Filters, ReportDef, ReportResult
from app.services.sales import order_list
from app.views import errors
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.reports.chart import build_chart
from app.views.reports.ranges import PRESETS, preset_range, shop_today
from app.views.reports.result_model import ResultModel
from app.views.tasks import run_in_background
from app.views.widgets import make_table, say

RUN_DELAY_MS = 300  # a filter changed: wait for the next change before running
FORMATS = {  # the file dialog's filters: names of formats, the same in every language
    "CSV (*.csv)": "csv",
    "Excel (*.xlsx)": "xlsx",
    "PDF (*.pdf)": "pdf",
    "JSON (*.json)": "json",
}
GROUPS = ((N_("By day"), "day"), (N_("By week"), "week"), (N_("By month"), "month"))
CUSTOM = "Custom"  # the preset's key when the dates were typed


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="reports_tab")
        self.ctx = ctx
        self.reports: list[ReportDef] = list(base.catalogue().values())
        self.result: ReportResult | None = None
        self.last_export: Path | None = None
        self._generation = 0
        self._cancel: threading.Event | None = None
        self._zone = "UTC"
        self._chart: QChart | None = None
        self._debounce = QTimer(self, singleShot=True, interval=RUN_DELAY_MS)
        self._debounce.timeout.connect(self.run)

        self.list = QListWidget(objectName="report_list")
        self.list.addItems([_(r.title) for r in self.reports])
        self.list.setMaximumWidth(220)
        self.help = QLabel(objectName="report_help")
        self.help.setWordWrap(True)
        self.message = QLabel(objectName="report_message")
        self.message.setWordWrap(True)
        self.progress = QProgressBar(objectName="report_progress")
        self.progress.setRange(0, 0)  # busy: a report's SQL says nothing until it is done
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.model = ResultModel(ctx.locale, self)
        self.table = make_table(self.model, "report_table")
        self.chart_view = QChartView(objectName="report_chart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.empty = QLabel(objectName="report_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self._build_filters()
        self._layout()
        self.list.currentRowChanged.connect(self._chosen)
        self._load_choices()
        if self.reports:
            self.list.setCurrentRow(0)
        else:
            say(self.message, _("No report is installed yet."))

    # --- building -----------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.preset = QComboBox(objectName="report_preset")
        for name in PRESETS:
            self.preset.addItem(_(name), name)
        self.preset.addItem(_("Custom"), CUSTOM)
        self.preset.setCurrentIndex(self.preset.findData("Last 30 days"))
        self.start = QDateEdit(objectName="report_from", calendarPopup=True)
        self.end = QDateEdit(objectName="report_to", calendarPopup=True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.warehouse = QComboBox(objectName="report_warehouse")
        self.warehouse.addItem(_("All warehouses"), None)
        self.channel = QComboBox(objectName="report_channel")
        self.channel.addItem(_("All channels"), None)
        for label, value in order_list.channel_choices():
            self.channel.addItem(label, value)
        self.category = QComboBox(objectName="report_category")
        self.category.addItem(_("All categories"), None)
        self.category.setMaximumWidth(220)
        self.warehouse.setMaximumWidth(220)
        self.group = QComboBox(objectName="report_group")
        for label, value in GROUPS:
            self.group.addItem(_(label), value)
        self.run_button = QPushButton(_("&Run (F5)"), objectName="report_run")
        self.cancel_button = QPushButton(_("Cancel"), objectName="report_cancel")
        self.cancel_button.setEnabled(False)
        self.export_button = QPushButton(_("&Export…"), objectName="report_export")
        self.print_button = QPushButton(_("&Print"), objectName="report_print")
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(self.choose_export)
        self.print_button.clicked.connect(self.print_report)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.run)
        self.preset.currentIndexChanged.connect(lambda _i: self._preset_chosen(self._preset()))
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._dates_edited)
        for combo in (self.warehouse, self.channel, self.category, self.group):
            combo.currentIndexChanged.connect(lambda _i: self._debounce.start())

    def _layout(self) -> None:
        dates = QHBoxLayout()
        dates.addWidget(QLabel(_("Range")))
        for widget in (self.preset, self.start, QLabel(_("to")), self.end, self.group):
            dates.addWidget(widget)
        dates.addStretch(1)
        others = QHBoxLayout()
        for widget in (self.warehouse, self.channel, self.category):
            others.addWidget(widget)
        others.addStretch(1)
        # a row of their own: with the range on one line they made the screen wider than
        # 1024 px, and the main window grew past the screen
        actions = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.export_button, self.print_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.split = QSplitter(Qt.Orientation.Vertical, objectName="report_split")
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_view)
        chart_layout.addWidget(self.empty)
        self.split.addWidget(chart_box)
        self.split.addWidget(self.table)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        right = QVBoxLayout()
        right.addLayout(dates)
        right.addLayout(others)
        right.addLayout(actions)
        right.addWidget(self.help)
        right.addWidget(self.progress)
        right.addWidget(self.message)
        right.addWidget(self.split, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(right, 1)

    def _load_choices(self) -> None:
        """The shop's time zone (for the presets), its warehouses and categories."""
        from app.services.shop import shop_details
        from app.services.stock import categories, locations

        actor = self.ctx.actor

        def work(session: Session) -> tuple[str, list[tuple[int, str, str]], list[str]]:
            return (
                shop_details(session).timezone,
                locations.active_warehouses(session),
                categories.paths(session, actor),
            )

        query(self, self.ctx, work).on_success(self._choices).message(
            lambda text: say(self.message, text, error=True)
        ).run()
        self._set_range(*preset_range(self._preset(), shop_today(self._zone)))

    def _choices(self, found: tuple[str, list[tuple[int, str, str]], list[str]]) -> None:
        zone, warehouses, paths = found
        self._zone = zone
        for combo in (self.warehouse, self.category):
            combo.blockSignals(True)
        for _id, code, name in warehouses:
            self.warehouse.addItem(f"{code} — {name}", code)
        for path in paths:  # reports take the category's own name, the last part of its path
            self.category.addItem(path, path.rsplit(">", 1)[-1].strip())
        for combo in (self.warehouse, self.category):
            combo.blockSignals(False)
        if self._preset() != CUSTOM:  # today in the shop, not on this desk
            self._preset_chosen(self._preset())

    # --- choosing -----------------------------------------------------------------------
    def _preset(self) -> str:
        """The chosen preset's key (its English name, as ranges.preset_range takes it)."""
        return str(self.preset.currentData() or CUSTOM)

    def current(self) -> ReportDef | None:
        row = self.list.currentRow()
        return self.reports[row] if 0 <= row < len(self.reports) else None

    def choose(self, name: str) -> None:
        """Bring the report `name` to the front (and run it)."""
        for row, report in enumerate(self.reports):
            if report.name == name:
                self.list.setCurrentRow(row)

    def _chosen(self, _row: int) -> None:
        report = self.current()
        if report is None:
            return
        definition = base.described(report, _)
        self.help.setText(
            _("<b>{title}</b>: {definition}").format(title=_(report.title), definition=definition)
        )
        self.help.setToolTip(definition)
        uses = report.uses
        self.warehouse.setVisible("warehouse" in uses)
        self.channel.setVisible("channel" in uses)
        self.category.setVisible("category" in uses)
        self.group.setVisible("group" in uses)
        self.run()

    def _set_range(self, start: date, end: date) -> None:
        for edit, value in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(value))
            edit.blockSignals(False)

    def _preset_chosen(self, name: str) -> None:
        if name == CUSTOM:
            return
        self._set_range(*preset_range(name, shop_today(self._zone)))
        self._debounce.start()

    def _dates_edited(self, _value: QDate) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self.preset.blockSignals(False)
        self._debounce.start()

    def set_range(self, start: date, end: date) -> None:
        """A custom range (as typed into the two date fields)."""
        self._set_range(start, end)
        self._dates_edited(self.start.date())

    def filters(self) -> Filters:
        """What the filters say, for the chosen report's `uses` only (ValidationError for a
        range that ends before it starts)."""
        report = self.current()
        uses = report.uses if report else frozenset()

        def pick(name: str, combo: QComboBox) -> str | None:
            return combo.currentData() if name in uses else None

        return Filters(
            start=_pydate(self.start.date()),
            end=_pydate(self.end.date()),
            warehouse=pick("warehouse", self.warehouse),
            channel=pick("channel", self.channel),
            category=pick("category", self.category),
            group=self.group.currentData() if "group" in uses else "day",
        )

    # --- running ------------------------------------------------------------------------
    def run(self) -> None:
        self._debounce.stop()
        report = self.current()
        if report is None:
            return
        try:
            filters = self.filters()
        except ValidationError as exc:
            say(self.message, exc.message, error=True)
            return
        if self._cancel is not None:
            self._cancel.set()  # the run before this one: nobody waits for it now
        self._generation += 1
        generation, cancel = self._generation, threading.Event()
        self._cancel = cancel
        actor, name = self.ctx.actor, report.name

        def work(session: Session) -> ReportResult:
            return base.run_report(session, actor, name, filters, cancel.is_set)

        self._busy(True, _("Running {report}…").format(report=_(report.title)))
        (
            query(self, self.ctx, work)
            .on_success(lambda result: self._show(generation, result))
            .on_failure(lambda exc: self._failed(generation, exc))
            .run()
        )

    def running(self) -> bool:
        return self._cancel is not None

    def cancel(self) -> None:
        if self._cancel is None:
            return
        self._cancel.set()
        self._cancel = None
        self._generation += 1  # whatever the cancelled run still answers is dropped
        self._busy(False, _("Cancelled: the table shows the last report that finished."))

    def _busy(self, running: bool, text: str) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setEnabled(running)
        say(self.message, text)

    def _failed(self, generation: int, exc: KestrelError) -> None:
        if generation != self._generation:
            return
        self._cancel = None
        self._busy(False, "")
        say(self.message, exc.message, error=True)

    def _show(self, generation: int, result: ReportResult) -> None:
        if generation != self._generation:
            return  # an older run, or one cancelled
        self._cancel = None
        self.result = result
        self.model.set_result(result)
        self.table.resizeColumnsToContents()
        chart, note = build_chart(result)
        old, self._chart = self._chart, chart
        if chart is not None:
            self.chart_view.setChart(chart)
        if old is not None:
            old.deleteLater()
        empty = not result.rows
        notes = " ".join(result.notes)  # in words already, in this language
        why = notes or _("Nothing in this range.")
        self.empty.setText(_("No data. {why}").format(why=why) if empty else "")
        self.empty.setVisible(empty or chart is None)
        if not empty and chart is None:
            self.empty.setText(notes or _("This report has no chart."))
        self.chart_view.setVisible(chart is not None and not empty)
        rows = len(result.rows)
        text = ngettext("{count} row.", "{count} rows.", rows).format(count=f"{rows:,}")
        if not empty and notes:
            text = f"{text} {notes}"
        self._busy(False, f"{text} {note}".strip())

    # --- export and print ---------------------------------------------------------------
    def choose_export(self) -> None:
        if self.result is None:
            say(self.message, _("Run a report first."), error=True)
            return
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export the report"), f"{self.result.name}.csv", ";;".join(FORMATS)
        )
        if path:
            suffix = Path(path).suffix.lower().lstrip(".")
            fmt = suffix if suffix in FORMATS.values() else FORMATS.get(chosen, "csv")
            self.export_to(Path(path).with_suffix(f".{fmt}"), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the report shown to `path` in a worker; a folder that cannot be written
        is said in words."""
        result = self.result
        if result is None:
            say(self.message, _("Run a report first."), error=True)
            return
        from app.services.reports.exports import export

        def work(_report: object) -> Path:
            try:
                export(result, fmt, path)
            except OSError as exc:
                raise ValidationError(
                    _(
                        "Kestrel cannot write {file} in {folder}: {error}. Choose another folder."
                    ).format(file=path.name, folder=path.parent, error=exc.strerror or exc)
                ) from None
            return path

        self.export_button.setEnabled(False)
        say(self.message, _("Exporting to {file}…").format(file=path.name))
        run_in_background(work, self._exported, self._export_failed, owner=self)

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.last_export = path
        say(self.message, _("Exported to {path}.").format(path=path))

    def _export_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        if isinstance(exc, KestrelError):
            say(self.message, exc.message, error=True)
        else:
            errors.report_bug(self, exc)

    def print_report(self) -> None:
        """The report's PDF to this workstation's document printer, through the queue."""
        result = self.result
        if result is None:
            say(self.message, _("Run a report first."), error=True)
            return
        from app.services.reports.print_report import print_report

        actor, workstation = self.ctx.actor, self.ctx.workstation.workstation_name
        (
            op(self, self.ctx, lambda s: print_report(s, actor, workstation, result))
            .on_success(self._printed)
            .message(lambda text: say(self.message, text, error=True))
            .busy(self.print_button)
            .run()
        )

    def _printed(self, _job: int) -> None:
        self.ctx.jobs_queued()
        say(self.message, _("Sent to the document printer (see the print queue)."))
