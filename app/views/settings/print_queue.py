"""The print queue: every job of this workstation, newest first, with retry, cancel and
reprint; and the preview window that shows what the preview printer 'printed'."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import i18n
from app.core.auth import Actor
from app.core.changes import ChangeSet
from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.printing import queue as printing
from app.services.printing.queue import JobRow
from app.views.context import AppContext, local_time
from app.views.ops import op
from app.views.paged_query import QueryPageModel
from app.views.table_models import RIGHT, Column
from app.views.theme import mark
from app.views.widgets import allow, make_table

STATE_LABELS = {
    "queued": N_("Waiting"),
    "sending": N_("Sending"),
    "held": N_("Held (see error)"),
    "done": N_("Printed"),
    "cancelled": N_("Cancelled"),
}
# "This job is ... already.": one whole sentence per state, for the translators
ALREADY = {
    "sending": N_("This job is being sent already."),
    "done": N_("This job is printed already."),
    "cancelled": N_("This job is cancelled already."),
}


def state_label(job: JobRow) -> str:
    """A waiting job with a reason waits for its printer (off, paper out): say so."""
    if job.state == "queued" and job.last_error:
        return _("Waiting for the printer")
    return i18n.label(STATE_LABELS, job.state)


class PrintQueueScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = QLabel(objectName="queue_message")
        self.message.setWordWrap(True)
        workstation = ctx.workstation.workstation_name
        self.model = QueryPageModel(
            [
                Column(_("Job"), lambda j: str(j.id), align=RIGHT),
                Column(_("When"), lambda j: local_time(j.created_at)),
                Column(_("Document"), lambda j: j.document),
                Column(_("Printer"), lambda j: j.printer_name),
                Column(_("State"), state_label),
                Column(_("Tries"), lambda j: str(j.attempts), align=RIGHT),
                Column(_("Last error"), lambda j: j.last_error),
            ],
            self,
            ctx,
            lambda s, offset, limit: printing.list_jobs(s, workstation, (), offset, limit),
            message=self.message.setText,
            page_size=100,
        )
        self._reselect: int | None = None  # the job selected before a change re-read the list
        self.model.loaded.connect(self._select_again)
        self.table = make_table(self.model, "print_jobs", stretch=6)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.retry_button = QPushButton(_("&Retry now"), objectName="retry")
        self.cancel_button = QPushButton(_("&Cancel job"), objectName="cancel")
        self.reprint_button = QPushButton(_("Re&print"), objectName="reprint")
        self.retry_button.clicked.connect(lambda: self._act(printing.retry_now))
        self.cancel_button.clicked.connect(lambda: self._act(printing.cancel))
        self.reprint_button.clicked.connect(lambda: self._act(printing.reprint))
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.cancel_button, self.reprint_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        title = QLabel(_("Print queue"))
        title.setStyleSheet("font-size: 16pt; font-weight: 600")
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        ctx.bridge.changed.connect(self._on_changes)
        self.model.refresh()
        self._selected(QItemSelection(), QItemSelection())

    def selected_job(self) -> JobRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        job = self.selected_job()
        if job is None:
            why_not = _("Select a job in the list first.")
            allow(self.reprint_button, why_not)
        else:
            done = ALREADY.get(job.state, N_("This job cannot be changed now."))
            why_not = "" if job.state in ("queued", "held") else _(done)
            allow(self.reprint_button)
        allow(self.retry_button, why_not)
        allow(self.cancel_button, why_not)

    def _act(self, action: Callable[[Session, Actor, int], object]) -> None:
        job = self.selected_job()
        if job is None:
            return
        actor, job_id = self.ctx.actor, job.id
        op(self, self.ctx, lambda s: action(s, actor, job_id)).busy(
            self.retry_button, self.cancel_button, self.reprint_button
        ).on_success(self._acted).message(self.message.setText).finally_(
            lambda: self._selected(QItemSelection(), QItemSelection())  # busy() enabled all
        ).run()

    def _acted(self, _result: object) -> None:
        self.message.clear()
        self.ctx.jobs_queued()

    def _on_changes(self, change: ChangeSet) -> None:
        if "print_jobs" in change.kinds:
            selected = self.selected_job()
            self._reselect = selected.id if selected is not None else None
            self.model.refresh()

    def _select_again(self) -> None:
        if self._reselect is None:
            return
        for row in range(self.model.rowCount()):
            if self.model.row(row).id == self._reselect:
                self.table.selectRow(row)
                break
        self._reselect = None


class PreviewWindow(QDialog):
    """What the preview printer received, drawn at real size: a receipt as its paper, a
    PDF as its pages; a ZPL label as its fields (no ZPL renderer here)."""

    PRINTER_DPI = 203

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Preview printer"))
        self.setModal(False)
        # A print must not take the keyboard: the next F-key goes to the screen in front.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.resize(520, 760)
        self.where = QLabel(objectName="preview_where", wordWrap=True)
        self.text = QPlainTextEdit(objectName="preview_text", readOnly=True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.text.setFont(mono)
        self.pages = QVBoxLayout()
        holder = QWidget()
        holder.setLayout(self.pages)
        self.scroll = QScrollArea(objectName="preview_paper", widgetResizable=True)
        self.scroll.setWidget(holder)
        self.scroll.viewport().installEventFilter(self)
        tabs = QTabWidget()
        tabs.addTab(self.scroll, _("Paper"))
        tabs.addTab(self.text, _("Text"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(tabs)

    def _show_images(self, images: list, dpi: float) -> None:  # type: ignore[type-arg]
        while self.pages.count():
            item = self.pages.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self._paper: list[tuple[QLabel, QImage]] = []
        self._dpi = dpi
        for image in images:
            rgb = image.convert("RGB")
            qimage = QImage(
                rgb.tobytes(), rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888
            ).copy()
            label = QLabel(objectName="preview_page")
            mark(label, "paper")
            self._paper.append((label, qimage))
            self.pages.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pages.addStretch(1)
        self.images = images
        self._fit_pages()

    def _fit_pages(self) -> None:
        """Real size on this screen, unless the page is wider than the window: an A4 page
        is shrunk to the window's width, so it reads without sideways scrolling."""
        room = self.scroll.viewport().width() - 2 * self.pages.spacing() - 24
        for label, image in getattr(self, "_paper", []):
            width = max(1, min(round(image.width() * self.logicalDpiX() / self._dpi), room))
            if label.pixmap().width() != width:
                label.setPixmap(
                    QPixmap.fromImage(image).scaledToWidth(
                        width, Qt.TransformationMode.SmoothTransformation
                    )
                )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_pages()  # the window was resized, or laid out for the first time
        return super().eventFilter(watched, event)

    def _beside_the_window(self) -> None:
        """At the right edge of the screen, not over the middle of the counter (where the
        change due and the total are): the cashier reads both at once."""
        parent = self.parentWidget()
        screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        width = min(self.width(), max(320, area.width() // 3))
        self.resize(width, min(self.height(), area.height()))
        frame = self.frameGeometry()
        self.move(area.right() - frame.width() + 1, area.top())

    def show_job(self, path: str) -> None:
        from app.printing import preview

        file = Path(path)
        self.where.setText(_("Saved as {path}").format(path=file))
        self.images: list = []  # type: ignore[type-arg]
        try:
            payload = file.read_bytes()
        except OSError as exc:
            self.text.setPlainText(
                _("Cannot read {path}: {error}").format(path=file, error=exc.strerror or exc)
            )
        else:
            from app.admin.emulator import read_escpos, read_zpl  # when a job is looked at

            if file.suffix == ".pdf":
                self.text.setPlainText(_("A PDF document; its pages are on the Paper tab."))
                self._show_images(preview.pdf_pages(payload), 96)
            elif file.suffix == ".zpl":
                self.text.setPlainText(read_zpl(payload))
                self._show_images([], self.PRINTER_DPI)
            else:
                # ESC t pages are read as the printer makers number them
                self.text.setPlainText(read_escpos(payload))
                self._show_images([preview.receipt_image(payload)], self.PRINTER_DPI)
        previous = QApplication.activeWindow()
        first = not self.isVisible()
        self.show()
        if first:
            self._beside_the_window()
        if previous is not None and previous is not self:  # where a platform activates
            previous.activateWindow()  # a new window anyway, the keyboard goes back


__all__ = ["PreviewWindow", "PrintQueueScreen"]
