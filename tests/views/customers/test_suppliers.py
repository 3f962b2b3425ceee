"""The Suppliers tab: create a supplier (a bad currency is refused naming the field), give
it terms for a product with the cost typed as money, change them."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Product
from app.services.purchasing import suppliers
from app.views.customers.suppliers import SuppliersPage


def test_a_supplier_and_its_product_terms(qtbot, ctx, settle):
    with ctx.database.read() as s:
        product_id, sku = s.execute(select(Product.id, Product.sku).limit(1)).one()
    page = SuppliersPage(ctx)
    qtbot.addWidget(page)
    settle()
    dialog = page.new_supplier()
    qtbot.keyClicks(dialog.fields["name"], "Bean Co")
    dialog.fields["currency"].setText("EURO")
    dialog.accept()
    settle()
    assert "Currency" in dialog.error.text()
    dialog.fields["currency"].setText("EUR")
    dialog.lead.setValue(10)
    dialog.accept()
    settle()
    assert not dialog.isVisible() and [r.name for r in page.model.rows()] == ["Bean Co"]
    page.table.selectRow(0)
    settle()
    dialog = page.add_terms()
    qtbot.keyClicks(dialog.sku, sku)
    qtbot.keyClicks(dialog.supplier_sku, "BC-77")
    qtbot.keyClicks(dialog.cost, "4.50")
    dialog.pack.setValue(6)
    dialog.accept()
    settle()
    assert not dialog.isVisible()
    assert [(r.sku, r.cost, r.pack_size) for r in page.terms.rows()] == [(sku, 450, 6)]
    page.terms_table.selectRow(0)
    dialog = page.edit_terms()
    dialog.cost.setText("-1")
    dialog.accept()
    settle()
    assert dialog.isVisible() and dialog.error.text()
    dialog.cost.setText("4.25")
    dialog.accept()
    settle()
    with ctx.database.read() as s:
        terms = suppliers.product_suppliers(s, ctx.actor, product_id)
    assert [(t.supplier_name, t.cost) for t in terms] == [("Bean Co", 425)]
