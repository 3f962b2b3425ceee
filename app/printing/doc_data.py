"""The plain data the PDF documents are drawn from (an order, its lines, pick lines, a
purchase order). Kept apart from pdf.py so the services that gather it do not import
ReportLab until a PDF is drawn (issue 20: start-up and memory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DocLine:
    sku: str
    name: str
    quantity: int
    unit_price: int = 0
    total: int = 0
    tax_rate_bp: int = 0
    tax: int = 0


@dataclass(frozen=True)
class DocOrder:
    number: str
    date: datetime
    customer: str
    ship_to: tuple[str, ...]
    email: str
    lines: tuple[DocLine, ...]
    subtotal: int = 0
    tax_total: int = 0
    total: int = 0
    currency: str = "EUR"
    gross_stored: bool = True  # the sale's prices included tax (core/tax.py)


@dataclass(frozen=True)
class PickLine:
    location_code: str
    pick_sequence: int
    sku: str
    name: str
    quantity: int
    order_number: str


@dataclass(frozen=True)
class PurchaseDocLine:
    sku: str
    supplier_sku: str
    name: str
    quantity: int
    unit_cost: int


@dataclass(frozen=True)
class PurchaseDoc:
    number: str
    date: datetime
    supplier: tuple[str, ...]  # name, address lines, e-mail
    deliver_to: tuple[str, ...]  # warehouse name and code
    currency: str
    lines: tuple[PurchaseDocLine, ...]
    note: str = ""
