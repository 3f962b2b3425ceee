"""Importing products with their barcodes and categories: matched by SKU.

A chunk of rows is checked against the database in a few IN queries (SKUs, barcodes) and
written with executemany statements, so 100,000 products import in seconds, not the
minutes a use-case call per row would take. Prices, costs and every other change are
audited per product ("product.created", "product.updated" with old -> new) and noted as
catalogue changes, so the counter picks up new prices at once. Barcodes are only added:
a code the product already has is left alone, one another product has is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session
from stdnum import ean

from app.core import audit, bulk, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import parse_file_amount, parse_quantity, parse_tax_rate, to_decimal
from app.core.number_format import PLAIN, NumberFormat
from app.core.settings import get_setting
from app.core.validation import MAX_QUANTITY, clean_text
from app.models import Barcode, Product, ProductToken, utcnow
from app.services.stock import tax_classes
from app.services.stock.barcode_rules import validate_barcode
from app.services.stock.categories import CategoryTree, split_path
from app.services.stock.search import tokens
from app.services.transfer.common import ADD, UNCHANGED, UPDATE, Plan, RowView

COMPARED = ("name", "description", "price", "cost", "tax_rate_bp", "tax_class", "weight_g")
GTIN_SYMBOLOGIES = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
MONEY = ("price", "cost")
_CODES = re.compile(r"[,;|]")
_PRODUCTS = Product.__table__


@dataclass
class ProductData:
    """A checked row: the values the file gives (None: the cell was empty)."""

    sku: str
    values: dict[str, Any] = field(default_factory=dict)
    codes: list[tuple[str, str]] = field(default_factory=list)  # new codes: (code, symbology)
    category: tuple[str, ...] | None = None
    product_id: int | None = None
    old: dict[str, Any] = field(default_factory=dict)


def check_sku(text: str) -> str:
    sku = clean_text(text, "SKU", max_length=64, required=True)
    if " " in sku:
        raise ValidationError(_("An SKU has no spaces."), "sku")
    return sku


def parse_grams(text: str, number: NumberFormat = PLAIN) -> int:
    return _whole(text.lower().removesuffix("g").strip(), "Weight in grams", 1, number)


def parse_kilograms(text: str, number: NumberFormat = PLAIN) -> int:
    return _whole(text.lower().removesuffix("kg").strip(), "Weight in kg", 1000, number)


def _whole(text: str, label: str, scale: int, number: NumberFormat) -> int:
    """A non-negative number (in the file's number format) times `scale`, which must come
    out whole (exact Decimal)."""
    if text.startswith(("-", "\u2212")):
        raise ValidationError(_("{label} cannot be negative.").format(label=label))
    value = parse_quantity(text, number, max_decimals=9) * scale
    if value != value.to_integral_value():
        raise ValidationError(
            _("{label} '{text}' is finer than a gram.").format(label=label, text=text)
        )
    if value > MAX_QUANTITY * 1000:
        raise ValidationError(
            _("{label} '{text}' is more than Kestrel accepts.").format(label=label, text=text)
        )
    return int(value)


def parse_codes(text: str) -> list[tuple[str, str]]:
    """'4006381333931|96385074' -> checked (code, symbology) pairs (python-stdnum digits)."""
    if "," not in text and ";" not in text and "|" not in text:
        return [_barcode(text)]  # one code: most rows
    return [_barcode(part.strip()) for part in _CODES.split(text) if part.strip()]


def _barcode(code: str) -> tuple[str, str]:
    """catalogue.validate_barcode, with a fast path for the plain GTIN of nearly every row:
    python-stdnum's check digit straight away, without its cleaning of the text."""
    symbology = GTIN_SYMBOLOGIES.get(len(code))
    if symbology and code.isdigit() and code.isascii():
        if ean.calc_check_digit(code[:-1]) == code[-1]:
            return code, symbology
    return validate_barcode(code)  # the words for a wrong digit, and every other kind


@lru_cache(maxsize=65536)
def _amount(text: str, currency: str, number: NumberFormat) -> int:
    """Prices repeat in a file (a thousand products at 9.99): each text is parsed once."""
    return parse_file_amount(text, currency, number)


@lru_cache(maxsize=512)
def _tax(text: str, number: NumberFormat) -> int:
    """'19', '7,5 %' (decimal comma file), '7.5%': the rate in basis points."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return parse_tax_rate(text)  # its words for a bare '%'
    try:
        value = parse_quantity(cleaned, number, max_decimals=9)
    except ValidationError:
        raise ValidationError(_("'{text}' is not a tax rate.").format(text=text)) from None
    return parse_tax_rate(str(value))


_category = lru_cache(maxsize=4096)(split_path)


class ProductImporter:
    def __init__(self, session: Session) -> None:
        self.currency: str = get_setting(session, "currency")
        self.tree = CategoryTree.load(session)
        self.classes = tax_classes.shop_classes(session)
        self.seen_skus: dict[str, int] = {}
        self.seen_codes: dict[str, int] = {}

    def plan(self, session: Session, views: list[RowView]) -> list[Plan]:
        skus = {v.text("sku") for v in views} - {""}
        existing = {
            row.sku: row
            for row in session.execute(
                select(_PRODUCTS).where(_PRODUCTS.c.sku.in_(skus))
            ).mappings()
        }
        codes = {
            code.replace(" ", "")
            for v in views
            for code in _CODES.split(v.text("barcode"))
            if code.strip()
        }
        owners = {
            code: (pid, sku, name)
            for code, pid, sku, name in session.execute(
                select(Barcode.code, Product.id, Product.sku, Product.name)
                .join(Product, Product.id == Barcode.product_id)
                .where(Barcode.code.in_(codes))
            )
        }
        return [self._plan_row(view, existing, owners) for view in views]

    def _plan_row(
        self,
        view: RowView,
        existing: dict[str, Any],
        owners: dict[str, tuple[int, str, str]],
    ) -> Plan:
        plan = view.plan
        sku = view.read("sku", check_sku)
        if not view.text("sku"):
            view.refuse("sku", "SKU is required")
        if sku is not None:
            if sku in self.seen_skus:
                view.refuse(
                    "sku",
                    _("SKU {sku} is also on row {row}").format(sku=sku, row=self.seen_skus[sku]),
                )
            else:
                self.seen_skus[sku] = view.row.number
        current = existing.get(sku) if sku else None
        data = ProductData(sku or "", self._values(view))
        self._tax(view, data.values, current)
        self._categorise(view, data)
        self._codes(view, data, current, owners)
        if current is None and sku is not None:
            if not view.text("name"):
                view.refuse(
                    "name",
                    _("A new product needs a name ({sku} is not in the catalogue)").format(sku=sku),
                )
            if not view.text("price"):
                view.refuse(
                    "price",
                    _("A new product needs a price ({sku} is not in the catalogue)").format(
                        sku=sku
                    ),
                )
        if not view.ok:
            return plan
        plan.data = data
        if current is None:
            plan.action = ADD
            return plan
        data.product_id = current["id"]
        changed = [k for k, v in data.values.items() if v is not None and v != current[k]]
        data.old = {k: current[k] for k in changed}
        data.values = {k: data.values[k] for k in changed}
        if data.category is not None and self.tree.find(data.category) == current["category_id"]:
            data.category = None
        plan.changed = (
            tuple(changed)
            + (("category",) if data.category else ())
            + (("barcodes",) if data.codes else ())
        )
        plan.action = UPDATE if plan.changed else UNCHANGED
        return plan

    def _values(self, view: RowView) -> dict[str, Any]:
        currency = self.currency
        weight = view.read_number("weight_g", parse_grams)
        if weight is None:
            weight = view.read_number("weight_kg", parse_kilograms)
        return {
            "name": view.read("name", lambda v: clean_text(v, "Name", max_length=200)),
            "description": view.read(
                "description", lambda v: clean_text(v, "Description", max_length=5000)
            ),
            "price": view.read_number("price", lambda v, n: _amount(v, currency, n)),
            "cost": view.read_number("cost", lambda v, n: _amount(v, currency, n)),
            "tax_rate_bp": view.read_number("tax", _tax),
            "tax_class": view.read("tax_class", lambda v: tax_classes.canonical(self.classes, v)),
            "weight_g": weight,
        }

    def _tax(self, view: RowView, values: dict[str, Any], current: Any) -> None:
        """A class brings its rate (a Tax % beside it must agree); a rate alone that is not
        the product's class's rate takes the product out of its class."""
        name, rate = values["tax_class"], values["tax_rate_bp"]
        if name:
            class_rate = self.classes[name]
            if rate is not None and rate != class_rate:
                view.refuse(
                    "tax",
                    _("Tax {rate} is not the rate of the class {name} ({class_rate})").format(
                        rate=f"{rate / 100:g} %", name=name, class_rate=f"{class_rate / 100:g} %"
                    ),
                )
            values["tax_rate_bp"] = class_rate
        elif rate is not None and current is not None and current["tax_class"]:
            if rate != current["tax_rate_bp"]:
                values["tax_class"] = tax_classes.OWN_RATE

    def _categorise(self, view: RowView, data: ProductData) -> None:
        data.category = view.read("category", _category)

    def _codes(
        self,
        view: RowView,
        data: ProductData,
        current: Any,
        owners: dict[str, tuple[int, str, str]],
    ) -> None:
        for code, symbology in view.read("barcode", parse_codes) or []:
            if code in self.seen_codes and self.seen_codes[code] != view.row.number:
                view.refuse(
                    "barcode",
                    _("Barcode {code} is also on row {row}").format(
                        code=code, row=self.seen_codes[code]
                    ),
                )
                continue
            self.seen_codes[code] = view.row.number
            owner = owners.get(code)
            if owner is None:
                if code not in (c for c, _ in data.codes):
                    data.codes.append((code, symbology))
            elif current is None or owner[0] != current["id"]:
                view.refuse(
                    "barcode",
                    _("Barcode {code} already belongs to {sku} '{name}'").format(
                        code=code, sku=owner[1], name=owner[2]
                    ),
                )

    def write(self, session: Session, actor: Actor, plans: list[Plan]) -> None:
        require(actor, Permission.CATALOGUE_EDIT)
        for plan in plans:
            if plan.data.category is not None:
                plan.data.values["category_id"] = self.tree.ensure(
                    session, actor, plan.data.category
                )
        adds = [p.data for p in plans if p.action == ADD]
        updates = [p.data for p in plans if p.action == UPDATE]
        self._add(session, actor, adds)
        self._update(session, actor, updates)
        self._add_codes(session, adds + updates)
        ids = [d.product_id for d in adds + updates if d.product_id is not None]
        if ids:
            changes.note(session, products=ids, kind="catalogue")

    def _add(self, session: Session, actor: Actor, adds: list[ProductData]) -> None:
        if not adds:
            return
        now = utcnow()
        rows = [
            {
                "sku": d.sku,
                "name": d.values["name"],
                "description": d.values["description"] or "",
                "price": d.values["price"],
                "cost": d.values["cost"] or 0,
                "tax_rate_bp": d.values["tax_rate_bp"] or 0,
                "tax_class": d.values["tax_class"] or "",
                "weight_g": d.values["weight_g"] or 0,
                "category_id": d.values.get("category_id"),
                "track_stock": True,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for d in adds
        ]
        result = session.execute(insert(_PRODUCTS).returning(_PRODUCTS.c.sku, _PRODUCTS.c.id), rows)
        made: dict[str, int] = {sku: pid for sku, pid in result}
        for d in adds:
            d.product_id = made[d.sku]
            audit.record(
                session,
                actor,
                "product.created",
                f"{audit.PRODUCT}{d.product_id}",
                f"imported {d.sku}: price {self._money(d.values['price'])}",
            )
        self._index(session, [(d.product_id, d.values["name"], d.sku) for d in adds])

    def _money(self, minor: int) -> str:
        return str(to_decimal(minor, self.currency))

    def _update(self, session: Session, actor: Actor, updates: list[ProductData]) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        now = utcnow()
        for d in updates:
            if not d.values:
                continue
            keys = tuple(sorted(d.values))
            groups.setdefault(keys, []).append({"b_id": d.product_id, **d.values, "now": now})
            audit.record(
                session,
                actor,
                "product.updated",
                f"{audit.PRODUCT}{d.product_id}",
                "imported: " + "; ".join(self._change(d, k) for k in keys),
            )
        for keys, params in groups.items():
            stmt = (
                update(_PRODUCTS)
                .where(_PRODUCTS.c.id == bindparam("b_id"))
                .values({k: bindparam(k) for k in keys} | {"updated_at": bindparam("now")})
            )
            session.execute(stmt, params)
        renamed = [(d.product_id, d.values["name"], d.sku) for d in updates if "name" in d.values]
        if renamed:
            session.execute(
                delete(ProductToken).where(ProductToken.product_id.in_([r[0] for r in renamed]))
            )
            self._index(session, renamed)

    def _change(self, d: ProductData, key: str) -> str:
        old, new = d.old.get(key), d.values[key]
        if key in MONEY:
            return f"{key} {self._money(old) if old is not None else ''} -> {self._money(new)}"
        if key == "description":
            return "description"
        if key == "category_id":
            return f"category -> {self.tree.path(new)}"
        return f"{key} {old} -> {new}"

    def _index(self, session: Session, products: list[tuple[int | None, str, str]]) -> None:
        rows = ((word, pid) for pid, name, sku in products for word in tokens(name, sku))
        bulk.insert_rows(session, ProductToken.__tablename__, ("token", "product_id"), rows)

    def _add_codes(self, session: Session, data: list[ProductData]) -> None:
        rows = ((code, d.product_id, 1, symbology) for d in data for code, symbology in d.codes)
        columns = ("code", "product_id", "pack_qty", "symbology")
        bulk.insert_rows(session, Barcode.__tablename__, columns, rows)
