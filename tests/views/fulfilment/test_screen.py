"""The Fulfilment screen: queues with counts, a wave made from the orders To pick, the
buttons greyed with their reasons, and scans routed to the bench page they are for — in
the order they came, the page chosen when the scans before have been done."""

from __future__ import annotations

from tests.views import keyboard
from tests.views.fulfilment.conftest import alive, another_writer, focus, greyed_because


def test_fulfilment_wave_and_open_say_why(shop, settle):
    window = shop
    screen = window.show_screen("Fulfilment")
    screen.queue_list.setCurrentRow(0)  # to pick
    settle()
    assert alive(screen.wave_button)
    screen.table.clearSelection()
    assert greyed_because(screen.open_button, "Select an order")
    screen.table.selectRow(0)
    assert alive(screen.open_button)
    screen.queue_list.setCurrentRow(screen.queue_list.count() - 1)
    settle()
    assert greyed_because(screen.wave_button, "To pick")
    assert greyed_because(screen.open_button, "Select an order")  # a new list, nothing chosen
    screen.queue_list.setCurrentRow(0)
    settle()


def test_a_wave_of_the_selected_order_opens_scan_to_pick(qtbot, bench, ctx, settle):
    screen = bench.screen
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)  # the demo's orders To pick
    chosen = screen.model.row(0)
    screen.table.selectRow(0)
    screen.wave_button.click()
    assert not screen.wave_button.isEnabled()  # no second wave while the first is made
    settle()
    page = screen.picking_page
    assert screen.pages.currentWidget() is page
    assert "1 order," in page.message.text() and page.wave_number != bench.wave.number
    assert {ln.order_number for ln in page.model.rows()} == {chosen.number}
    assert screen.wave_button.isEnabled()


def test_scans_go_to_their_page_in_turn(qtbot, bench, ctx, settle):
    screen = bench.screen
    target = focus(qtbot, screen.table)
    keyboard.scan(qtbot, target, "PL-999999")
    settle()
    assert "There is no pick list PL-999999" in screen.message.text()
    assert screen.pages.currentIndex() == 0
    keyboard.scan(qtbot, target, bench.wave.number)
    settle()
    page = screen.picking_page
    assert screen.pages.currentWidget() is page
    with another_writer(ctx):  # both in flight: the bin is checked on the picking page,
        keyboard.scan(qtbot, target, "GUI-A-01")
        keyboard.scan(qtbot, target, bench.number)  # then the order number goes to packing
        assert screen.pages.currentWidget() is page
    settle()
    assert "At GUI-A-01" in page.message.text() and "Take 2 × " in page.prompt.text()
    assert screen.pages.currentWidget() is screen.packing_page
    assert "still being picked" in screen.packing_page.message.text()
