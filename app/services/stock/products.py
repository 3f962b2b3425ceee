"""The catalogue editor's use cases: one product's detail, saving it whole with a version
check, its barcodes and case codes, archiving, and bulk edits of a selection.

catalogue.py keeps the rules for a single field (what a valid SKU, price or barcode is);
this module puts them together the way the editor and the bulk-edit dialog save: one
transaction per save, refused whole when any field is wrong, and refused with a
ConflictError when another workstation saved the same product since the editor read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ConflictError, NotFound, ValidationError
from app.core.i18n import _
from app.core.money import div_round_half_up
from app.core.validation import check_quantity, clean_text
from app.models import Barcode, Product, utcnow
from app.services.stock import barcode_rules, catalogue, categories
from app.services.stock.catalogue import BarcodeInput, ProductInput

MAX_PERCENT_BP = 100_000  # a bulk change by percent: between -100 % and +1000 %
MAX_BULK = 10_000  # products one bulk edit may change (a selection, not the catalogue)


@dataclass(frozen=True)
class BarcodeRow:
    code: str
    symbology: str
    pack_qty: int


@dataclass(frozen=True)
class ProductDetail:
    """Everything the editor shows, read in one query. `version` is handed back on save."""

    id: int
    sku: str
    name: str
    description: str
    unit: str
    price: int
    cost: int
    tax_rate_bp: int
    weight_g: int
    track_stock: bool
    archived: bool
    version: str
    barcodes: tuple[BarcodeRow, ...] = ()
    category: str = ""  # "Coffee > Beans", or "" for none
    tracking: str = "none"  # none | lot | serial (catalogue.TRACKING)
    tax_class: str = ""  # one of the shop's classes, or "" for a rate of its own
    dimensions_mm: tuple[int, int, int] = (0, 0, 0)  # length, width, height


@dataclass(frozen=True)
class ProductForm:
    """What the editor saves: all fields and the whole list of codes."""

    sku: str
    name: str
    price: int
    cost: int = 0
    tax_rate_bp: int = 0
    weight_g: int = 0
    track_stock: bool = True
    archived: bool = False
    description: str = ""
    unit: str = "pcs"
    barcodes: tuple[BarcodeInput, ...] = field(default_factory=tuple)
    category: str = ""  # a path; missing levels are made on save
    tracking: str = "none"  # none | lot | serial (catalogue.TRACKING)
    tax_class: str = ""  # a class of the shop's: the rate follows it, tax_rate_bp is ignored
    dimensions_mm: tuple[int, int, int] = (0, 0, 0)  # length, width, height; 0 = not given


@dataclass(frozen=True)
class BulkEdit:
    """A change for many products: a new price, or prices by a percentage (basis points:
    1000 is +10 %, -500 is -5 %, rounded half up to the cent), and/or a new tax rate or
    tax class (not both), and/or a category path ('' takes them out of their category)."""

    price: int | None = None
    percent_bp: int | None = None
    tax_rate_bp: int | None = None
    tax_class: str | None = None
    category: str | None = None


def _version(product_updated_at: object) -> str:
    """The editor's version token: when the row was last written (every ORM or Core
    update sets updated_at), so a save over another workstation's save is caught
    without a version column."""
    return str(product_updated_at)


def detail(session: Session, actor: Actor, product_id: int) -> ProductDetail:
    """One product and its codes, in one query (the editor opens on it)."""
    require(actor, Permission.CATALOGUE_VIEW)
    rows = session.execute(
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.description,
            Product.unit,
            Product.price,
            Product.cost,
            Product.tax_rate_bp,
            Product.weight_g,
            Product.track_stock,
            Product.active,
            Product.updated_at,
            Barcode.code,
            Barcode.symbology,
            Barcode.pack_qty,
            Product.category_id,
            Product.tracking,
            Product.tax_class,
            Product.length_mm,
            Product.width_mm,
            Product.height_mm,
        )
        .outerjoin(Barcode, Barcode.product_id == Product.id)
        .where(Product.id == product_id)
        .order_by(Barcode.pack_qty, Barcode.id)
    ).all()
    if not rows:
        raise NotFound(_("Product {product_id} does not exist.").format(product_id=product_id))
    first = rows[0]
    codes = tuple(BarcodeRow(r.code, r.symbology, r.pack_qty) for r in rows if r.code is not None)
    return ProductDetail(
        *first[:10],
        archived=not first.active,
        version=_version(first.updated_at),
        barcodes=codes,
        category=categories.CategoryTree.load(session).path(first.category_id),
        tracking=first.tracking,
        tax_class=first.tax_class,
        dimensions_mm=(first.length_mm, first.width_mm, first.height_mm),
    )


def _check_codes(items: tuple[BarcodeInput, ...]) -> dict[str, int]:
    seen: dict[str, int] = {}
    for item in items:
        code, _symbology = barcode_rules.validate_barcode(item.code)
        if code in seen:
            raise ValidationError(_("Barcode {code} is listed twice.").format(code=code), "barcode")
        seen[code] = check_quantity(item.pack_qty, "Pack quantity")
    return seen


def save(
    session: Session,
    actor: Actor,
    form: ProductForm,
    product_id: int | None = None,
    version: str = "",
) -> int:
    """Create the product (no id) or write the form over it, codes included, in the
    caller's transaction. A `version` older than the row's is a ConflictError: somebody
    saved this product since the editor opened it, and their change is not overwritten."""
    require(actor, Permission.CATALOGUE_EDIT)
    codes = _check_codes(form.barcodes)
    category_id = categories.resolve(session, actor, form.category)
    if product_id is None:
        new_id = catalogue.create_product(
            session,
            actor,
            ProductInput(
                form.sku,
                form.name,
                form.price,
                form.cost,
                form.tax_rate_bp,
                form.weight_g,
                form.track_stock,
                form.description,
                tuple(BarcodeInput(c, q) for c, q in codes.items()),
                form.unit,
                form.tracking,
                tax_class=form.tax_class,
                length_mm=form.dimensions_mm[0],
                width_mm=form.dimensions_mm[1],
                height_mm=form.dimensions_mm[2],
            ),
        )
        if form.archived:
            catalogue.update_product(session, actor, new_id, active=False)
        _set_category(session, new_id, category_id)
        return new_id
    product = session.get(Product, product_id, with_for_update=True)
    if product is None:
        raise NotFound(_("Product {product_id} does not exist.").format(product_id=product_id))
    if version and _version(product.updated_at) != version:
        raise ConflictError(
            _(
                "{sku} was changed on another workstation since you opened it: close "
                "the editor and open it again to see their change."
            ).format(sku=product.sku)
        )
    values = {
        "name": form.name,
        "description": form.description,
        "unit": form.unit,
        "price": form.price,
        "cost": form.cost,
        "tax_rate_bp": form.tax_rate_bp,
        "tax_class": form.tax_class,
        "weight_g": form.weight_g,
        "track_stock": form.track_stock,
        "active": not form.archived,
        "tracking": form.tracking,
        "length_mm": form.dimensions_mm[0],
        "width_mm": form.dimensions_mm[1],
        "height_mm": form.dimensions_mm[2],
    }
    catalogue.update_product(session, actor, product_id, **values)
    catalogue.change_sku(session, actor, product_id, form.sku)
    _sync_codes(session, actor, product, codes)
    _set_category(session, product_id, category_id)
    return product_id


def _set_category(session: Session, product_id: int, category_id: int | None) -> None:
    product = session.get(Product, product_id)
    if product is not None and product.category_id != category_id:
        product.category_id = category_id
        session.flush()


def _sync_codes(session: Session, actor: Actor, product: Product, codes: dict[str, int]) -> None:
    """Remove the codes the form dropped, add the new ones, change pack quantities."""
    held = {b.code: b for b in product.barcodes}
    gone = [code for code in held if code not in codes]
    if gone or any(held[c].pack_qty != q if c in held else True for c, q in codes.items()):
        product.updated_at = utcnow()  # the codes are part of what the version guards
    if gone:
        session.execute(
            delete(Barcode).where(Barcode.product_id == product.id, Barcode.code.in_(gone))
        )
        session.expire(product, ["barcodes"])
    for code, pack_qty in codes.items():
        if code not in held:
            catalogue.add_barcode(session, actor, product.id, code, pack_qty)
        elif held[code].pack_qty != pack_qty:
            held[code].pack_qty = pack_qty
    session.flush()
    changes.note(session, products=[product.id], kind="catalogue")


def _owned_code(session: Session, product_id: int, code: str) -> Barcode:
    clean = clean_text(code, "Barcode", max_length=64, required=True).replace(" ", "")
    found = session.scalar(
        select(Barcode).where(Barcode.product_id == product_id, Barcode.code == clean)
    )
    if found is None:
        raise NotFound(_("This product has no barcode {clean}.").format(clean=clean))
    return found


def remove_barcode(session: Session, actor: Actor, product_id: int, code: str) -> None:
    """Take a code off a product (a misprinted one, a supplier's old case code)."""
    require(actor, Permission.CATALOGUE_EDIT)
    session.delete(_owned_code(session, product_id, code))
    session.flush()
    changes.note(session, products=[product_id], kind="catalogue")


def set_pack_qty(session: Session, actor: Actor, product_id: int, code: str, pack_qty: int) -> None:
    """How many units a case code stands for (a scan of it sells or receives that many)."""
    require(actor, Permission.CATALOGUE_EDIT)
    _owned_code(session, product_id, code).pack_qty = check_quantity(pack_qty, "Pack quantity")
    session.flush()
    changes.note(session, products=[product_id], kind="catalogue")


def _selection(session: Session, product_ids: list[int]) -> list[Product]:
    ids = sorted(set(product_ids))
    if not ids:
        raise ValidationError(_("Choose at least one product first."))
    if len(ids) > MAX_BULK:
        raise ValidationError(
            _("One bulk edit changes at most {max_bulk:,} products.").format(max_bulk=MAX_BULK)
        )
    found = list(session.scalars(select(Product).where(Product.id.in_(ids)).order_by(Product.id)))
    if len(found) != len(ids):
        raise NotFound(_("Some of the chosen products no longer exist: search again."))
    return found


def set_archived(session: Session, actor: Actor, product_ids: list[int], archived: bool) -> int:
    """Archive (or bring back) products: kept with their history, out of the way."""
    require(actor, Permission.CATALOGUE_EDIT)
    selection = _selection(session, product_ids)
    for product in selection:
        catalogue.update_product(session, actor, product.id, active=not archived)
    return len(selection)


def bulk_edit(session: Session, actor: Actor, product_ids: list[int], change: BulkEdit) -> int:
    """Apply one price, tax and/or category change to every chosen product, all or nothing
    (the caller's transaction), each price change audited. Returns how many were changed."""
    require(actor, Permission.CATALOGUE_EDIT)
    percent = _check_bulk(change)
    category_id = None
    if change.category is not None:
        category_id = categories.resolve(session, actor, change.category)
    selection = _selection(session, product_ids)
    for product in selection:
        values: dict[str, object] = {}
        if change.price is not None:
            values["price"] = change.price
        if percent is not None:
            values["price"] = div_round_half_up(product.price * (10_000 + percent), 10_000)
        if change.tax_rate_bp is not None:
            values["tax_rate_bp"] = change.tax_rate_bp
        if change.tax_class is not None:
            values["tax_class"] = change.tax_class
        if values:
            catalogue.update_product(session, actor, product.id, **values)
    if change.category is not None:
        _bulk_category(session, actor, selection, category_id)
    return len(selection)


def _check_bulk(change: BulkEdit) -> int | None:
    """The change's percentage, once the change is one that can be made."""
    if change.price is not None and change.percent_bp is not None:
        raise ValidationError(_("Set a price or change prices by a percentage, not both."), "price")
    if change.tax_rate_bp is not None and change.tax_class is not None:
        raise ValidationError(_("Set a tax rate or a tax class, not both."), "tax_class")
    if all(
        value is None
        for value in (
            change.price,
            change.percent_bp,
            change.tax_rate_bp,
            change.tax_class,
            change.category,
        )
    ):
        raise ValidationError(
            _("Say what to change: a price, a percentage, a tax rate or class, or a category.")
        )
    percent = change.percent_bp
    if percent is not None and (
        isinstance(percent, bool)
        or not isinstance(percent, int)
        or not -10_000 <= percent <= MAX_PERCENT_BP
    ):
        raise ValidationError(_("A change by percent is between -100 % and +1000 %."), "percent")
    return percent


def _bulk_category(
    session: Session, actor: Actor, selection: list[Product], category_id: int | None
) -> None:
    moved = [p for p in selection if p.category_id != category_id]
    for product in moved:
        product.category_id = category_id
    session.flush()
    if moved:
        path = categories.CategoryTree.load(session).path(category_id) or "no category"
        audit.record(
            session, actor, "product.category", f"{len(moved)} product(s)", f"moved to {path}"
        )
        changes.note(session, products=[p.id for p in moved], kind="catalogue")


_DIMENSION = re.compile(r"\s*(\d{1,5}(?:[.,]\d)?)\s*")


def parse_dimensions(text: str) -> tuple[int, int, int]:
    """'30 x 20 x 10' (centimetres, one decimal at most, 'x', '×' or '*' between) ->
    millimetres (300, 200, 100); empty is (0, 0, 0): not given. Anything else is refused
    in words, never guessed."""
    cleaned = text.strip().lower().removesuffix("cm").strip()
    if not cleaned:
        return (0, 0, 0)
    parts = re.split(r"[x×*]", cleaned)
    if len(parts) != 3 or not all(_DIMENSION.fullmatch(p) for p in parts):
        raise ValidationError(
            _(
                "Dimensions '{value}': type length x width x height in cm, like 30 x 20 x 10.5."
            ).format(value=text.strip()[:40]),
            "dimensions",
        )
    mm = [round(float(p.strip().replace(",", ".")) * 10) for p in parts]
    return (mm[0], mm[1], mm[2])


def dimensions_text(mm: tuple[int, int, int]) -> str:
    """(300, 200, 105) -> '30 x 20 x 10.5' (what parse_dimensions reads back); '' for none."""
    if not any(mm):
        return ""
    return " x ".join(f"{v / 10:g}" for v in mm)
