"""Exporting products, customers, suppliers or stock levels to CSV or XLSX.

The columns are the ones the import reads (headers.FIELDS' labels), every value written
as text (money as '12.50', tax as '20', barcodes with their leading zeros), so exporting
a file and importing it again changes nothing. Rows are read a page at a time and the file
is written beside the target and renamed into place at the end: a failed export leaves no
half-written file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.money import to_decimal
from app.core.settings import get_setting
from app.models import (
    Address,
    Barcode,
    Location,
    LocationKind,
    Party,
    Product,
    ReorderRule,
    StockLevel,
    Warehouse,
)
from app.services.stock.categories import CategoryTree
from app.services.transfer.headers import fields
from app.services.transfer.readers import file_format

PAGE = 2000
Report = Callable[[str, int, int], None]
PRODUCT_COLUMNS = (
    "sku",
    "name",
    "description",
    "price",
    "cost",
    "tax",
    "tax_class",
    "barcode",
    "category",
    "weight_g",
)
PARTY_COLUMNS = (
    "email",
    "name",
    "phone",
    "street",
    "street2",
    "city",
    "postcode",
    "region",
    "country",
)
SUPPLIER_COLUMNS = (*PARTY_COLUMNS, "code")
STOCK_COLUMNS = ("sku", "warehouse", "bin", "quantity")
RULE_COLUMNS = ("sku", "warehouse", "min", "max", "multiple", "supplier")


def header(kind: str) -> list[str]:
    labels = {f.key: f.label for f in fields(kind)}
    columns = {
        "products": PRODUCT_COLUMNS,
        "stock": STOCK_COLUMNS,
        "suppliers": SUPPLIER_COLUMNS,
        "reorder-rules": RULE_COLUMNS,
    }.get(kind, PARTY_COLUMNS)
    return [labels[key] for key in columns]


def tax_text(rate_bp: int) -> str:
    """2000 -> '20', 750 -> '7.5': what parse_tax_rate reads back."""
    return format(Decimal(rate_bp).scaleb(-2).normalize(), "f")


def export(
    session: Session, actor: Actor, kind: str, path: Path | str, report: Report | None = None
) -> int:
    """Write every row of `kind` to `path` (.csv or .xlsx); returns how many rows."""
    require(actor, Permission.DATA_EXPORT)
    path = Path(path)
    fmt = file_format(path)
    rows, total = _rows(session, kind)
    partial = path.with_name(f".{path.name}.partial")
    try:
        count = (_write_csv if fmt == "csv" else _write_xlsx)(
            partial, header(kind), rows, total, report
        )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _rows(session: Session, kind: str) -> tuple[Iterator[list[str]], int]:
    fields(kind)
    if kind == "products":
        return _products(session), session.scalar(select(func.count(Product.id))) or 0
    if kind == "stock":
        return _stock(session), 0
    if kind == "reorder-rules":
        return _reorder_rules(session), 0
    supplier = kind == "suppliers"
    role = Party.is_supplier if supplier else Party.is_customer
    where = (role.is_(True), Party.is_walk_in.is_(False))
    total = session.scalar(select(func.count(Party.id)).where(*where)) or 0
    return _parties(session, where, supplier), total


def _pages(session: Session, stmt: Any, id_column: Any) -> Iterator[Sequence[Any]]:
    """Keyset pages by id: every page is one indexed range read, however big the table."""
    last = 0
    while True:
        page = session.execute(stmt.where(id_column > last).order_by(id_column).limit(PAGE)).all()
        if not page:
            return
        yield page
        last = page[-1].id


def _products(session: Session) -> Iterator[list[str]]:
    currency: str = get_setting(session, "currency")
    tree = CategoryTree.load(session)
    stmt = select(
        Product.id,
        Product.sku,
        Product.name,
        Product.description,
        Product.price,
        Product.cost,
        Product.tax_rate_bp,
        Product.tax_class,
        Product.category_id,
        Product.weight_g,
    )
    for page in _pages(session, stmt, Product.id):
        codes: dict[int, list[str]] = {}
        for pid, code in session.execute(
            select(Barcode.product_id, Barcode.code)
            .where(Barcode.product_id.in_([p.id for p in page]))
            .order_by(Barcode.id)
        ):
            codes.setdefault(pid, []).append(code)
        for p in page:
            yield [
                p.sku,
                p.name,
                p.description,
                str(to_decimal(p.price, currency)),
                str(to_decimal(p.cost, currency)),
                tax_text(p.tax_rate_bp),
                p.tax_class,
                "|".join(codes.get(p.id, ())),
                tree.path(p.category_id),
                str(p.weight_g),
            ]


def _parties(session: Session, where: tuple[Any, ...], supplier: bool) -> Iterator[list[str]]:
    stmt = select(Party.id, Party.email, Party.name, Party.phone, Party.code).where(*where)
    for page in _pages(session, stmt, Party.id):
        addresses: dict[int, Any] = {}
        for row in session.execute(
            select(Address)
            .where(Address.party_id.in_([p.id for p in page]))
            .order_by(Address.is_default.asc(), Address.id.desc())
        ).scalars():
            addresses[row.party_id] = row  # the default, else the first: as the import reads
        for p in page:
            a = addresses.get(p.id)
            place = [a.line1, a.line2, a.city, a.postcode, a.region, a.country] if a else [""] * 6
            code = [p.code or ""] if supplier else []
            yield [p.email, p.name, p.phone, *place, *code]


def _stock(session: Session) -> Iterator[list[str]]:
    stmt = (
        select(Product.sku, Warehouse.code, Location.code, StockLevel.on_hand)
        .join(Product, Product.id == StockLevel.product_id)
        .join(Location, Location.id == StockLevel.location_id)
        .outerjoin(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(Location.kind == LocationKind.INTERNAL, StockLevel.on_hand > 0)
        .order_by(Product.sku, Location.code)
        .execution_options(yield_per=PAGE)
    )
    for sku, warehouse, bin_code, on_hand in session.execute(stmt):
        yield [sku, warehouse or "", bin_code, str(on_hand)]


def _reorder_rules(session: Session) -> Iterator[list[str]]:
    """The supplier by its code, else its name: what the rules import reads back."""
    stmt = (
        select(
            Product.sku,
            Warehouse.code,
            ReorderRule.min_qty,
            ReorderRule.max_qty,
            ReorderRule.multiple,
            Party.code,
            Party.name,
        )
        .join(Product, Product.id == ReorderRule.product_id)
        .join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
        .outerjoin(Party, Party.id == ReorderRule.supplier_id)
        .order_by(Warehouse.code, Product.sku)
        .execution_options(yield_per=PAGE)
    )
    for sku, warehouse, low, high, multiple, code, name in session.execute(stmt):
        yield [sku, warehouse, str(low), str(high), str(multiple), code or name or ""]


def _write_csv(
    path: Path, head: list[str], rows: Iterator[list[str]], total: int, report: Report | None
) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(head)
        for row in rows:
            writer.writerow(row)
            count += 1
            if report is not None and count % PAGE == 0:
                report("exporting", count, total)
    return count


def _write_xlsx(
    path: Path, head: list[str], rows: Iterator[list[str]], total: int, report: Report | None
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(head)
    count = 0

    def text(value: str) -> Any:
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # a name that starts with '=' stays text, never a formula
        return cell

    for row in rows:
        sheet.append([text(v) for v in row])
        count += 1
        if report is not None and count % PAGE == 0:
            report("exporting", count, total)
    book.save(path)
    return count
