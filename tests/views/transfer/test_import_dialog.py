"""The import wizard (issue 15 item 2) driven from the screens' buttons: bad rows listed
with row, column and reason; all-or-nothing writes nothing; skip-bad writes the good rows;
Cancel stops a big preview; a changed mapping changes the result and is remembered for
the file's layout; Windows-1252 and XLSX files; no permission, no button."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from app.config import WorkstationSettings
from app.core import auth
from app.services.stock import catalogue
from app.services.transfer.headers import saved_for_layout
from app.views.app import build_context
from app.views.products.screen import ProductsScreen
from tests.views.transfer.helpers import (
    click,
    import_through_dialog,
    open_import,
    preview_file,
    write_csv,
)

HEAD = ["SKU", "Name", "Price"]


def products(ctx, text="IMPT"):
    with ctx.database.read() as s:
        return {r.sku: (r.name, r.price) for r in catalogue.products_page(s, text, 0, 500)}


def screen_of(qtbot, ctx):
    screen = ProductsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_a_bad_row_is_listed_and_all_or_nothing_writes_nothing(qtbot, ctx, settle, tmp_path):
    path = write_csv(
        tmp_path / "new.csv",
        [
            HEAD,
            ["IMPT-1", "Good one", "2.50"],
            ["IMPT-2", "Bad price", "-1"],
            ["IMPT-3", "Good two", "3.00"],
        ],
    )
    screen = screen_of(qtbot, ctx)
    settle()
    dialog = import_through_dialog(qtbot, screen, path)
    rows = dialog.bad.rows()
    assert [(r.row, r.column) for r in rows] == [(3, "Price")]
    assert "negative" in rows[0].reason.lower() or "price" in rows[0].reason.lower()
    assert "2 new" in dialog.counts.text() and "1 bad" in dialog.counts.text()
    assert "nothing was written" in dialog.summary.text()
    assert dialog.stage.text() == "Nothing was written."
    assert products(ctx) == {}
    with ctx.database.read() as s:  # the mapping is remembered all the same
        assert saved_for_layout(s, "products", tuple(HEAD))["sku"] == "SKU"
    click(qtbot, dialog.skip_bad)
    click(qtbot, dialog.import_button)
    settle()
    assert dialog.result is not None and dialog.result.added == 2, dialog.summary.text()
    assert "1 bad row skipped" in dialog.summary.text()
    assert dialog.stage.text() == "Import finished."  # seen in the real window: "Writing…" stayed
    assert products(ctx) == {"IMPT-1": ("Good one", 250), "IMPT-3": ("Good two", 300)}


def test_cancel_during_a_big_preview(qtbot, ctx, settle, tmp_path):
    rows = [HEAD] + [[f"IMPT-{i}", f"Item {i}", "1.00"] for i in range(80_000)]
    path = write_csv(tmp_path / "big.csv", rows)
    screen = screen_of(qtbot, ctx)
    settle()
    dialog = open_import(qtbot, screen)
    dialog.set_path(path)
    qtbot.waitUntil(dialog.cancel_button.isEnabled, timeout=30_000)
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 1000, timeout=30_000)
    click(qtbot, dialog.cancel_button)
    settle(60_000)
    assert dialog.stage.text() == "Preview stopped."
    assert dialog.preview is None and not dialog.import_button.isEnabled()
    assert dialog.preview_button.isEnabled() and not dialog.cancel_button.isEnabled()


def test_a_changed_mapping_changes_the_result_and_is_remembered(qtbot, ctx, settle, tmp_path):
    path = write_csv(
        tmp_path / "odd.csv",
        [["Code", "Title", "Amount", "Price"], ["IMPT-7", "Seven", "7.00", "-5"]],
    )
    screen = screen_of(qtbot, ctx)
    settle()
    dialog = open_import(qtbot, screen)
    preview_file(qtbot, dialog, path)
    assert dialog.preview is None and "No column for SKU" in dialog.summary.text()
    dialog.mapping.choose("Code", "sku")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30_000)
    settle()
    assert [(r.row, r.column) for r in dialog.bad.rows()] == [(2, "Price")]
    dialog.mapping.choose("Price", "")
    dialog.mapping.choose("Amount", "price")
    dialog.mapping.choose("Title", "name")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30_000)
    settle()
    assert dialog.bad.rows() == [] and "1 new" in dialog.counts.text()
    click(qtbot, dialog.import_button)
    settle()
    assert products(ctx) == {"IMPT-7": ("Seven", 700)}
    with ctx.database.read() as s:
        saved = saved_for_layout(s, "products", ("Code", "Title", "Amount", "Price"))
    assert saved is not None and saved["sku"] == "Code" and saved["price"] == "Amount"
    dialog.reject()
    again = open_import(qtbot, screen)  # the same layout: mapped as the user left it
    preview_file(qtbot, again, path)
    assert again.mapping.columns()["price"] == "Amount"
    assert "1 unchanged" in again.counts.text()


def test_a_windows_1252_file(qtbot, ctx, settle, tmp_path):
    path = write_csv(
        tmp_path / "latin.csv", [HEAD, ["IMPT-W", "Crème brûlée – 5 €", "4.00"]], encoding="cp1252"
    )
    screen = screen_of(qtbot, ctx)
    settle()
    dialog = import_through_dialog(qtbot, screen, path)
    assert "1252" in dialog.described.text() or "Latin" in dialog.described.text()
    assert products(ctx) == {"IMPT-W": ("Crème brûlée – 5 €", 400)}


def test_an_xlsx_file(qtbot, ctx, settle, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in ([*HEAD, "EAN"], ["IMPT-X", "From Excel", 12.5, "4006381333931"]):
        sheet.append(row)
    book.save(tmp_path / "book.xlsx")
    screen = screen_of(qtbot, ctx)
    settle()
    import_through_dialog(qtbot, screen, tmp_path / "book.xlsx")
    assert products(ctx) == {"IMPT-X": ("From Excel", 1250)}
    assert products(ctx, "4006381333931") == {"IMPT-X": ("From Excel", 1250)}


def test_a_clerk_without_the_permission_sees_why(qtbot, store, tmp_path):
    database, admin = store
    with database.write() as s:
        made = auth.create_user(s, admin, "carl", "carl-pass-1", auth.Role.CASHIER, "Carl")
    carl = auth.Actor(made.user_id, "carl", "Carl", auth.Role.CASHIER, "till-1")
    context = build_context(database, carl, WorkstationSettings(workstation_name="till-1"))
    try:
        screen = ProductsScreen(context)
        qtbot.addWidget(screen)
        button = screen.findChild(QPushButton, "import_products")
        assert not button.isEnabled() and "data.import" in button.toolTip()
        assert screen.transfer.open_import("products") is None
    finally:
        context.bridge.close()


def test_the_files_number_format_is_shown_and_can_be_changed(qtbot, german, settle, tmp_path):
    """A German file's numbers: seen as decimal comma by the preview (said in German);
    choosing dot-decimal makes '1.234,50' a bad row, not a guess; the choice is saved with
    the mapping and the next preview of that layout reads by it."""
    from app.core.number_format import NumberFormat
    from app.services.transfer.headers import saved_number

    path = write_csv(
        tmp_path / "artikel.csv",
        [HEAD, ["IMPT-D", "Mühle", "1.234,50"], ["IMPT-E", "Tasse", "12,5"]],
        encoding="cp1252",
    )
    screen = screen_of(qtbot, german)
    settle()
    dialog = open_import(qtbot, screen)
    preview_file(qtbot, dialog, path)
    assert dialog.preview is not None and dialog.preview.ok, dialog.summary.text()
    assert dialog.preview.number == NumberFormat(",", ".")
    assert dialog.numbers.seen.text().startswith("In der Datei erkannt:")
    assert "Komma" in dialog.numbers.seen.text()
    dialog.numbers.decimal.setCurrentIndex(dialog.numbers.decimal.findData("."))
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog._running, timeout=60_000)
    settle()
    assert [(r.row, r.column) for r in dialog.bad.rows()] == [(2, "Price"), (3, "Price")]
    dialog.numbers.decimal.setCurrentIndex(dialog.numbers.decimal.findData(","))
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.ok, timeout=60_000)
    assert not dialog.numbers.grouping.currentData() == ","  # the partner of a comma
    click(qtbot, dialog.import_button)
    settle()
    assert dialog.result is not None and dialog.result.added == 2, dialog.summary.text()
    assert products(german) == {"IMPT-D": ("Mühle", 123450), "IMPT-E": ("Tasse", 1250)}
    with german.database.read() as s:
        assert saved_number(s, "products", tuple(HEAD)) == NumberFormat(",", ".")


def test_a_german_file_typed_into_the_path_field_previews_itself(qtbot, german, settle, tmp_path):
    """Found under Xvfb: Enter in the path field also pressed the dialog's default button
    (Choose file…), and a German header row needed a hand-made mapping. Now Enter previews
    and the German columns map themselves; the file is described in German."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    path = write_csv(
        tmp_path / "artikel.csv",
        [["Artikelnummer", "Bezeichnung", "VK-Preis"], ["IMPT-G", "Mühle", "1.234,50"]],
        encoding="cp1252",
    )
    screen = screen_of(qtbot, german)
    settle()
    dialog = open_import(qtbot, screen)
    opened: list[str] = []

    def close_any_file_chooser() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QFileDialog):
            opened.append(modal.windowTitle())
            modal.reject()

    chooser_watch = QTimer(dialog, interval=50)
    chooser_watch.timeout.connect(close_any_file_chooser)
    chooser_watch.start()
    dialog.path.setFocus()
    qtbot.keyClicks(dialog.path, str(path))  # a person typing a path, not a scanner
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=60_000)  # still open
    chooser_watch.stop()
    assert opened == []
    assert dialog.preview.columns == {
        "sku": "Artikelnummer",
        "name": "Bezeichnung",
        "price": "VK-Preis",
    }
    assert "Semikolons" in dialog.described.text()
