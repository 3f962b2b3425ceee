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


def test_a_stock_change_re_reads_its_row_and_an_edit_reloads_the_page(qtbot, ctx, settle):
    """Issue 14 item 6: a sale, a receipt or a count names its products; only the shown
    rows it names are read again. An edit may move a row, so the page is read again."""
    from app.services.stock import catalogue
    from app.services.stock.adjustments import adjust_by_code

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.show_screen("Inventory").catalogue
    settle()
    rows = [screen.model.row(i) for i in range(screen.model.rowCount())]
    position = next(i for i, r in enumerate(rows) if r.track_stock)
    row = rows[position]
    with ctx.database.read() as s:
        where = catalogue.product_stock(s, row.id)[0].location_code
    resets, changed = [], []
    screen.model.modelReset.connect(lambda: resets.append(1))
    screen.model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    with ctx.database.write() as s:  # as the counter of this workstation would
        adjust_by_code(s, ctx.actor, row.sku, where, 3, "found")
    qtbot.waitUntil(lambda: screen.model.row(position).on_hand == row.on_hand + 3)
    settle()
    assert resets == [] and changed == [position]
    assert [screen.model.row(i) for i in range(len(rows)) if i != position] == [
        r for i, r in enumerate(rows) if i != position
    ]
    with ctx.database.write() as s:
        catalogue.update_product(s, ctx.actor, row.id, price=row.price + 100)
    qtbot.waitUntil(lambda: bool(resets))
    settle()
    assert screen.model.row(position).price == row.price + 100
