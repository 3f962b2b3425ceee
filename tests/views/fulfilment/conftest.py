"""The fulfilment bench's fixtures: a store with two products in two bins, a confirmed
order for both on a wave, a carrier and a label printer, and the main window on the
Fulfilment screen with the scanner filter listening."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid
from sqlalchemy import select

from app.models import Barcode, Location, SalesOrder
from app.services.fulfilment import packing, picking, shipping, waves
from app.services.fulfilment.waves import WaveRef
from app.services.printing import printers
from app.services.printing.printers import PrinterInput
from app.services.sales import order_actions, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import inventory
from app.views.main_window import MainWindow
from app.views.scanner import ScannerFilter
from tests import factories
from tests.views.conftest import show_active


@dataclass
class Bench:
    window: MainWindow
    screen: QWidget  # the Fulfilment screen
    wave: WaveRef
    order_id: int
    number: str  # the order's number (its barcode on the pick list)
    mug: str  # barcode of the first product (2 ordered, in GUI-A-01)
    apron: str  # barcode of the second (1 ordered, in GUI-B-01)


@pytest.fixture
def bench(qtbot, qapp, ctx, settle):
    database, admin = ctx.database, ctx.actor
    first = factories.product(database, admin, name="Blue enamel mug")
    second = factories.product(database, admin, name="Linen apron")
    customer = factories.customer(database, admin, "Ines Moreau")
    with database.write() as s:
        bin_a = factories.bin_beside_main(s, "GUI-A-01", 1)
        bin_b = factories.bin_beside_main(s, "GUI-B-01", 2)
        inventory.receive(s, admin, first, bin_a, 5)
        inventory.receive(s, admin, second, bin_b, 5)
        ref = order_entry.create_order(
            s,
            admin,
            OrderInput("phone", (LineInput(first, 2), LineInput(second, 1)), customer_id=customer),
        )
        order_actions.set_warehouse(s, admin, ref.id, s.get(Location, bin_a).warehouse_id)
        order_actions.confirm(s, admin, ref.id)
        wave = waves.create_wave(s, admin, [ref.id])
        shipping.add_carrier(
            s,
            admin,
            shipping.CarrierInput("GUI", "Gui Express", tracking_template="GX{n:08d}"),
        )
        printers.add_printer(s, admin, "till-1", PrinterInput("Labels", "preview:", "label"))
        codes = [
            s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
            for pid in (first, second)
        ]
        number = s.get(SalesOrder, ref.id).number
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    screen = window.stack.currentWidget()
    settle()
    yield Bench(window, screen, wave, ref.id, number, *codes)
    settle()
    if isValid(scanner):  # after a failure pytest-qt may have closed the window already
        qapp.removeEventFilter(scanner)


def pick_by_services(ctx, wave_id: int) -> None:
    """Pick every line of a wave as the scanner would, through the services."""
    database, actor = ctx.database, ctx.actor
    with database.read() as s:
        lines = picking.lines(s, wave_id)
    for line in lines:
        with database.write() as s:
            code = s.scalar(select(Barcode.code).where(Barcode.product_id == line.product_id))
            for _ in range(line.quantity):
                picking.pick_item(s, actor, line.id, code, line.bin_code)


def ship_by_services(ctx, wave_id: int, order_id: int) -> None:
    """Pick, pack into one weighed box and ship an order with the GUI carrier."""
    database, actor = ctx.database, ctx.actor
    pick_by_services(ctx, wave_id)
    with database.write() as s:
        for line in packing.state(s, order_id).lines:
            code = s.scalar(select(Barcode.code).where(Barcode.product_id == line.product_id))
            for _ in range(line.at_bench):
                packing.pack_item(s, actor, order_id, code)
        (package,) = packing.state(s, order_id).packages
        packing.set_weight(s, actor, package.id, 900)
        packing.finish(s, actor, order_id)
        (carrier,) = [c.id for c in shipping.carriers(s) if c.code == "GUI"]
        shipping.ship(s, actor, order_id, carrier, workstation="till-1")


@contextmanager
def another_writer(ctx) -> Iterator[None]:
    """Another workstation holds the SQLite write lock: the bench's writes wait for it (on
    the busy timeout) until the block ends, so scans made meanwhile are all in flight."""
    other = sqlite3.connect(ctx.database.engine.url.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("COMMIT")
        other.close()


def focus(qtbot, widget: QWidget) -> QWidget:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    return widget


def greyed_because(button, words: str) -> bool:
    return not button.isEnabled() and words in button.toolTip()


def alive(button) -> bool:
    return button.isEnabled() and button.toolTip() == ""
