"""The import wizard: choose a file, see how its columns map and what it would do (every
bad row with its column and reason), choose how to import, import, see what was written.

The preview and the import run on a worker (views/ops.py) with progress and Cancel; the
GUI thread only shows. A cancelled, refused or failed import writes nothing: the service
runs it in one transaction that rolls back, and the summary says so.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import KestrelError
from app.core.i18n import N_, _, ngettext
from app.db import ServiceSession as Session
from app.services.transfer import headers, imports
from app.services.transfer.imports import ImportResult, Preview
from app.services.transfer.readers import open_table
from app.views.context import AppContext
from app.views.ops import op, op_reporting, query, query_reporting
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.tasks import Report
from app.views.transfer.mapping import MappingTable
from app.views.transfer.number_choice import NumberChoice
from app.views.widgets import make_table, say

TITLES = {  # what a kind is called in the middle of a sentence ("Import {what}")
    "products": N_("products"),
    "customers": N_("customers"),
    "suppliers": N_("suppliers"),
    "stock": N_("stock levels"),
}


def title_of(kind: str) -> str:
    """The kind's name in the user's language, as it stands in a sentence."""
    return _(TITLES[kind])


def read_layout(
    session: Session, kind: str, path: str, name: str
) -> tuple[tuple[str, ...], dict[str, int], str]:
    """The file's header, the mapping the service would use (or, when that is incomplete,
    the columns it recognises by name), and the file's description."""
    with open_table(path) as table:
        header, described = table.header, table.described
    try:
        mapping = headers.mapping_for(session, kind, header, None, name)
    except KestrelError:
        if name:
            raise
        mapping = headers.auto_mapping(kind, header)
    return header, mapping, described


class ImportDialog(QDialog):
    imported = Signal(object)  # the ImportResult, after the commit

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle(_("Import {what}").format(what=title_of(kind)))
        self.ctx = ctx
        self.kind = kind
        self.preview: Preview | None = None
        self.result: ImportResult | None = None
        self._stop = threading.Event()
        self._generation = 0  # a preview's answer counts only if no later one was asked
        self._running = False
        self._build()
        self._rerun = QTimer(self, singleShot=True, interval=300)
        self._rerun.timeout.connect(self.run_preview)
        self.mapping.changed.connect(self._mapping_changed)
        self.numbers.changed.connect(self._mapping_changed)
        self._show_state()

    def _build(self) -> None:
        self.path = QLineEdit(objectName="import_path")
        self.path.setPlaceholderText(_(".csv (any delimiter and encoding) or .xlsx"))
        self.path.returnPressed.connect(self.load_file)
        browse = QPushButton(_("Choose file…"), objectName="import_browse")
        browse.clicked.connect(self.browse)
        self.mapping_name = QLineEdit(objectName="import_mapping_name")
        self.mapping_name.setPlaceholderText(_("a mapping saved by name (optional)"))
        self.mapping_name.returnPressed.connect(self.load_file)
        self.save_name = QLineEdit(objectName="import_save_name")
        self.save_name.setPlaceholderText(_("save this mapping as… (optional)"))
        self.preview_button = QPushButton(_("Preview"), objectName="import_preview")
        self.preview_button.clicked.connect(self.load_file)
        self.cancel_button = QPushButton(_("Cancel"), objectName="import_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(objectName="import_progress")
        self.stage = QLabel(objectName="import_stage")
        self.described = QLabel(objectName="import_format")
        self.mapping = MappingTable(self.kind, self)
        self.numbers = NumberChoice(self)
        self.counts = QLabel(objectName="import_counts")
        self.bad = RowsTableModel(
            [
                Column(_("Row"), lambda r: str(r.row), align=RIGHT),
                Column(_("Column"), lambda r: r.column),
                Column(_("Reason"), lambda r: r.reason),
            ],
            self,
        )
        self.bad_table = make_table(self.bad, "import_bad_rows", stretch=2)
        self.all_or_nothing = QRadioButton(
            _("All or nothing: one bad row imports nothing"),
            objectName="import_all_or_nothing",
            checked=True,
        )
        self.skip_bad = QRadioButton(
            _("Skip the bad rows, import the good ones"), objectName="import_skip_bad"
        )
        self._choice = QButtonGroup(self)
        self._choice.addButton(self.all_or_nothing)
        self._choice.addButton(self.skip_bad)
        self.update_existing = QCheckBox(
            _("Update existing rows (by SKU / e-mail); otherwise only add"),
            objectName="import_update",
            checked=True,
        )
        self.import_button = QPushButton(_("Import"), objectName="import_run")
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton(_("Close"), objectName="import_close")
        self.close_button.clicked.connect(self.reject)
        self.summary = QLabel(objectName="import_summary", wordWrap=True)
        buttons = (browse, self.preview_button, self.cancel_button, self.import_button)
        for button in (*buttons, self.close_button):
            button.setAutoDefault(False)  # Enter in the path field previews, opens nothing
        self._lay_out(browse)

    def _lay_out(self, browse: QPushButton) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("File"), file_row)
        form.addRow(_("Saved mapping"), self.mapping_name)
        form.addRow(_("Remember as"), self.save_name)
        form.addRow(_("Numbers"), self.numbers)
        run_row = QHBoxLayout()
        for widget in (self.preview_button, self.progress, self.cancel_button):
            run_row.addWidget(widget)
        end_row = QHBoxLayout()
        end_row.addWidget(self.update_existing)
        end_row.addStretch(1)
        end_row.addWidget(self.import_button)
        end_row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(run_row)
        for widget in (
            self.stage,
            self.described,
            self.mapping,
            self.counts,
            self.bad_table,
            self.all_or_nothing,
            self.skip_bad,
        ):
            layout.addWidget(widget)
        layout.addLayout(end_row)
        layout.addWidget(self.summary)
        self.resize(760, 720)

    # -- choosing the file --------------------------------------------------------------

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.windowTitle(), "", _("Tables (*.csv *.txt *.xlsx);;All files (*)")
        )
        if chosen:
            self.set_path(chosen)

    def set_path(self, path: str | Path) -> None:
        """Choose the file (what the file dialog does; tests call it) and read its columns."""
        self.path.setText(str(path))
        self.load_file()

    def load_file(self) -> None:
        """Read the header and the mapping the service proposes, then preview."""
        path, name = self.path.text().strip(), self.mapping_name.text().strip()
        if not path:
            say(self.summary, _("Choose a file first."), error=True)
            return
        self.preview = None
        self._show_state()
        kind = self.kind
        query(self, self.ctx, lambda s: read_layout(s, kind, path, name)).on_success(
            self._layout_read
        ).message(self._failed_to_read).run()

    def _layout_read(self, answer: tuple[tuple[str, ...], dict[str, int], str]) -> None:
        header, mapping, described = answer
        self.described.setText(f"{Path(self.path.text()).name}: {described}")
        self.mapping.blockSignals(True)
        self.mapping.set_header(header, mapping)
        self.mapping.blockSignals(False)
        self.run_preview()

    def _failed_to_read(self, text: str) -> None:
        say(self.summary, text, error=True)
        self._show_state()

    def _mapping_changed(self) -> None:
        """Another field for a column: what was previewed no longer holds; preview again."""
        self.preview = None
        self._show_state()
        self._rerun.start()

    # -- the preview ----------------------------------------------------------------------

    def run_preview(self) -> None:
        self._rerun.stop()
        self._stop.set()  # an earlier preview still running is not wanted any more
        stop = self._stop = threading.Event()
        self._generation += 1
        generation = self._generation
        actor, kind, path = self.ctx.actor, self.kind, self.path.text().strip()
        columns, number = self.mapping.columns(), self.numbers.number()
        name = self.mapping_name.text().strip()  # its number format, where it has one

        def work(session: Session, report: Report) -> Preview:
            return imports.preview(
                session, actor, kind, path, columns, name, report, stop.is_set, number
            )

        self.summary.setText("")
        self._begin(_("Reading and checking the file…"))
        query_reporting(self, self.ctx, work, self._progress).on_success(
            lambda p: self._previewed(generation, p)
        ).on_failure(lambda exc: self._preview_failed(generation, exc)).finally_(
            lambda: self._preview_done(generation)
        ).run()

    def _preview_done(self, generation: int) -> None:
        if generation == self._generation:
            self._end()
            self._show_state()

    def _previewed(self, generation: int, preview: Preview) -> None:
        if generation != self._generation:
            return
        self.preview = preview
        self.numbers.show_found(preview.number, preview.number_detected)
        counts = preview.counts
        self.counts.setText(
            ngettext(
                "{rows} row: {added} new, {updated} updated, {unchanged} unchanged, {bad} bad",
                "{rows} rows: {added} new, {updated} updated, {unchanged} unchanged, {bad} bad",
                counts.rows,
            ).format(
                rows=f"{counts.rows:,}",
                added=f"{counts.added:,}",
                updated=f"{counts.updated:,}",
                unchanged=f"{counts.unchanged:,}",
                bad=f"{counts.refused_total:,}",
            )
        )
        self.bad.set_rows(counts.refused)
        if counts.refused_total > len(counts.refused):
            self.counts.setText(
                _("{counts} (the first {listed} listed)").format(
                    counts=self.counts.text(), listed=f"{len(counts.refused):,}"
                )
            )
        self.stage.setText(_("Preview ready: nothing has been written yet."))

    def _preview_failed(self, generation: int, exc: KestrelError) -> None:
        if generation != self._generation:
            return
        self.bad.set_rows([])
        self.counts.setText("")
        if isinstance(exc, imports.ImportCancelled):
            self.stage.setText(_("Preview stopped."))
        else:
            self.stage.setText("")  # not "Reading and checking…" beside the refusal
            say(self.summary, exc.message, error=True)

    # -- the import -------------------------------------------------------------------------

    def run_import(self) -> None:
        """Remember the mapping (its own small write: a refused or stopped import still
        leaves it saved for this layout), then import in one transaction."""
        preview = self.preview
        if preview is None or self._running:
            return
        actor, columns = self.ctx.actor, self.mapping.columns()
        number = None if preview.number_detected else preview.number
        name = self.save_name.text().strip()
        stop = self._stop = threading.Event()  # Cancel counts from now, saving included
        self.summary.setText("")
        self._begin(_("Importing…"))
        op(
            self,
            self.ctx,
            lambda s: headers.save_mapping(
                s, actor, preview.kind, preview.header, columns, name, number
            ),
        ).on_success(lambda _none: self._apply(preview, stop)).on_failure(self._import_failed).run()

    def _apply(self, preview: Preview, stop: threading.Event) -> None:
        actor, skip, update = (
            self.ctx.actor,
            self.skip_bad.isChecked(),
            self.update_existing.isChecked(),
        )

        def work(session: Session, report: Report) -> ImportResult:
            return imports.apply(
                session,
                actor,
                preview,
                skip_bad=skip,
                update_existing=update,
                report=report,
                cancelled=stop.is_set,
            )

        op_reporting(self, self.ctx, work, self._progress).on_success(self._imported).on_failure(
            self._import_failed
        ).finally_(self._end_import).run()

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        said = _("Imported: {added} added, {updated} updated, {unchanged} unchanged.")
        bad = result.refused_total
        if result.kept and bad:
            said = ngettext(
                "Imported: {added} added, {updated} updated, {unchanged} unchanged, "
                "{kept} existing left as they were, {skipped} bad row skipped.",
                "Imported: {added} added, {updated} updated, {unchanged} unchanged, "
                "{kept} existing left as they were, {skipped} bad rows skipped.",
                bad,
            )
        elif result.kept:
            said = _(
                "Imported: {added} added, {updated} updated, {unchanged} unchanged, "
                "{kept} existing left as they were."
            )
        elif bad:
            said = ngettext(
                "Imported: {added} added, {updated} updated, {unchanged} unchanged, "
                "{skipped} bad row skipped.",
                "Imported: {added} added, {updated} updated, {unchanged} unchanged, "
                "{skipped} bad rows skipped.",
                bad,
            )
        numbers = (result.added, result.updated, result.unchanged, result.kept)
        added, updated, unchanged, kept = (f"{n:,}" for n in numbers)
        say(
            self.summary,
            said.format(
                added=added,
                updated=updated,
                unchanged=unchanged,
                kept=kept,
                skipped=f"{bad:,}",
            ),
        )
        self.preview = None  # imported: importing it again needs a new preview
        self.stage.setText(_("Import finished."))  # not the last "Writing…" of the worker
        self.imported.emit(result)

    def _import_failed(self, exc: KestrelError) -> None:
        if isinstance(exc, imports.ImportCancelled):
            text = _("The import was stopped: nothing was written.")
        elif isinstance(exc, imports.ImportRefused):
            self.bad.set_rows(exc.result.refused)
            bad = exc.result.refused_total
            text = ngettext(
                "{count} bad row: nothing was written (choose 'Skip the bad rows' to import "
                "the good ones).",
                "{count} bad rows: nothing was written (choose 'Skip the bad rows' to import "
                "the good ones).",
                bad,
            ).format(count=f"{bad:,}")
        else:
            text = _("The import failed: nothing was written. {message}").format(
                message=exc.message
            )
        say(self.summary, text, error=True)
        self.stage.setText(_("Nothing was written."))
        if self._running:  # the mapping could not be saved: the import never started
            self._end_import()

    def _end_import(self) -> None:
        self._end()
        self._show_state()

    # -- progress, Cancel and which buttons work ---------------------------------------------

    def cancel(self) -> None:
        """Stop the preview or import running; nothing of an import is written."""
        self._stop.set()
        self.stage.setText(_("Stopping…"))

    def _begin(self, stage: str) -> None:
        self._running = True
        self.stage.setText(stage)
        self.progress.setRange(0, 0)
        self._show_state()

    def _end(self) -> None:
        self._running = False
        self.progress.setRange(0, 100)
        self.progress.setValue(0)

    def _progress(self, stage: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(min(done * 1000 // total, 1000))
        self.stage.setText(f"{stage.capitalize()}…")

    def _show_state(self) -> None:
        ready = self.preview is not None and not self._running
        self.import_button.setEnabled(ready)
        self.cancel_button.setEnabled(self._running)
        self.preview_button.setEnabled(not self._running)
        self.close_button.setEnabled(not self._running)

    def reject(self) -> None:
        if self._running:  # Escape while working stops the work first
            self.cancel()
            return
        super().reject()
