"""Scan-to-pick in real widgets, driven by scanner bursts: a pick list scanned open, bins
and items scanned (wrong ones refused with the error sound), scans arriving while one is
in flight counted in order, and a finished list where F8 says why it cannot be short."""

from __future__ import annotations

from sqlalchemy import select

from app.models import PickLine
from app.services.fulfilment import picking, waves
from app.services.sales.order_list import OrderQuery, list_orders
from app.views import sound, tasks
from tests.views import keyboard
from tests.views.fulfilment.conftest import (
    alive,
    another_writer,
    focus,
    greyed_because,
    pick_by_services,
)


def test_scan_to_pick(qtbot, bench, ctx, settle):
    screen = bench.screen
    assert screen.queue == "to_pick"
    qtbot.waitUntil(lambda: "(" in screen.queue_list.item(1).text())
    target = focus(qtbot, screen.queue_list)  # letters typed here would switch the queue
    keyboard.scan(qtbot, target, bench.wave.number)  # the pick list's barcode
    settle()
    assert screen.queue == "to_pick"
    page = screen.picking_page
    assert screen.pages.currentWidget() is page
    assert "GUI-A-01" in page.prompt.text()

    target = focus(qtbot, page.table)
    errors = len(sound.played)
    keyboard.scan(qtbot, target, bench.mug)  # an item before the bin
    settle()
    assert "Scan the label of GUI-A-01 first" in page.message.text()
    keyboard.scan(qtbot, target, "GUI-B-01")  # the wrong bin
    settle()
    assert "Wrong bin" in page.message.text()
    keyboard.scan(qtbot, target, "GUI-A-01")
    settle()
    assert "Take 2 × " in page.prompt.text()
    keyboard.scan(qtbot, target, bench.apron)  # the wrong item
    settle()
    assert "Wrong item" in page.message.text()
    assert len(sound.played) == errors + 3
    keyboard.scan(qtbot, target, bench.mug)
    settle()
    keyboard.scan(qtbot, target, bench.mug)
    settle()
    assert "GUI-B-01" in page.prompt.text()  # the next line, in the next bin
    keyboard.scan(qtbot, target, "GUI-B-01", caps_lock=True)  # arrives as gui-b-01
    settle()
    assert "Take 1 × " in page.prompt.text()
    keyboard.scan(qtbot, target, bench.apron)
    settle()
    assert "is done" in page.message.text()
    with ctx.database.read() as s:
        picked = s.scalars(select(PickLine.status).where(PickLine.order_id == bench.order_id))
        assert list(picked) == ["done", "done"]


def test_scans_while_one_is_in_flight_count_in_order(qtbot, bench, ctx, settle, tmp_path):
    """Another workstation holds the write lock: the first scan waits for it, and the two
    after it arrive meanwhile. They wait their turn: the bin, then both mugs — in any
    other order the items would be refused as scanned before the bin."""
    screen = bench.screen
    screen.picking_page.load(bench.wave.id)
    settle()
    page = screen.picking_page
    assert screen.pages.currentWidget() is page
    target = focus(qtbot, page.table)
    with another_writer(ctx):
        for code in ("GUI-A-01", bench.mug, bench.mug):
            keyboard.scan(qtbot, target, code)
        assert page.bench.busy and not tasks.idle()
        assert page.current is not None and page.current.picked == 0
    settle()
    assert "all 2 picked" in page.message.text(), page.message.text()
    assert "GUI-B-01" in page.prompt.text()  # the next line, in the next bin
    with ctx.database.read() as s:
        lines = picking.lines(s, bench.wave.id)
    assert [(ln.bin_code, ln.picked, ln.status) for ln in lines] == [
        ("GUI-A-01", 2, "done"),
        ("GUI-B-01", 0, "open"),
    ]


def test_finished_pick_list_cannot_be_short_and_f8_says_why(shop, settle):
    window = shop
    ctx = window.ctx
    screen = window.show_screen("Fulfilment")
    settle()
    page = screen.picking_page
    assert greyed_because(page.print_button, "Scan a pick list")
    with ctx.database.write() as s:
        order_id = next(
            r.id
            for r in list_orders(s, OrderQuery(status="confirmed"), 0, 50)
            if picking.open_list_of(s, r.id) is None
        )
        wave = waves.create_wave(s, ctx.actor, [order_id])
    pick_by_services(ctx, wave.id)
    page.load(wave.id)
    settle()
    assert screen.pages.currentWidget() is page
    assert alive(page.print_button)
    assert greyed_because(page.short_button, "is picked")
    page.short_pick()  # what F8 does
    assert "is picked" in page.message.text()
    screen.show_queues()
    settle()
