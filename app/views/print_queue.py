"""The print queue: every job of this workstation, newest first, with retry, cancel and
reprint; and the preview window that shows what the preview printer 'printed'."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.printing.emulator import read_escpos, read_zpl
from app.services import printing
from app.services.changes import ChangeSet
from app.services.errors import KestrelError
from app.services.printing import JobRow
from app.views.context import AppContext, local_time
from app.views.table_models import RIGHT, Column, PagedTableModel
from app.views.widgets import make_table

STATE_LABELS = {
    "queued": "Waiting",
    "sending": "Sending",
    "done": "Printed",
    "cancelled": "Cancelled",
}


class PrintQueueScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = PagedTableModel(
            [
                Column("Job", lambda j: str(j.id), align=RIGHT),
                Column("When", lambda j: local_time(j.created_at)),
                Column("Document", lambda j: j.document),
                Column("Printer", lambda j: j.printer_name),
                Column("State", lambda j: STATE_LABELS.get(j.state, j.state)),
                Column("Tries", lambda j: str(j.attempts), align=RIGHT),
                Column("Last error", lambda j: j.last_error),
            ],
            fetch=self._fetch,
            page_size=100,
            parent=self,
        )
        self.table = make_table(self.model, "print_jobs")
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.message = QLabel(objectName="queue_message")
        self.message.setWordWrap(True)
        self.retry_button = QPushButton("&Retry now", objectName="retry")
        self.cancel_button = QPushButton("&Cancel job", objectName="cancel")
        self.reprint_button = QPushButton("Re&print", objectName="reprint")
        self.retry_button.clicked.connect(lambda: self._act(printing.retry_now))
        self.cancel_button.clicked.connect(lambda: self._act(printing.cancel))
        self.reprint_button.clicked.connect(lambda: self._act(printing.reprint))
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.cancel_button, self.reprint_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        title = QLabel("Print queue")
        title.setStyleSheet("font-size: 16pt; font-weight: 600")
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        ctx.bridge.changed.connect(self._on_changes)
        self.model.refresh()
        self._selected(QItemSelection(), QItemSelection())

    def _fetch(self, offset: int, limit: int) -> list[JobRow]:
        with self.ctx.database.read() as session:
            return printing.list_jobs(
                session, self.ctx.workstation.workstation_name, (), offset, limit
            )

    def selected_job(self) -> JobRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        job = self.selected_job()
        waiting = job is not None and job.state == "queued"
        self.retry_button.setEnabled(waiting)
        self.cancel_button.setEnabled(waiting)
        self.reprint_button.setEnabled(job is not None)

    def _act(self, action) -> None:  # type: ignore[no-untyped-def]
        job = self.selected_job()
        if job is None:
            return
        try:
            with self.ctx.database.write() as session:
                action(session, self.ctx.actor, job.id)
        except KestrelError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        if self.ctx.wake_printer is not None:
            self.ctx.wake_printer()

    def _on_changes(self, change: ChangeSet) -> None:
        if "print_jobs" in change.kinds:
            selected = self.selected_job()
            self.model.refresh()
            if selected is not None:
                for row in range(self.model.rowCount()):
                    if self.model.row(row).id == selected.id:
                        self.table.selectRow(row)
                        break


class PreviewWindow(QDialog):
    """What the preview printer received, readable: receipt text with its codes, label
    fields, or where a PDF was saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preview printer")
        self.setModal(False)
        self.resize(460, 640)
        self.where = QLabel(objectName="preview_where")
        self.where.setWordWrap(True)
        self.text = QPlainTextEdit(objectName="preview_text")
        self.text.setReadOnly(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        self.text.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.text)

    def show_job(self, path: str) -> None:
        file = Path(path)
        self.where.setText(f"Saved as {file}")
        try:
            payload = file.read_bytes()
        except OSError as exc:
            self.text.setPlainText(f"Cannot read {file}: {exc}")
        else:
            if file.suffix == ".pdf":
                self.text.setPlainText("A PDF document: open the file above to see it.")
            elif file.suffix == ".zpl":
                self.text.setPlainText(read_zpl(payload))
            else:
                from escpos.printer import Dummy

                pages = Dummy(profile="default").profile.get_code_pages()
                self.text.setPlainText(read_escpos(payload, {int(v): k for k, v in pages.items()}))
        self.show()
        self.raise_()


__all__ = ["PreviewWindow", "PrintQueueScreen", "Qt"]
