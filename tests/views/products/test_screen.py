"""Products: search by words, a scanned code shows its product, stock per location; the
list and the stock are read in the background."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.views.main_window import MainWindow


def test_products_screen_search_scan_and_stock(qtbot, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.show_screen("Inventory").catalogue
    settle()  # the first page comes from a background read
    assert screen.model.rowCount() == 60
    first = screen.model.row(0)
    word = first.name.split()[2][:4]
    qtbot.keyClicks(screen.search, word)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    settle()
    assert 0 < screen.model.rowCount() <= 60
    assert all(
        word.lower() in screen.model.row(i).name.lower() for i in range(screen.model.rowCount())
    )
    screen.search.clear()
    qtbot.keyClicks(screen.search, "2000000000015")  # the first demo product's EAN-13
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    settle()
    assert screen.model.rowCount() == 1
    screen.table.selectRow(0)
    settle()  # the stock per location, read in the background too
    assert screen.stock_model.rowCount() >= 1
    assert screen.stock_model.row(0).location_code.startswith(("MAIN-", "SHOP-"))
    screen.search.clear()
    qtbot.keyClicks(screen.search, "nosuchthing")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    settle()
    assert screen.stock_model.rowCount() == 0
    assert screen.message.text() == "Nothing matches 'nosuchthing'."
