"""The Counts tab (views/stock/counts_tab.py) driven by a scanner: start a count of a bin,
scan its label, scan items (each its own key presses, as a scanner sends them), undo one,
approve; the variances become adjustments and the ledger checks clean."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Barcode, Location, StockLevel
from app.services.stock.integrity import check
from tests.views import keyboard


def _a_bin_with_two_products(ctx):
    with ctx.database.read() as s:
        rows = s.execute(
            select(Location.code, Barcode.code, StockLevel.on_hand, StockLevel.product_id)
            .join(StockLevel, StockLevel.location_id == Location.id)
            .join(Barcode, Barcode.product_id == StockLevel.product_id)
            .where(Location.code.like("MAIN-%"), StockLevel.on_hand > 0, Barcode.pack_qty == 1)
            .order_by(Location.code, StockLevel.product_id)
        ).all()
    by_bin: dict[str, list] = {}
    for bin_code, ean, on_hand, product_id in rows:
        by_bin.setdefault(bin_code, []).append((ean, on_hand, product_id))
    code = next(c for c, items in by_bin.items() if len({i[2] for i in items}) >= 2)
    return code, by_bin[code]


def _level(ctx, bin_code, product_id):
    with ctx.database.read() as s:
        return s.scalar(
            select(StockLevel.on_hand)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == bin_code, StockLevel.product_id == product_id)
        )


def test_a_count_by_scans_through_to_approval(qtbot, qtmodeltester, inventory, ctx, settle):
    window, screen = inventory
    tab = screen.tab("Counts")
    settle()
    bin_code, items = _a_bin_with_two_products(ctx)
    (ean, _book, product_id), others = items[0], [i for i in items if i[2] != items[0][2]]
    tab.table.setFocus()
    keyboard.scan(qtbot, tab.table, ean)  # no count yet: said, nothing counted
    settle()
    assert "Start or choose a count" in tab.message.text()
    tab.scope_kind.setCurrentIndex(tab.scope_kind.findData("bin"))
    tab.scope.setText(bin_code)
    tab.start_button.click()
    settle()
    assert tab.count_id is not None and tab.message.text().startswith("Started CNT-")
    assert tab.lines.rowCount() == len({i[2] for i in items})
    tab.table.setFocus()
    keyboard.scan(qtbot, tab.table, bin_code)  # the bin's label
    settle()
    assert tab.bin_label.text() == f"Counting bin {bin_code}"
    for _ in range(3):
        keyboard.scan(qtbot, tab.table, ean)
        settle()
    assert tab.message.text().endswith("+1, 3 counted.")
    tab.undo_button.click()
    settle()
    assert tab.message.text().startswith("Took back 1 x")
    keyboard.scan(qtbot, tab.table, "MAIN-STOCK")  # a bin of no count here
    settle()
    assert "is not part of" in tab.message.text()
    line = next(r for r in tab.lines.rows() if r.counted)
    assert (line.counted, line.variance) == (2, 2 - line.expected)
    qtmodeltester.check(tab.lines)
    tab.approve_button.click()
    settle()
    assert tab.message.text().startswith("Approved CNT-")
    assert _level(ctx, bin_code, product_id) == 2
    assert all(_level(ctx, bin_code, other[2]) == 0 for other in others)  # counted as none
    assert tab.count_id is None and not tab.approve_button.isEnabled()
    with ctx.database.read() as s:
        assert check(s) == []
    assert window.stack.currentWidget() is screen


def test_a_blind_count_hides_the_expected_from_a_counter(qtbot, ctx, settle):
    from app.core.auth import Actor, Role
    from app.views.main_window import MainWindow

    bin_code, _items = _a_bin_with_two_products(ctx)
    ctx.actor = Actor(ctx.actor.user_id, "pat", "Pat", Role.PICKER, "till-1")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tab = window.show_screen("Inventory").tab("Counts")
    settle()
    tab.scope.setText(bin_code)
    tab.blind.setChecked(True)
    tab.start_button.click()
    settle()
    assert tab.lines.rowCount() >= 2
    assert {tab.lines.data(tab.lines.index(i, 2)) for i in range(tab.lines.rowCount())} == {"—"}
    assert not tab.approve_button.isEnabled() and "stock.adjust" in tab.approve_button.toolTip()
    tab.cancel_button.click()
    settle()
    assert "nothing moved" in tab.message.text()
