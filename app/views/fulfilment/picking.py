"""Scan-to-pick: the screen tells the picker where to go and what to take; the scanner does
the rest. Scan the bin label, then each item. A wrong item or bin is refused loudly (red
words and the error sound); the next line comes up by itself, and a line in the same bin
needs no second bin scan. F8 says the bin is short."""

from __future__ import annotations

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

from app.core.errors import KestrelError
from app.services.fulfilment import picking
from app.services.fulfilment.picking import PickLineRow
from app.views.context import AppContext
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

PROMPT = "font-size: 20pt; font-weight: 700"


class PickingPage(QWidget):
    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
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
                Column("Bin", lambda r: r.bin_code),
                Column("SKU", lambda r: r.sku),
                Column("Product", lambda r: r.name),
                Column("Order", lambda r: r.order_number),
                Column("Qty", lambda r: str(r.quantity), align=RIGHT),
                Column("Picked", lambda r: str(r.picked), align=RIGHT),
                Column("State", lambda r: r.status),
            ],
            self,
        )
        self.table = make_table(self.model, "pick_lines", stretch=3)
        self.short_button = short = QPushButton("F8  Bin is short", objectName="pick_short")
        short.clicked.connect(self.short_pick)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.short_pick)
        self.print_button = print_list = QPushButton("Print pick list", objectName="pick_print")
        print_list.clicked.connect(self.print_list)
        back = QPushButton("Back to queues (Esc)", objectName="pick_back")
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
        done = f"{self.wave_number} is picked: nothing is left to be short of."
        allow(self.short_button, "" if self.current is not None else done)
        allow(self.print_button, "" if self.wave_id is not None else "Scan a pick list first.")

    def load(self, wave_id: int) -> None:
        self.wave_id = wave_id
        self.bin_ok = ""
        self.refresh()
        self.say("")

    def refresh(self) -> None:
        if self.wave_id is None:
            return
        with self.ctx.database.read() as session:
            rows = picking.lines(session, self.wave_id)
            self.wave_number = picking.list_number(session, self.wave_id)
        self.model.set_rows(rows)
        open_rows = [r for r in rows if r.open]
        self.title.setText(
            f"{self.wave_number}: {len(rows) - len(open_rows)} of {len(rows)} lines done"
        )
        previous_bin = self.current.bin_code if self.current else ""
        self.current = open_rows[0] if open_rows else None
        self._allow()
        if self.current is None:
            self.prompt.setText(f"{self.wave_number} is picked. Take the tote to packing.")
            return
        if self.current.bin_code != previous_bin:
            self.bin_ok = ""
        self.table.selectRow(rows.index(self.current))
        if not self.bin_ok:
            self.prompt.setText(f"Go to {self.current.bin_code} and scan the bin label")
        else:
            self.prompt.setText(
                f"Take {self.current.quantity - self.current.picked} × {self.current.sku} "
                f"{self.current.name}  (for {self.current.order_number})"
            )

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def handle_scan(self, code: str) -> bool:
        if self.current is None:
            self.say("Nothing left to pick on this list.", error=True)
            return True
        try:
            with self.ctx.database.read() as session:
                is_bin = picking.is_bin(session, code)
                if is_bin:
                    picking.check_bin(session, self.current, code)
            if is_bin:
                self.bin_ok = code.strip().upper()
                self.say(f"At {self.current.bin_code}.")
                self.refresh()
                return True
            if not self.bin_ok:
                self.say(f"Scan the label of {self.current.bin_code} first.", error=True)
                return True
            with self.ctx.database.write() as session:
                result = picking.pick_item(
                    session, self.ctx.actor, self.current.id, code, self.bin_ok
                )
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return True
        line = result.line
        if result.finished_list:
            self.say(f"{line.sku}: {line.picked} of {line.quantity}. {self.wave_number} is done.")
        elif result.finished_line:
            self.say(f"{line.sku}: all {line.quantity} picked.")
        else:
            self.say(f"{line.sku}: {line.picked} of {line.quantity}")
        self.refresh()
        return True

    def short_pick(self) -> None:
        if self.current is None:  # F8 on a finished list says why, as the button does
            self.say(self.short_button.toolTip(), error=True)
            return
        line = self.current
        box = QMessageBox(self)
        box.setWindowTitle("Bin is short")
        box.setText(
            f"{line.bin_code} should hold {line.quantity - line.picked} more × {line.sku}. "
            f"{line.picked} picked. What happens to the rest?"
        )
        split = box.addButton("Look in other bins", QMessageBox.ButtonRole.AcceptRole)
        backorder = box.addButton("Backorder", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        resolution = "split" if clicked is split else "backorder" if clicked is backorder else ""
        if not resolution:
            return
        try:
            with self.ctx.database.write() as session:
                picking.short_pick(session, self.ctx.actor, line.id, resolution)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.say(
            f"Short pick of {line.sku} recorded"
            + ("; the rest is added to this list." if resolution == "split" else "; backordered.")
        )
        self.refresh()

    def print_list(self) -> None:
        if self.wave_id is None:
            return
        from app.services.printing.documents import print_pick_list

        try:
            with self.ctx.database.write() as session:
                print_pick_list(
                    session, self.ctx.actor, self.ctx.workstation.workstation_name, self.wave_id
                )
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.ctx.jobs_queued()
        self.say(f"{self.wave_number} sent to the document printer.")
