"""Import and Export from each screen that holds what they carry: customers and suppliers
on the Customers screen's tabs, stock levels on the Products/Inventory screen; a cancelled
import writes nothing; export then import of the same file changes nothing; a named
mapping is chosen by its name for a file of another layout; the bad-rows model is sound."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Location, Product
from app.services.purchasing import suppliers
from app.services.sales.customers import search_customers
from app.services.stock import catalogue
from app.services.stock.integrity import check
from app.views.customers.screen import CustomersScreen
from app.views.products.screen import ProductsScreen
from tests.views.transfer.helpers import (
    click,
    import_through_dialog,
    open_import,
    preview_file,
    write_csv,
)


def shown(qtbot, screen):
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_customers_and_suppliers_from_their_tabs(qtbot, ctx, settle, tmp_path):
    screen = shown(qtbot, CustomersScreen(ctx))
    settle()
    people = write_csv(
        tmp_path / "people.csv",
        [
            ["Full name", "E-mail address", "Phone"],
            ["Imma Porter", "imma@example.org", "0871234567"],
            ["No Mail", "not-an-email", ""],
        ],
        delimiter=",",
    )
    dialog = import_through_dialog(qtbot, screen.customers, people, "customers", skip_bad=True)
    assert [(r.row, r.column) for r in dialog.bad.rows()] == [(3, "E-mail address")]
    with ctx.database.read() as s:
        assert [c.email for c in search_customers(s, "imma@example.org")] == ["imma@example.org"]
    dialog.reject()
    screen.tabs.setCurrentWidget(screen.suppliers)
    makers = write_csv(
        tmp_path / "makers.csv", [["Name", "Email"], ["Roastery Ltd", "r@example.org"]]
    )
    import_through_dialog(qtbot, screen.suppliers, makers, "suppliers")
    with ctx.database.read() as s:
        names = [r.name for r in suppliers.list_suppliers(s, ctx.actor, "Roastery")]
    assert names == ["Roastery Ltd"]


def test_stock_levels_from_the_inventory_screen(qtbot, ctx, settle, tmp_path):
    with ctx.database.read() as s:
        product_id, sku = s.execute(select(Product.id, Product.sku).order_by(Product.id)).first()
        bin_code = s.scalar(select(Location.code).where(Location.code == "SHOP-COUNTER"))
    path = write_csv(tmp_path / "count.csv", [["SKU", "Bin", "Qty"], [sku, bin_code, "41"]])
    screen = shown(qtbot, ProductsScreen(ctx))
    settle()
    import_through_dialog(qtbot, screen, path, "stock")
    with ctx.database.read() as s:
        levels = {r.location_code: r.on_hand for r in catalogue.product_stock(s, product_id)}
        assert levels[bin_code] == 41
        assert check(s) == []


def test_a_cancelled_import_writes_nothing(qtbot, ctx, settle, tmp_path):
    rows = [["SKU", "Name", "Price"]] + [[f"IMPC-{i}", f"Item {i}", "1.00"] for i in range(30_000)]
    path = write_csv(tmp_path / "big.csv", rows)
    screen = shown(qtbot, ProductsScreen(ctx))
    settle()
    dialog = open_import(qtbot, screen)
    preview_file(qtbot, dialog, path)
    assert "30,000 new" in dialog.counts.text()
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(dialog.cancel_button.isEnabled, timeout=10_000)
    click(qtbot, dialog.cancel_button)
    settle(60_000)
    assert dialog.summary.text() == "The import was stopped: nothing was written."
    with ctx.database.read() as s:
        assert catalogue.products_page(s, "IMPC", 0, 10) == []


def test_export_then_import_changes_nothing(qtbot, ctx, settle, tmp_path):
    screen = shown(qtbot, ProductsScreen(ctx))
    settle()
    target = tmp_path / "all.xlsx"
    screen.transfer.export_to("products", target)
    settle()
    assert "exported to all.xlsx" in screen.message.text()
    dialog = open_import(qtbot, screen)
    preview_file(qtbot, dialog, target)
    counts = dialog.preview.counts
    assert counts.rows > 0 and (counts.added, counts.updated, counts.refused_total) == (0, 0, 0)


def test_a_named_mapping_for_a_file_of_another_layout(qtbot, ctx, settle, tmp_path, qtmodeltester):
    first = write_csv(tmp_path / "a.csv", [["Code", "Title", "Amount"], ["IMPN-1", "One", "1.00"]])
    screen = shown(qtbot, ProductsScreen(ctx))
    settle()
    dialog = open_import(qtbot, screen)
    preview_file(qtbot, dialog, first)
    dialog.mapping.choose("Code", "sku")
    dialog.mapping.choose("Title", "name")
    dialog.mapping.choose("Amount", "price")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30_000)
    settle()
    dialog.save_name.setText("supplier list")
    click(qtbot, dialog.import_button)
    settle()
    assert dialog.result is not None, dialog.summary.text()
    dialog.reject()
    other = write_csv(
        tmp_path / "b.csv", [["Title", "Amount", "Code", "Extra"], ["Two", "2.00", "IMPN-2", "x"]]
    )
    dialog = open_import(qtbot, screen)
    dialog.mapping_name.setText("supplier list")
    preview_file(qtbot, dialog, other)
    assert dialog.preview is not None and "1 new" in dialog.counts.text()
    qtmodeltester.check(dialog.bad)
