"""Products and barcodes: create, update, and find by barcode, SKU or words of the name."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, exists, func, insert, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.settings import get_setting
from app.core.validation import check_millimetres, check_money, check_quantity, clean_text
from app.models import (
    Barcode,
    Location,
    LocationKind,
    Product,
    ProductToken,
    StockLevel,
)
from app.services.stock import categories, lots, tax_classes
from app.services.stock.barcode_rules import validate_barcode
from app.services.stock.search import matching_ids, query_words, tokens
from app.services.stock.tracking_kinds import TRACKING  # re-exported: catalogue.TRACKING

EDITABLE = (
    "name",
    "unit",
    "description",
    "price",
    "cost",
    "tax_rate_bp",
    "tax_class",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
    "track_stock",
    "active",
    "tracking",
)


@dataclass(frozen=True)
class BarcodeInput:
    code: str
    pack_qty: int = 1


@dataclass(frozen=True)
class ProductInput:
    sku: str
    name: str
    price: int
    cost: int = 0
    tax_rate_bp: int = 0
    weight_g: int = 0
    track_stock: bool = True
    description: str = ""
    barcodes: tuple[BarcodeInput, ...] = field(default_factory=tuple)
    unit: str = "pcs"
    tracking: str = "none"  # a key of TRACKING
    tax_class: str = ""  # one of the shop's classes: its rate wins over tax_rate_bp
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0


@dataclass(frozen=True)
class ProductRow:
    """A frozen product row for lists and the counter."""

    id: int
    sku: str
    name: str
    price: int
    tax_rate_bp: int
    track_stock: bool
    active: bool
    on_hand: int = 0
    reserved: int = 0
    tax_class: str = ""


@dataclass(frozen=True)
class ProductHit:
    """What a scan resolved to: the product and how many units the code stands for."""

    product_id: int
    sku: str
    name: str
    price: int
    tax_rate_bp: int
    pack_qty: int
    matched: str  # "barcode" or "sku"
    active: bool = True  # an archived product is still found, so the scan can say why not


@dataclass(frozen=True)
class StockRow:
    location_id: int
    location_code: str
    location_name: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def _check_sku(sku: object) -> str:
    clean = clean_text(sku, "SKU", max_length=64, required=True)
    if " " in clean:
        raise ValidationError(_("An SKU has no spaces."), "sku")
    return clean


def _check_unit(unit: object) -> str:
    return clean_text(unit, "Unit", max_length=20) or "pcs"


def _ensure_sku_free(session: Session, sku: str, product_id: int | None = None) -> None:
    owner = session.scalar(select(Product.id).where(Product.sku == sku))
    if owner is not None and owner != product_id:
        raise ValidationError(
            _("The SKU {sku} is already used by another product.").format(sku=sku), "sku"
        )


def _ensure_barcode_free(session: Session, code: str) -> None:
    owner = session.execute(
        select(Product.sku, Product.name).join(Barcode).where(Barcode.code == code)
    ).first()
    if owner is not None:
        raise ValidationError(
            _("Barcode {code} already belongs to {sku} '{name}'.").format(
                code=code, sku=owner.sku, name=owner.name
            ),
            "barcode",
        )


def _reindex(session: Session, product: Product) -> None:
    session.execute(delete(ProductToken).where(ProductToken.product_id == product.id))
    words = tokens(product.name, product.sku)
    if words:
        session.execute(
            insert(ProductToken), [{"token": w, "product_id": product.id} for w in words]
        )


def create_product(session: Session, actor: Actor, data: ProductInput) -> int:
    require(actor, Permission.CATALOGUE_EDIT)
    sku = _check_sku(data.sku)
    _ensure_sku_free(session, sku)
    tax_class, rate = tax_classes.resolve(session, data.tax_class, _check_tax(data.tax_rate_bp))
    product = Product(
        sku=sku,
        name=clean_text(data.name, "Name", max_length=200, required=True),
        description=clean_text(data.description, "Description", max_length=5000),
        unit=_check_unit(data.unit),
        price=check_money(data.price, "Price"),
        cost=check_money(data.cost, "Cost"),
        tax_rate_bp=rate,
        tax_class=tax_class,
        weight_g=check_quantity(data.weight_g, "Weight", allow_zero=True),
        length_mm=check_millimetres(data.length_mm, "Length"),
        width_mm=check_millimetres(data.width_mm, "Width"),
        height_mm=check_millimetres(data.height_mm, "Height"),
        track_stock=bool(data.track_stock),
        tracking=_check_tracking(data.tracking),
    )
    seen: set[str] = set()
    for item in data.barcodes:
        code, symbology = validate_barcode(item.code)
        if code in seen:
            raise ValidationError(_("Barcode {code} is listed twice.").format(code=code), "barcode")
        seen.add(code)
        _ensure_barcode_free(session, code)
        product.barcodes.append(
            Barcode(
                code=code,
                symbology=symbology,
                pack_qty=check_quantity(item.pack_qty, "Pack quantity"),
            )
        )
    session.add(product)
    session.flush()
    _reindex(session, product)
    changes.note(session, products=[product.id], kind="catalogue")
    return product.id


def _check_tracking(value: object) -> str:
    if not isinstance(value, str) or value not in TRACKING:
        raise ValidationError(
            "Tracking is one of: " + ", ".join(TRACKING.values()).lower() + ".", "tracking"
        )
    return value


def _check_tax(rate: object) -> int:
    if isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= 10_000:
        raise ValidationError(_("A tax rate is between 0 and 100 %."), "tax_rate_bp")
    return rate


def update_product(session: Session, actor: Actor, product_id: int, **values: object) -> None:
    """Change some fields of a product; a new price or cost goes into the audit log with
    the old one, and the change notice makes the counter and every list read it again."""
    require(actor, Permission.CATALOGUE_EDIT)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_("Product {product_id} does not exist.").format(product_id=product_id))
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: {value}.").format(
                value=", ".join(sorted(unknown))
            )
        )
    checks: dict[str, Callable[[object], object]] = {
        "unit": _check_unit,
        "name": lambda v: clean_text(v, "Name", max_length=200, required=True),
        "description": lambda v: clean_text(v, "Description", max_length=5000),
        "price": lambda v: check_money(v, "Price"),
        "cost": lambda v: check_money(v, "Cost"),
        "tax_rate_bp": _check_tax,
        "weight_g": lambda v: check_quantity(v, "Weight", allow_zero=True),
        "length_mm": lambda v: check_millimetres(v, "Length"),
        "width_mm": lambda v: check_millimetres(v, "Width"),
        "height_mm": lambda v: check_millimetres(v, "Height"),
        "track_stock": bool,
        "active": bool,
        "tracking": _check_tracking,
    }
    clean = {key: checks[key](value) for key, value in values.items() if key != "tax_class"}
    if clean.get("tracking", product.tracking) != product.tracking:
        lots.ensure_no_lots_on_hand(session, product)
    _follow_class(session, product, values, clean)
    _audit_prices(session, actor, product, clean)
    for key, value in clean.items():
        setattr(product, key, value)
    session.flush()
    if "name" in values:
        _reindex(session, product)
    changes.note(session, products=[product.id], kind="catalogue")


def _follow_class(
    session: Session, product: Product, values: dict[str, object], clean: dict[str, object]
) -> None:
    """A class given brings its rate; a rate given alone that is not the product's class's
    leaves the class (the product now has a rate of its own)."""
    if "tax_class" in values:
        rate = clean.get("tax_rate_bp", product.tax_rate_bp)
        assert isinstance(rate, int)
        clean["tax_class"], clean["tax_rate_bp"] = tax_classes.resolve(
            session, values["tax_class"], rate
        )
    elif "tax_rate_bp" in clean and product.tax_class:
        if clean["tax_rate_bp"] != tax_classes.shop_classes(session).get(product.tax_class):
            clean["tax_class"] = tax_classes.OWN_RATE


def change_sku(session: Session, actor: Actor, product_id: int, sku: str) -> None:
    """Give a product another SKU (a typo, a new numbering): its own step, since labels
    printed with the old SKU stop matching it."""
    require(actor, Permission.CATALOGUE_EDIT)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_("Product {product_id} does not exist.").format(product_id=product_id))
    clean = _check_sku(sku)
    if clean == product.sku:
        return
    _ensure_sku_free(session, clean, product.id)
    product.sku = clean
    session.flush()
    _reindex(session, product)
    changes.note(session, products=[product.id], kind="catalogue")


def _audit_prices(
    session: Session, actor: Actor, product: Product, values: dict[str, object]
) -> None:
    """Who changed a price or a cost, from what to what (before the new values are set)."""
    said = []
    for key, label in (("price", "price"), ("cost", "cost")):
        new = values.get(key)
        old = getattr(product, key)
        if isinstance(new, int) and new != old:
            currency = str(get_setting(session, "currency"))
            said.append(f"{label} {format_money(old, currency)} -> {format_money(new, currency)}")
    if said:
        audit.record(
            session, actor, "product.price", f"{audit.PRODUCT}{product.id}", "; ".join(said)
        )


def add_barcode(
    session: Session, actor: Actor, product_id: int, code: str, pack_qty: int = 1
) -> None:
    require(actor, Permission.CATALOGUE_EDIT)
    if session.get(Product, product_id) is None:
        raise NotFound(_("Product {product_id} does not exist.").format(product_id=product_id))
    code, symbology = validate_barcode(code)
    _ensure_barcode_free(session, code)
    session.add(
        Barcode(
            product_id=product_id,
            code=code,
            symbology=symbology,
            pack_qty=check_quantity(pack_qty, "Pack quantity"),
        )
    )
    session.flush()
    changes.note(session, products=[product_id], kind="catalogue")


def find_by_code(session: Session, code: str) -> ProductHit | None:
    """A scanned or typed code: a barcode first, then an exact SKU. Both are unique indexes."""
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > 64:
        return None
    code = clean_text(code, "Code", max_length=64)
    row = session.execute(
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.price,
            Product.tax_rate_bp,
            Barcode.pack_qty,
            Product.active,
        )
        .join(Barcode, Barcode.product_id == Product.id)
        .where(Barcode.code == code)
    ).first()
    if row is not None:
        return ProductHit(row[0], row[1], row[2], row[3], row[4], row[5], "barcode", row[6])
    sku_row = session.execute(
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.price,
            Product.tax_rate_bp,
            Product.active,
        ).where(Product.sku == code)
    ).first()
    if sku_row is not None:
        r = sku_row
        return ProductHit(r[0], r[1], r[2], r[3], r[4], 1, "sku", r[5])
    return None


_BY_SKU = (
    select(Product.id).order_by(Product.sku).offset(bindparam("offset")).limit(bindparam("limit"))
)


def search_products(
    session: Session,
    text: str = "",
    offset: int = 0,
    limit: int = 100,
    category_ids: Collection[int] | None = None,
) -> list[ProductRow]:
    """A page of products: by SKU when browsing, by catalogue order when searching words;
    only those in `category_ids` when given."""
    if query_words(text):
        extra = []
        if category_ids is not None:
            extra.append(
                exists().where(
                    Product.id == ProductToken.product_id, Product.category_id.in_(category_ids)
                )
            )
        ids = matching_ids(
            session, ProductToken.token, ProductToken.product_id, text, offset, limit, extra
        )
    else:
        page = {"offset": offset, "limit": limit}
        if category_ids is None:
            ids = list(session.connection().scalars(_BY_SKU, page))
        else:
            stmt = _BY_SKU.where(Product.category_id.in_(category_ids))
            ids = list(session.connection().scalars(stmt, page))
    return product_rows(session, ids)


def products_page(
    session: Session, text: str, offset: int, limit: int, category_id: int | None = None
) -> list[ProductRow]:
    """The Products screen's list: a scanned or typed code shows its one product (a
    barcode's pack of 12 included), anything else searches the names and SKUs; with a
    category, only the products in it and in the categories under it."""
    text = text.strip()
    within = None
    if category_id is not None:
        within = categories.CategoryTree.load(session).subtree(category_id)
    if offset == 0 and text:
        hit = find_by_code(session, text)
        if hit is not None:
            return product_rows(session, [hit.product_id])
    return search_products(session, text, offset, limit, within)


_ROW_TOTALS = (
    select(StockLevel.product_id, func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved))
    .where(StockLevel.product_id.in_(bindparam("ids", expanding=True)))
    .group_by(StockLevel.product_id)
)
_ROWS = select(
    Product.id,
    Product.sku,
    Product.name,
    Product.price,
    Product.tax_rate_bp,
    Product.track_stock,
    Product.active,
    Product.tax_class,
).where(Product.id.in_(bindparam("ids", expanding=True)))


def product_rows(session: Session, ids: list[int]) -> list[ProductRow]:
    """Frozen rows with stock totals for these ids, in this order (prebuilt: issue 20); an
    id that is gone is left out (a list re-reading its stale rows)."""
    if not ids:
        return []
    connection = session.connection()
    params = {"ids": ids}
    totals = {
        pid: (on_hand, reserved)
        for pid, on_hand, reserved in connection.execute(_ROW_TOTALS, params)
    }
    rows = {r.id: r for r in connection.execute(_ROWS, params)}
    out = []
    for pid in ids:
        r = rows.get(pid)
        if r is None:
            continue
        on_hand, reserved = totals.get(pid, (0, 0))
        out.append(
            ProductRow(
                *r[:7], on_hand=int(on_hand or 0), reserved=int(reserved or 0), tax_class=r[7]
            )
        )
    return out


def product_stock(session: Session, product_id: int) -> list[StockRow]:
    """Stock of one product per internal location, in pick sequence."""
    return [
        StockRow(*row)
        for row in session.execute(
            select(
                Location.id, Location.code, Location.name, StockLevel.on_hand, StockLevel.reserved
            )
            .join(StockLevel, StockLevel.location_id == Location.id)
            .where(StockLevel.product_id == product_id, Location.kind == LocationKind.INTERNAL)
            .order_by(Location.pick_sequence, Location.code)
        )
    ]


def scanned_item(session: Session, code: str) -> tuple[ProductHit, int]:
    """What a scan at a bench stands for: the product and how many units (a case code, a
    GS1 count). A bad or unknown code is a ValidationError in words."""
    from app.services.stock.scanning import parse_scan

    scan = parse_scan(code)
    if not scan.ok:
        raise ValidationError(scan.error)
    for candidate in scan.codes or (code,):
        hit = find_by_code(session, candidate)
        if hit is not None:
            return hit, hit.pack_qty * scan.quantity
    raise ValidationError(_("Unknown code {value}: no product has it.").format(value=code.strip()))


def tracked_ids(session: Session, product_ids: Iterable[int]) -> set[int]:
    """Which of these products have their stock counted (not services or gift cards)."""
    return set(
        session.scalars(
            select(Product.id).where(
                Product.id.in_(set(product_ids)), Product.track_stock.is_(True)
            )
        )
    )
