"""Variants: the sizes and colours of one template product, each a product of its own
(its own SKU, barcodes, price and stock), made from the template's axes in one step.

A variant's SKU is the template's with its values (TEE-M-BLUE); its name the template's
with them ("T-shirt (M, Blue)"); it starts with the template's price, cost, tax, unit,
category and tracking, and is edited like any product from then on. Making the variants
again with more values adds only the new combinations: the existing ones are kept.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import Product, StockLevel
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductInput

MAX_AXES = 3
MAX_VALUES = 30
MAX_VARIANTS = 200
_SKU_PART = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class VariantRow:
    id: int
    sku: str
    name: str
    attrs: str
    price: int
    on_hand: int
    active: bool


def _template(session: Session, sku: str) -> Product:
    wanted = clean_text(sku, "SKU", max_length=64, required=True)
    product = session.scalar(select(Product).where(func.lower(Product.sku) == wanted.lower()))
    if product is None:
        raise NotFound(_("There is no product with SKU {wanted!r}.").format(wanted=wanted))
    if product.template_id is not None:
        raise ValidationError(
            _("{sku} is itself a variant: make variants of its template.").format(sku=product.sku),
            "sku",
        )
    return product


def check_axes(axes: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """The axes cleaned: 1 to 3 named axes, each 1 to 30 distinct values, at most 200
    combinations; refused in words otherwise."""
    if not axes:
        raise ValidationError(_("Name at least one axis, like size=S,M,L."), "axes")
    if len(axes) > MAX_AXES:
        raise ValidationError(
            _("At most {max_axes} axes (size, colour, ...).").format(max_axes=MAX_AXES), "axes"
        )
    cleaned: list[tuple[str, list[str]]] = []
    for raw_name, raw_values in axes.items():
        name = clean_text(raw_name, "Axis", max_length=30, required=True)
        values: list[str] = []
        for raw in raw_values:
            value = clean_text(raw, name, max_length=30).strip()
            if value and value.lower() not in {v.lower() for v in values}:
                values.append(value)
        if not values:
            raise ValidationError(_("The axis {name} has no values.").format(name=name), "axes")
        if len(values) > MAX_VALUES:
            raise ValidationError(
                _("The axis {name} has more than {max_values} values.").format(
                    name=name, max_values=MAX_VALUES
                ),
                "axes",
            )
        cleaned.append((name, values))
    total = 1
    for _name, values in cleaned:
        total *= len(values)
    if total > MAX_VARIANTS:
        raise ValidationError(
            _("{total} combinations is more than {max_variants}: split the range.").format(
                total=total, max_variants=MAX_VARIANTS
            ),
            "axes",
        )
    return cleaned


def _sku_for(template: Product, values: tuple[str, ...]) -> str:
    parts = [_SKU_PART.sub("-", v).strip("-").upper() for v in values]
    sku = "-".join([template.sku, *parts])
    if len(sku) > 64:
        raise ValidationError(
            _("The variant SKU {sku} is longer than 64 characters.").format(sku=sku), "axes"
        )
    return sku


def make_variants(
    session: Session, actor: Actor, template_sku: str, axes: dict[str, list[str]]
) -> list[int]:
    """The template's variants for every combination of the axes' values; returns the ids
    of those made now (existing combinations are kept as they are)."""
    require(actor, Permission.CATALOGUE_EDIT)
    template = _template(session, template_sku)
    cleaned = check_axes(axes)
    existing = set(
        session.scalars(select(Product.variant_attrs).where(Product.template_id == template.id))
    )
    made: list[int] = []
    for values in itertools.product(*(vals for _name, vals in cleaned)):
        attrs = ", ".join(
            f"{name}: {value}" for (name, _v), value in zip(cleaned, values, strict=True)
        )
        if attrs in existing:
            continue
        product_id = catalogue.create_product(
            session,
            actor,
            ProductInput(
                sku=_sku_for(template, values),
                name=f"{template.name} ({', '.join(values)})"[:200],
                price=template.price,
                cost=template.cost,
                tax_rate_bp=template.tax_rate_bp,
                tax_class=template.tax_class,
                weight_g=template.weight_g,
                length_mm=template.length_mm,
                width_mm=template.width_mm,
                height_mm=template.height_mm,
                track_stock=template.track_stock,
                description=template.description,
                unit=template.unit,
                tracking=template.tracking,
            ),
        )
        variant = session.get_one(Product, product_id)
        variant.template_id = template.id
        variant.variant_attrs = attrs
        variant.category_id = template.category_id
        made.append(product_id)
    session.flush()
    if made:
        audit.record(
            session,
            actor,
            "catalogue.variants",
            template.sku,
            f"{len(made)} variant(s) made: {', '.join(n for n, _v in cleaned)}",
        )
    return made


def variants_of(session: Session, actor: Actor, template_sku: str) -> list[VariantRow]:
    """The template's variants by SKU, with what is on hand of each in all bins."""
    require(actor, Permission.CATALOGUE_VIEW)
    template = _template(session, template_sku)
    on_hand = (
        select(func.coalesce(func.sum(StockLevel.on_hand), 0))
        .where(StockLevel.product_id == Product.id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.variant_attrs,
            Product.price,
            on_hand,
            Product.active,
        )
        .where(Product.template_id == template.id)
        .order_by(Product.id)
        .limit(MAX_VARIANTS * 2)
    ).all()
    return [VariantRow(r[0], r[1], r[2], r[3], r[4], int(r[5]), r[6]) for r in rows]
