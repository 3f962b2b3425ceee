"""The Stock tab (views/stock/stock_tab.py): stock per bin a page at a time, found by
search or scan, a product's history with its running balance, an adjustment through its
dialog, and the buttons greyed with the reason for a cashier."""

from __future__ import annotations

from PySide6.QtCore import Qt
from shiboken6 import isValid

from app.models import Product
from app.services.stock.integrity import check
from tests.views import keyboard


def _stock_tab(qtbot, screen, settle):
    tab = screen.tab("Stock")
    settle()
    return tab


def test_the_list_pages_and_finds(qtbot, qtmodeltester, inventory, ctx, settle):
    _window, screen = inventory
    tab = _stock_tab(qtbot, screen, settle)
    assert tab.model.rowCount() == 50  # one page of many
    qtmodeltester.check(tab.model)
    tab.model.fetchMore()
    settle()
    assert tab.model.rowCount() > 50
    first = tab.model.row(0)
    word = first.name.split()[-1]
    qtbot.keyClicks(tab.search, word)
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    settle()
    assert 0 < tab.model.rowCount() <= 50
    assert all(word.lower() in tab.model.row(i).name.lower() for i in range(tab.model.rowCount()))
    tab.search.clear()
    tab.search.setFocus()
    keyboard.scan(qtbot, tab.search, "2000000000015")  # the first demo product's EAN-13
    settle()
    assert tab.search.text() == "2000000000015"
    rows = [tab.model.row(i) for i in range(tab.model.rowCount())]
    assert rows and len({r.product_id for r in rows}) == 1
    with ctx.database.read() as s:
        cost = s.get(Product, rows[0].product_id).cost
    assert cost > 0 and all(r.value == r.on_hand * cost for r in rows)
    assert tab.model.data(tab.model.index(0, 8)) == ctx.money(rows[0].value)


def test_history_of_a_product_with_its_running_balance(qtbot, qtmodeltester, inventory, settle):
    _window, screen = inventory
    tab = _stock_tab(qtbot, screen, settle)
    tab.table.selectRow(0)
    settle()
    line = tab.model.row(0)
    assert tab.history.product_id == line.product_id and tab.history.rowCount() > 0
    qtmodeltester.check(tab.history)
    assert line.sku in tab.history_title.text()
    newest = tab.history.row(0)
    on_hand_everywhere = sum(
        tab.model.row(i).on_hand
        for i in range(tab.model.rowCount())
        if tab.model.row(i).product_id == line.product_id
    )
    assert newest.balance == on_hand_everywhere


def test_an_adjustment_through_the_dialog(qtbot, inventory, ctx, settle):
    _window, screen = inventory
    tab = _stock_tab(qtbot, screen, settle)
    tab.table.selectRow(0)
    settle()
    line = tab.model.row(0)
    assert tab.adjust_button.isEnabled()
    tab.adjust_button.click()
    dialog = tab.dialog
    dialog.reason.setCurrentIndex(dialog.reason.findData("damaged"))
    dialog.quantity.setValue(1)  # damaged takes units away: refused in the dialog
    dialog.accept()
    settle()
    assert dialog.isVisible() and "negative" in dialog.message.text()
    dialog.quantity.setValue(-1)
    dialog.note.setText("dropped")
    dialog.accept()
    settle()
    assert not isValid(dialog)  # closed (and let go)
    assert f"{line.sku} in {line.bin}: -1 (Damaged)." == tab.message.text()
    qtbot.waitUntil(
        lambda: any(
            tab.model.row(i).product_id == line.product_id
            and tab.model.row(i).bin == line.bin
            and tab.model.row(i).on_hand == line.on_hand - 1
            for i in range(tab.model.rowCount())
        )
    )
    with ctx.database.read() as s:
        assert check(s) == []


def test_a_transfer_to_a_scanned_bin(qtbot, inventory, ctx, settle):
    _window, screen = inventory
    tab = _stock_tab(qtbot, screen, settle)
    row = next(i for i in range(tab.model.rowCount()) if tab.model.row(i).available >= 2)
    line = tab.model.row(row)
    tab.table.selectRow(row)
    settle()
    tab.transfer_button.click()
    dialog = tab.dialog
    target = "MAIN-A01-02" if line.bin != "MAIN-A01-02" else "MAIN-A01-03"
    dialog.quantity.setValue(2)
    dialog.target.setFocus()
    keyboard.scan(qtbot, dialog.target, target)  # the scan lands in the dialog's field
    assert dialog.target.text() == target
    dialog.accept()
    settle()
    assert tab.message.text() == f"Moved 2 x {line.sku} from {line.bin} to {target}."
    with ctx.database.read() as s:
        assert check(s) == []


def test_a_cashier_sees_why_the_buttons_are_grey(qtbot, ctx, settle):
    from app.core.auth import Actor, Role
    from app.views.main_window import MainWindow

    ctx.actor = Actor(ctx.actor.user_id, "cara", "Cara", Role.CASHIER, "till-1")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tab = window.show_screen("Inventory").tab("Stock")
    settle()
    tab.table.selectRow(0)
    settle()
    assert not tab.adjust_button.isEnabled() and "stock.adjust" in tab.adjust_button.toolTip()
    assert not tab.transfer_button.isEnabled()
    assert "stock.transfer" in tab.transfer_button.toolTip()
