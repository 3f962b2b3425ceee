"""Scan-to-pick: the screen tells the picker where to go and what to take; the scanner does
the rest. Scan the bin label, then each item. A wrong item or bin is refused loudly (red
words and the error sound); the next line comes up by itself, and a line in the same bin
needs no second bin scan. F8 says the bin is short."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _, ngettext
from app.db import ServiceSession as Session
from app.services.fulfilment import pick_bench
from app.services.fulfilment.pick_bench import PickScan, PickView
from app.services.fulfilment.picking import PickLineRow
from app.views.context import AppContext
from app.views.fulfilment.bench_queue import BenchQueue
from app.views.fulfilment.states import state_label
from app.views.ops import Op, op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

PROMPT = "font-size: 20pt; font-weight: 700"


class PickingPage(QWidget):
    back = Signal()
    opened = Signal()  # a pick list is loaded: the screen puts this page in front

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, bench: BenchQueue | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bench = bench or BenchQueue()
        self.wave_id: int | None = None
        self.wave_number = ""
        self.current: PickLineRow | None = None
        self.bin_ok = ""  # the bin the picker stands at (scanned)
        self.title = QLabel(objectName="pick_title", styleSheet="font-weight: 700")
        self.prompt = QLabel(objectName="pick_prompt", styleSheet=PROMPT, wordWrap=True)
        self.message = QLabel(objectName="pick_message", wordWrap=True)
        self.model = RowsTableModel(
            [
                Column("#", lambda r: str(r.sequence), align=RIGHT),
                Column(_("Bin"), lambda r: r.bin_code),
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Product"), lambda r: r.name),
                Column(_("Order"), lambda r: r.order_number),
                Column(_("Qty"), lambda r: str(r.quantity), align=RIGHT),
                Column(_("Picked"), lambda r: str(r.picked), align=RIGHT),
                Column(_("State"), lambda r: state_label(r.status)),
            ],
            self,
        )
        self.table = make_table(self.model, "pick_lines", stretch=3)
        self.short_button = short = QPushButton(_("F8  Bin is short"), objectName="pick_short")
        short.clicked.connect(self.short_pick)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.short_pick)
        self.print_button = print_list = QPushButton(_("Print pick list"), objectName="pick_print")
        print_list.clicked.connect(self.print_list)
        back = QPushButton(_("Back to queues (Esc)"), objectName="pick_back")
        back.clicked.connect(self.back.emit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back.emit)
        buttons = QHBoxLayout()
        for button in (short, print_list, back):
            button.setMinimumHeight(44)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.prompt)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._allow()

    def _allow(self) -> None:
        done = _("{number} is picked: nothing is left to be short of.").format(
            number=self.wave_number
        )
        allow(self.short_button, "" if self.current is not None else done)
        allow(self.print_button, "" if self.wave_id is not None else _("Scan a pick list first."))

    def load(self, wave_id: int, note: str = "") -> None:
        """Open a pick list by id (the queues' Open, a new wave), `note` on its message line."""
        self.bench.submit(lambda: self._open(lambda s: pick_bench.view(s, wave_id), note))

    def open_list(self, code: str, failed: Callable[[str], None]) -> Op[PickView]:
        """Opens the pick list a scanned number stands for (a BenchQueue step, not yet
        run); `failed` says why it cannot."""
        return self._open(lambda s: pick_bench.open_list(s, code), "", failed)

    def _open(
        self,
        work: Callable[[Session], PickView],
        note: str,
        failed: Callable[[str], None] | None = None,
    ) -> Op[PickView]:
        def opened(view: PickView) -> None:
            self.bin_ok = ""
            self.display(view)
            self.say(note)
            self.opened.emit()

        return query(self, self.ctx, work).on_success(opened).message(failed or self._error)

    def display(self, view: PickView) -> None:
        self.bin_ok = pick_bench.still_at(self.bin_ok, self.current, view.current)
        self.wave_id, self.wave_number = view.wave_id, view.number
        rows = list(view.lines)
        self.model.set_rows(rows)
        self.title.setText(
            ngettext(
                "{number}: {done} of {count} line done",
                "{number}: {done} of {count} lines done",
                len(rows),
            ).format(number=view.number, done=view.done, count=len(rows))
        )
        self.current = current = view.current
        self._allow()
        if current is None:
            self.prompt.setText(
                _("{number} is picked. Take the tote to packing.").format(number=view.number)
            )
            return
        self.table.selectRow(rows.index(current))
        if not self.bin_ok:
            self.prompt.setText(
                _("Go to {bin_code} and scan the bin label").format(bin_code=current.bin_code)
            )
        else:
            take = (
                _("Take {quantity} × {sku} {name} from lot {lot}  (for {order})")
                if view.lot_hint
                else _("Take {quantity} × {sku} {name}  (for {order})")
            )
            self.prompt.setText(
                take.format(
                    quantity=current.quantity - current.picked,
                    sku=current.sku,
                    name=current.name,
                    lot=view.lot_hint,
                    order=current.order_number,
                )
            )

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def _error(self, text: str) -> None:
        self.say(text, error=True)

    def handle_scan(self, code: str) -> bool:
        """A bin label or an item, in its turn (see BenchQueue): one write per scan."""
        self.bench.submit(lambda: self.scan_step(code))
        return True

    def scan_step(self, code: str) -> Op[PickScan] | None:
        if self.current is None or self.wave_id is None:
            self.say(_("Nothing left to pick on this list."), error=True)
            return None
        actor, wave_id, line_id, at_bin = self.ctx.actor, self.wave_id, self.current.id, self.bin_ok
        return (
            op(self, self.ctx, lambda s: pick_bench.scan(s, actor, wave_id, line_id, code, at_bin))
            .on_success(self._scanned)
            .message(self._error)
        )

    def _scanned(self, scan: PickScan) -> None:
        self.bin_ok = scan.at_bin
        result = scan.result
        if result is None:
            self.say(
                _("At {bin}.").format(bin=self.current.bin_code if self.current else scan.at_bin)
            )
        else:
            line = result.line
            if result.finished_list:
                self.say(
                    _("{sku}: {picked} of {quantity}. {number} is done.").format(
                        sku=line.sku,
                        picked=line.picked,
                        quantity=line.quantity,
                        number=scan.view.number,
                    )
                )
            elif result.finished_line:
                self.say(
                    _("{sku}: all {quantity} picked.").format(sku=line.sku, quantity=line.quantity)
                )
            else:
                self.say(
                    _("{sku}: {picked} of {quantity}").format(
                        sku=line.sku, picked=line.picked, quantity=line.quantity
                    )
                )
            if result.lot:
                self.say(
                    _("{message} (lot {lot})").format(message=self.message.text(), lot=result.lot)
                )
        self.display(scan.view)

    def short_pick(self) -> None:
        if self.current is None:  # F8 on a finished list says why, as the button does
            self.say(self.short_button.toolTip(), error=True)
            return
        line = self.current
        box = QMessageBox(self)
        box.setWindowTitle(_("Bin is short"))
        box.setText(
            _(
                "{bin} should hold {more} more × {sku}. {picked} picked. What happens to the rest?"
            ).format(
                bin=line.bin_code,
                more=line.quantity - line.picked,
                sku=line.sku,
                picked=line.picked,
            )
        )
        split = box.addButton(_("Look in other bins"), QMessageBox.ButtonRole.AcceptRole)
        backorder = box.addButton(_("Backorder"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        resolution = "split" if clicked is split else "backorder" if clicked is backorder else ""
        if resolution:
            self.bench.submit(lambda: self._short(line, resolution))

    def _short(self, line: PickLineRow, resolution: str) -> Op[PickView] | None:
        actor, wave_id = self.ctx.actor, self.wave_id
        if wave_id is None:
            return None

        def shorted(view: PickView) -> None:
            done = (
                _("Short pick of {sku} recorded; the rest is added to this list.")
                if resolution == "split"
                else _("Short pick of {sku} recorded; backordered.")
            )
            self.say(done.format(sku=line.sku))
            self.display(view)

        return (
            op(
                self,
                self.ctx,
                lambda s: pick_bench.short(s, actor, wave_id, line.id, resolution),
            )
            .busy(self.short_button)
            .on_success(shorted)
            .message(self._error)
        )

    def print_list(self) -> None:
        from app.services.printing.documents import print_pick_list  # only when printing

        wave_id, number = self.wave_id, self.wave_number
        if wave_id is None:
            return
        actor, workstation = self.ctx.actor, self.ctx.workstation.workstation_name

        def sent(_job: int) -> None:
            self.ctx.jobs_queued()
            self.say(_("{number} sent to the document printer.").format(number=number))

        op(
            self,
            self.ctx,
            lambda s: print_pick_list(s, actor, workstation, wave_id),
        ).busy(self.print_button).on_success(sent).message(self._error).run()
