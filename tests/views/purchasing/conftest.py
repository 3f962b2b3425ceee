"""The Purchasing screen's GUI fixtures: the main window on Purchasing with the scanner
filter installed (scans arrive as a scanner sends them), and a supplier with a draft
purchase order of two demo products made through the services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.core.bootstrap import default_warehouse_id
from app.models import Barcode, Product, Warehouse
from app.services.purchasing import orders, suppliers
from app.services.purchasing.orders import LineInput
from app.views.main_window import MainWindow
from app.views.scanner import ScannerFilter
from tests.views.conftest import show_active


@dataclass(frozen=True)
class Draft:
    number: str
    warehouse: str
    skus: tuple[str, str]
    codes: tuple[str, str]  # a unit barcode of each


@pytest.fixture
def purchasing(qtbot, qapp, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    screen = window.show_screen("Purchasing")
    settle()
    yield window, screen
    qapp.removeEventFilter(scanner)


def two_plain_products(ctx) -> list[tuple[str, str]]:
    """(SKU, unit barcode) of two stock-tracked demo products without lots or serials."""
    with ctx.database.read() as s:
        rows = s.execute(
            select(Product.sku, Barcode.code)
            .join(Barcode, Barcode.product_id == Product.id)
            .where(Product.track_stock.is_(True), Product.tracking == "none", Barcode.pack_qty == 1)
            .order_by(Product.id)
        ).all()
    seen: dict[str, str] = {}
    for sku, code in rows:
        seen.setdefault(sku, code)
    return list(seen.items())[:2]


@pytest.fixture
def draft(ctx) -> Draft:
    """A draft PO to a new supplier 'GUI': 2 of the first product, 1 of the second."""
    (sku_a, code_a), (sku_b, code_b) = two_plain_products(ctx)
    with ctx.database.write() as s:
        suppliers.create_supplier(s, ctx.actor, suppliers.SupplierInput("Goods In Ltd", code="GUI"))
        warehouse = s.get(Warehouse, default_warehouse_id(s)).code
        number = orders.create_order(
            s, ctx.actor, "GUI", warehouse, [LineInput(sku_a, 2), LineInput(sku_b, 1, 125)]
        )
    return Draft(number, warehouse, (sku_a, sku_b), (code_a, code_b))
