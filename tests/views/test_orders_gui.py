"""The shell in real widgets: sign in, navigation, the lock, shortcuts and theme, every
item model, the products and audit screens. (The Orders screen's own tests are in
tests/views/orders/; these belong with the shell's modules, tests/views/test_<module>.py.)"""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from app.views.main_window import MainWindow


def test_every_item_model_passes_qtmodeltester(qtbot, qtmodeltester, ctx, settle):
    """Every table model of every screen, with rows in it, passes Qt's model tester."""
    from app.views.table_models import RowsTableModel

    def all_table_models(root):
        return root.findChildren(RowsTableModel)

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    orders_screen = window.screens["Orders"]
    settle()  # the first page arrives from a background read
    orders_screen.table.selectRow(0)
    orders_screen.open_order(orders_screen.model.row(0).id)
    settle()
    inventory = window.show_screen("Inventory")
    inventory.catalogue.table.selectRow(0)
    for tab in ("Stock", "Bins", "Counts", "Transfers"):  # the inventory tabs are built when opened
        inventory.tab(tab)
    inventory.tab("Catalogue")
    from app.views.main_window import SCREENS

    for name in SCREENS:
        window.show_screen(name)
    fulfilment = window.screens["Fulfilment"]
    with ctx.database.read() as s:
        from app.services.fulfilment import waves

        lists = waves.open_lists(s)
    if lists:
        fulfilment.open_wave(lists[0][0])
    settle()
    models = all_table_models(window)
    assert len(models) >= 15, [type(m).__name__ for m in models]  # every table of every screen
    assert any(m.rowCount() for m in models)
    for model in models:
        qtmodeltester.check(model)


def test_column_order_is_remembered_per_workstation(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    header = window.show_screen("Orders").findChild(QTableView, "orders_table").horizontalHeader()
    header.moveSection(0, 3)  # the user drags "Number" to the fourth place
    qtbot.wait(700)
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    moved = again.show_screen("Orders").findChild(QTableView, "orders_table").horizontalHeader()
    assert moved.visualIndex(0) == 3
    moved.moveSection(3, 0)
    qtbot.wait(700)
