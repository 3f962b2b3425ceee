"""Item 7 of issue 11: at the default window size (1280x800) and at 1024x768 every screen
shows its key columns whole — totals, when, printer, name, status — with nothing elided
and nothing pushed off to the right; the order detail fits without sideways scrolling,
its tracking link reads whole, and so does a return's reason field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QTableView, QWidget

from app.core import i18n
from tests.views.screens import screens, settle

KEY_COLUMNS = {  # their English titles (the catalogue's messages)
    "Total",
    "When",
    "Date",
    "Due",
    "Printer",
    "Name",
    "Product",
    "Customer",
    "Status",
    "State",
    "Document",
}
SIZES = [(1280, 800), (1024, 768)]


def cut_columns(view: QTableView) -> list[str]:
    """Key columns whose text would be elided or that lie beyond the visible width."""
    model, header = view.model(), view.horizontalHeader()
    keys = {i18n._(title) for title in KEY_COLUMNS}  # as the header says it in any language
    cut = []
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        if title not in keys or view.isColumnHidden(column):
            continue
        width = view.columnWidth(column)
        needed = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
        right = header.sectionViewportPosition(column) + width
        if (
            width < needed
            or right > view.viewport().width()
            or header.sectionViewportPosition(column) < 0
        ):
            cut.append(
                f"{view.objectName()}.{title} ({width}px of {needed}, ends at {right} "
                f"of {view.viewport().width()})"
            )
    return cut


def fit_problems(name: str, screen: QWidget) -> list[str]:
    found = []
    for view in screen.findChildren(QTableView):
        if view.isVisible():
            found += [f"{name}: {c}" for c in cut_columns(view)]
    return found


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_key_column_is_cut(shop, width, height):
    window = shop
    window.resize(width, height)
    settle()
    found: list[str] = []
    try:
        for name, screen in screens(window):
            assert window.width() == width, f"{name} does not fit: the window grew"
            found += fit_problems(name, screen)
    finally:
        window.resize(1280, 800)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_order_detail_fits_without_sideways_scrolling(shop, width, height):
    from tests.views.screens import a_shipped_order

    window = shop
    window.resize(width, height)
    try:
        screen = window.show_screen("Orders")
        screen.open_order(a_shipped_order(window))
        settle()
        detail = screen.detail
        assert detail.width() >= detail.minimumSizeHint().width()
        for area in detail.findChildren(QAbstractScrollArea):
            if area.isVisible():
                assert not area.horizontalScrollBar().isVisible(), area.objectName()
        link = detail.shipments  # where the tracking links are
        assert "href=" in link.text()
        assert link.width() >= link.minimumSizeHint().width()
        assert link.height() >= link.heightForWidth(link.width())
    finally:
        window.resize(1280, 800)


def test_return_reason_field_shows_its_whole_hint(qtbot, shop):
    from app.services.fulfilment import returns
    from app.views.fulfilment.return_dialog import ReturnDialog
    from tests.views.screens import a_shipped_order

    with shop.ctx.database.read() as s:
        lines = returns.returnable_lines(s, a_shipped_order(shop))
    dialog = ReturnDialog("SO-000001", lines, shop)
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    field = dialog.reason_edit
    hint = field.fontMetrics().horizontalAdvance(field.placeholderText())
    assert field.width() >= hint + 12


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_stock_history_shows_its_key_columns_whole(shop, width, height):
    """The ledger under the stock lines: when, who, from and to read whole once a row
    with moves is chosen (the origin column takes what is left)."""
    window = shop
    window.resize(width, height)
    try:
        inventory = window.show_screen("Inventory")
        tab = inventory.tab("Stock")
        settle()
        tab.table.selectRow(0)
        settle()
        assert tab.history.rowCount() > 0
        view = tab.history_table
        extra = {"User", "From", "To", "Qty", "Balance"}
        cut = cut_columns(view)
        model, header = view.model(), view.horizontalHeader()
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            needed = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
            right = header.sectionViewportPosition(column) + view.columnWidth(column)
            if title in extra and (
                view.columnWidth(column) < needed or right > view.viewport().width()
            ):
                cut.append(f"{title} ({view.columnWidth(column)}px of {needed})")
        assert cut == [], "\n".join(cut)
    finally:
        window.resize(1280, 800)
