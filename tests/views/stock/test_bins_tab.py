"""The Bins tab (views/stock/bins_tab.py): the warehouse's tree, a bin added under a
zone, its label printed with a barcode that scans, an empty bin retired; what a bin holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import PrintJob


def _find(tab, code):
    hits = tab.tree_model.match(
        tab.tree_model.index(0, 0),
        Qt.ItemDataRole.DisplayRole,
        code,
        1,
        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
    )
    return hits[0] if hits else None


def test_add_a_bin_print_its_label_and_retire_it(qtbot, qtmodeltester, inventory, ctx, settle):
    import zxingcpp
    from PIL import ImageOps

    from app.printing.preview import receipt_image

    _window, screen = inventory
    tab = screen.tab("Bins")
    settle()
    assert tab.warehouse.currentData() == "MAIN"
    qtmodeltester.check(tab.tree_model)
    zone = _find(tab, "MAIN-A")
    assert zone is not None and zone.parent().data() == "MAIN"
    tab.tree.setCurrentIndex(zone)
    tab.code.setText("main-a99")
    tab.name.setText("Overflow shelf")
    tab.sequence.setValue(0)
    tab.buttons["add_bin"].click()
    settle()
    assert tab.message.text() == "Added bin MAIN-A99."
    added = _find(tab, "MAIN-A99")
    assert added is not None and added.parent().data() == "MAIN-A"
    assert tab.chosen().code == "MAIN-A99" and tab.chosen().name == "Overflow shelf"
    tab.name.setText("Overflow, top")
    tab.buttons["rename"].click()
    settle()
    assert tab.message.text() == "Renamed MAIN-A99."
    tab.sequence.setValue(3)
    tab.buttons["sequence"].click()
    settle()
    assert tab.message.text() == "MAIN-A99 is now #3 in the walk."
    moved = _find(tab, "MAIN-A99")
    assert (moved.siblingAtColumn(1).data(), moved.siblingAtColumn(2).data()) == (
        "Overflow, top",
        "3",
    )
    tab.buttons["label"].click()
    settle()
    assert tab.message.text() == "Label for MAIN-A99 sent to the label printer."
    with ctx.database.read() as s:
        job = s.scalars(select(PrintJob).order_by(PrintJob.id.desc())).first()
    assert job.document == "bin-labels"
    picture = receipt_image(job.payload, {}, 80)  # the preview label printer: ESC/POS raster
    found = zxingcpp.read_barcodes(ImageOps.expand(picture, border=20, fill=255))
    assert [b.text for b in found] == ["MAIN-A99"]
    tab.buttons["retire"].click()
    settle()
    assert tab.message.text() == "MAIN-A99 is out of use."
    retired = _find(tab, "MAIN-A99")
    assert retired.siblingAtColumn(4).data() == "retired"


def test_a_full_bin_shows_its_contents_and_is_not_retired(qtbot, qtmodeltester, inventory, settle):
    _window, screen = inventory
    tab = screen.tab("Bins")
    settle()
    full = next(code for code, row in tab.rows.items() if row.kind == "internal" and row.on_hand)
    tab.tree.setCurrentIndex(_find(tab, full))
    settle()
    assert tab.contents.rowCount() > 0
    qtmodeltester.check(tab.contents)
    assert sum(tab.contents.row(i).on_hand for i in range(tab.contents.rowCount())) == (
        tab.rows[full].on_hand
    )
    tab.buttons["retire"].click()
    settle()
    assert f"{full} still holds" in tab.message.text()
