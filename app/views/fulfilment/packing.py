"""The packing bench: scan the order (pick list or tote label), scan each item into the
box, weigh it, F6 for another box, F10 when everything is in (the packing slip prints),
then the tracking number — scanned, typed, or made by F12 from the carrier's pattern —
and F12 ships it and prints a 4x6 label per package."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import KestrelError
from app.core.i18n import _, ngettext
from app.core.money import format_number
from app.db import ServiceSession as Session
from app.services.fulfilment import pack_bench, packing, shipping
from app.services.fulfilment.pack_bench import Done, PackScan, Weighed
from app.services.fulfilment.packing import PackState
from app.services.fulfilment.shipping import CarrierRow, ShipResult
from app.views.context import AppContext
from app.views.fulfilment.bench_queue import BenchQueue
from app.views.fulfilment.states import state_label
from app.views.ops import Op, op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, key_buttons, make_table, say

PROMPT = "font-size: 20pt; font-weight: 700"
T = TypeVar("T")


class PackingPage(QWidget):
    back = Signal()
    opened = Signal()  # an order is loaded: the screen puts this page in front

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, bench: BenchQueue | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bench = bench or BenchQueue()
        self.state: PackState | None = None
        self.prompt = QLabel(
            _("Scan an order to pack"), objectName="pack_prompt", styleSheet=PROMPT
        )
        self.prompt.setWordWrap(True)
        self.message = QLabel(objectName="pack_message", wordWrap=True)
        self.lines = RowsTableModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Product"), lambda r: r.name),
                Column(_("Ordered"), lambda r: str(r.ordered), align=RIGHT),
                Column(_("Picked"), lambda r: str(r.at_bench), align=RIGHT),
                Column(_("Packed"), lambda r: str(r.packed), align=RIGHT),
                Column(_("To pack"), lambda r: str(r.to_pack), align=RIGHT),
            ],
            self,
        )
        self.packages = RowsTableModel(
            [
                Column(_("Package"), lambda p: str(p.number), align=RIGHT),
                Column(_("Items"), lambda p: str(p.items), align=RIGHT),
                Column(_("Weight"), lambda p: f"{p.weight_g / 1000:g} kg" if p.weight_g else "—"),
                Column(_("Tracking"), lambda p: p.tracking_number),
                Column(_("State"), lambda p: state_label(p.status)),
            ],
            self,
        )
        self.weight = QLineEdit(objectName="pack_weight")
        self.weight.setPlaceholderText(_("kg, e.g. 1.25 — Enter sets it"))
        self.weight.returnPressed.connect(self.set_weight)
        self.carrier = QComboBox(objectName="pack_carrier")
        self.tracking = QLineEdit(objectName="pack_tracking")
        self.tracking.setPlaceholderText(
            _("Scan or type; empty makes them; one per package, commas")
        )
        form = QFormLayout()
        form.addRow(_("Weight of the open package"), self.weight)
        form.addRow(_("Carrier"), self.carrier)
        form.addRow(_("Tracking number(s)"), self.tracking)
        buttons = key_buttons(
            self,
            "pack",
            (
                ("new_package", _("F6  New package"), Qt.Key.Key_F6, self.new_package),
                ("weigh", _("F7  Weight"), Qt.Key.Key_F7, self.weigh),
                ("finish", _("F10  Finish packing"), Qt.Key.Key_F10, self.finish),
                ("ship", _("F12  Ship"), Qt.Key.Key_F12, self.ship),
                ("back", _("Back (Esc)"), Qt.Key.Key_Escape, self.back.emit),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.message)
        layout.addWidget(make_table(self.lines, "pack_lines", stretch=1), 2)
        layout.addWidget(make_table(self.packages, "pack_packages", stretch=3), 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._allow()

    def load_carriers(self) -> None:
        query(self, self.ctx, shipping.carriers).on_success(self._show_carriers).message(
            self._error
        ).run()

    def _show_carriers(self, rows: list[CarrierRow]) -> None:
        chosen = self.carrier.currentData()
        self.carrier.clear()
        for row in rows:
            self.carrier.addItem(row.label, row.id)
        if chosen is not None and self.carrier.findData(chosen) >= 0:
            self.carrier.setCurrentIndex(self.carrier.findData(chosen))

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def _error(self, text: str) -> None:
        self.say(text, error=True)

    def open_order(self, order_id: int) -> None:
        """Open an order at the bench (the queues' Open)."""
        if self.carrier.count() == 0:
            self.load_carriers()
        self.bench.submit(
            lambda: (
                query(self, self.ctx, lambda s: packing.state(s, order_id))
                .on_success(self._opened)
                .message(self._error)
            )
        )

    def _opened(self, state: PackState) -> None:
        self.display(state)
        self.say("")
        self.opened.emit()

    def display(self, state: PackState) -> None:
        self.state = state
        self.lines.set_rows(list(state.lines))
        self.packages.set_rows(list(state.packages))
        if state.status == "packed":
            self.prompt.setText(
                _("{number} is packed: scan the tracking number or press F12 to ship").format(
                    number=state.number
                )
            )
        elif state.to_pack:
            current = state.current_package
            box = current.number if current else 1
            self.prompt.setText(
                _("{number}: scan items into package {box}").format(number=state.number, box=box)
            )
        else:
            self.prompt.setText(
                _("{number}: weigh the package(s), then F10").format(number=state.number)
            )
        self._allow()

    def _allow(self) -> None:
        """Each bench button greyed with the reason while it cannot apply (its F-key then
        says the same reason out loud)."""
        state = self.state
        packing_now = "" if state is None else state.status
        if state is None:
            busy = ready = _("Scan an order to pack first.")
        elif packing_now == "packed":
            busy, ready = _("{number} is packed: ship it (F12).").format(number=state.number), ""
        elif packing_now in ("shipped", "delivered"):
            busy = ready = _("{number} has left: scan the next order.").format(number=state.number)
        else:
            busy, ready = "", _("Finish packing first (F10).")
        for name in ("new_package", "weigh"):
            allow(self.findChild(QPushButton, f"pack_{name}"), busy)
        empty = state is not None and not busy and not any(p.items for p in state.packages)
        finish = busy or (_("Scan the items into the package first.") if empty else "")
        allow(self.findChild(QPushButton, "pack_finish"), finish)
        allow(self.findChild(QPushButton, "pack_ship"), ready)

    def handle_scan(self, code: str) -> bool:
        """An order, an item for the box or a tracking label, in its turn (BenchQueue)."""
        self.bench.submit(lambda: self.scan_step(code))
        return True

    def scan_step(self, code: str) -> Op[PackScan]:
        order_id = self.state.order_id if self.state else None
        actor = self.ctx.actor
        return (
            op(self, self.ctx, lambda s: pack_bench.scan(s, actor, order_id, code))
            .on_success(self._scanned)
            .message(self._error)
        )

    def _scanned(self, scan: PackScan) -> None:
        if scan.opened:
            if self.carrier.count() == 0:
                self.load_carriers()
            self._opened(scan.state)
            return
        if scan.tracking:
            current = self.tracking.text().strip()
            self.tracking.setText(f"{current},{scan.tracking}" if current else scan.tracking)
            self.say(_("Tracking {tracking} taken.").format(tracking=scan.tracking))
            return
        line = scan.line
        assert line is not None
        self.say(
            _("{sku} into package {box}: {packed} of {at_bench}").format(
                sku=line.sku, box=scan.box, packed=line.packed, at_bench=line.at_bench
            )
        )
        self.display(scan.state)

    def _act(
        self,
        work: Callable[[Session, int], Done[T]],
        done: Callable[[T], None],
        button: str,
    ) -> None:
        """A bench key, in its turn: `work(session, order_id)` writes and returns the
        order's state with its answer; `done(answer)` says what happened."""
        self.bench.submit(lambda: self._act_now(work, done, button))

    def _act_now(
        self,
        work: Callable[[Session, int], Done[T]],
        done: Callable[[T], None],
        button: str,
    ) -> Op[Done[T]] | None:
        if self.state is None:
            self.say(_("Scan an order first."), error=True)
            return None
        order_id = self.state.order_id

        def succeeded(result: Done[T]) -> None:
            self.display(result.state)
            done(result.value)

        return (
            op(self, self.ctx, lambda s: work(s, order_id))
            .busy(self._button(button))
            .on_success(succeeded)
            .on_failure(self._refused)
        )

    def _refused(self, exc: KestrelError) -> None:
        self.say(exc.message, error=True)
        self._allow()  # the key's button is greyed again if it was (F-keys work greyed)

    def _button(self, name: str) -> QPushButton:
        button = self.findChild(QPushButton, f"pack_{name}")
        assert button is not None
        return button

    def new_package(self) -> None:
        actor = self.ctx.actor
        self._act(
            lambda s, order_id: pack_bench.new_package(s, actor, order_id),
            lambda number: self.say(_("Package {number} started.").format(number=number)),
            "new_package",
        )

    def weigh(self) -> None:
        """F7: to the weight field (a weight already typed there is set)."""
        if self.weight.text().strip():
            self.set_weight()
            return
        self.weight.setFocus()
        self.weight.selectAll()
        self.say(_("Type the package's weight in kg, then Enter."))

    def set_weight(self) -> None:
        if self.state is None:
            return
        actor, text = self.ctx.actor, self.weight.text()

        def weighed(done: Weighed) -> None:
            self.weight.clear()
            self.say(
                _("Package {number}: {weight} kg").format(
                    number=done.package,
                    weight=format_number(Decimal(done.grams) / 1000, self.ctx.locale),
                )
            )

        self._act(lambda s, order_id: pack_bench.weigh(s, actor, order_id, text), weighed, "weigh")

    def finish(self) -> None:
        actor, workstation = self.ctx.actor, self.ctx.workstation.workstation_name

        def finished(count: int) -> None:
            self.ctx.jobs_queued()
            self.say(
                ngettext(
                    "Packed in {count} package; the packing slip is printing.",
                    "Packed in {count} packages; the packing slip is printing.",
                    count,
                ).format(count=count)
            )
            self.tracking.setFocus()

        self._act(
            lambda s, order_id: pack_bench.finish(s, actor, workstation, order_id),
            finished,
            "finish",
        )

    def ship(self) -> None:
        self.bench.submit(self._ship)

    def _ship(self) -> Op[Done[ShipResult]] | None:
        """In its turn, so a tracking label scanned just before F12 is in the field."""
        if self.state is None or self.state.status != "packed":
            self.say(_("Finish packing first (F10)."), error=True)
            return None
        carrier_id = self.carrier.currentData()
        if carrier_id is None:
            self.say(_("Add a carrier in Settings first."), error=True)
            return None
        actor, workstation = self.ctx.actor, self.ctx.workstation.workstation_name
        tracking, number = self.tracking.text(), self.state.number

        def shipped(result: ShipResult) -> None:
            self.ctx.jobs_queued()
            self.tracking.clear()
            said = (
                _("{number} shipped: {tracking}.")
                if result.status == "shipped"
                else _("{number} shipped: {tracking}. Part of it is on backorder.")
            )
            self.say(said.format(number=number, tracking=", ".join(result.tracking)))
            self.prompt.setText(_("Scan the next order to pack"))

        return self._act_now(
            lambda s, order_id: pack_bench.ship(
                s, actor, order_id, carrier_id, tracking, workstation
            ),
            shipped,
            "ship",
        )
