"""Scans at the counter (views/counter/scan.py): bursts against typing, codes routed from
other screens, products found by name, unknown codes and the closed till said at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from tests.views import keyboard
from tests.views.conftest import answer_modal, counter_codes


def test_typing_is_not_a_scan(qtbot, counter_window):
    window, screen = counter_window
    qtbot.keyClicks(screen.input, "SO-1", delay=80)  # a person typing
    assert screen.input.text() == "SO-1"


def test_a_scanned_order_number_opens_the_order_from_any_screen(qtbot, counter_window, settle):
    window, screen = counter_window
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Inventory
    # The screen's first page lands from the background; QTest's keys carry no window-system
    # timestamps, so a page arriving between two keys would read as a person's pause.
    settle()
    focus = window.stack.currentWidget().search
    focus.setFocus()
    keyboard.scan(qtbot, focus, "SO-000042")
    # the order number is looked up, then the order read, both in the background
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens.get("Orders"))
    title = window.screens["Orders"].detail.title
    qtbot.waitUntil(lambda: title.text().startswith("SO-000042"))
    assert focus.text() == ""


def test_items_without_a_barcode_are_found_by_name(qtbot, counter_window, ctx, settle):
    from app.services.stock import catalogue
    from app.services.stock.catalogue import ProductInput

    window, screen = counter_window
    with ctx.database.write() as s:
        catalogue.create_product(
            s, ctx.actor, ProductInput("LOOSE-1", "Loose apples", 99, track_stock=False)
        )
        catalogue.create_product(
            s, ctx.actor, ProductInput("LOOSE-2", "Loose pears", 129, track_stock=False)
        )
    keyboard.type_slowly(qtbot, screen.input, "loose app")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    settle()
    assert [ln.sku for ln in screen.cart.lines] == ["LOOSE-1"]

    def pick_pears(dialog):
        dialog.setTextValue(next(i for i in dialog.comboBoxItems() if "pears" in i))
        dialog.accept()

    answer_modal(QInputDialog, pick_pears)
    keyboard.type_slowly(qtbot, screen.input, "loose")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    settle()
    assert [ln.sku for ln in screen.cart.lines] == ["LOOSE-1", "LOOSE-2"]
    keyboard.type_slowly(qtbot, screen.input, "zebra")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    settle()
    assert screen.message.text() == "Nothing matches 'zebra'."


def test_an_unknown_scan_sounds_the_error(qtbot, counter_window, settle):
    from app.views import sound

    _window, screen = counter_window
    before = len(sound.played)
    keyboard.scan(qtbot, screen.input, "4006381333931")  # a valid EAN no product has
    settle()
    assert "Unknown code" in screen.message.text() and len(sound.played) == before + 1
    assert screen.input.hasFocus()


def test_a_closed_till_is_said_at_the_first_scan(qtbot, counter_window, ctx, settle):
    window, screen = counter_window
    screen.close_till({})
    settle()
    first, second = counter_codes(ctx, 2)
    keyboard.scan(qtbot, screen.input, first)
    settle()
    assert "is closed" in screen.message.text() and "F9" in screen.message.text()
    keyboard.scan(qtbot, screen.input, second)  # said once, not at every scan
    settle()
    assert "is closed" not in screen.message.text()


def test_scanner_set_up_check_in_settings(qtbot, counter_window):
    import zxingcpp

    from app.services.stock.scanning import TEST_CODE

    window, _screen = counter_window
    settings = window.show_screen("Settings")
    settings.tabs.setCurrentWidget(settings.scanner)
    page = settings.scanner
    image = page.code_image.pixmap().toImage()
    from PIL import Image

    picture = Image.frombytes(
        "RGBA",
        (image.width(), image.height()),
        bytes(image.convertToFormat(image.Format.Format_RGBA8888).constBits()),
    )
    assert [b.text for b in zxingcpp.read_barcodes(picture)] == [TEST_CODE]  # it scans
    page.input.setFocus()
    keyboard.scan(qtbot, page.input, "Kwèyq23()m")  # a US scanner on a French keyboard
    assert "French AZERTY" in page.result.text()
    keyboard.scan(qtbot, page.input, TEST_CODE)
    assert "works" in page.result.text()


def test_an_archived_product_is_refused_at_the_scan(qtbot, counter_window, ctx, settle):
    """Archived is said when it is scanned, not later at the payment; nothing goes on the
    sale, and the product sells again once it is brought back."""
    from app.services.stock import products
    from app.services.stock.catalogue import find_by_code
    from app.views import sound

    _window, screen = counter_window
    code = counter_codes(ctx, 1)[0]
    with ctx.database.write() as s:
        product_id = find_by_code(s, code).product_id
        products.set_archived(s, ctx.actor, [product_id], True)
    before = len(sound.played)
    keyboard.scan(qtbot, screen.input, code)
    settle()
    assert "archived" in screen.message.text() and len(sound.played) == before + 1
    assert screen.cart.lines == []
    with ctx.database.write() as s:
        products.set_archived(s, ctx.actor, [product_id], False)
    keyboard.scan(qtbot, screen.input, code)
    settle()
    assert [ln.product_id for ln in screen.cart.lines] == [product_id]
