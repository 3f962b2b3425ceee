"""Products in the shop's tax classes: a product names a class ("Standard", "Reduced") and
its tax_rate_bp follows that class's rate (Settings -> Shop), so a new rate is typed once,
not on every product. A product with no class ('') keeps a rate of its own.

The rate is still stored on every product (the counter, orders and reports read it from
there, as before classes); this module keeps the stored rates equal to their classes' rates:
on every save of a product, and for all products of a class in one UPDATE when the class's
rate changes.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.settings import get_setting
from app.core.validation import clean_text
from app.models import Product

OWN_RATE = ""  # the product's tax_class when its rate is its own
NAME_MAX = 20  # products.tax_class holds this many characters


def shop_classes(session: Session) -> dict[str, int]:
    """The shop's classes, name -> rate in basis points, as stored in the settings."""
    return dict(get_setting(session, "tax_classes"))


def choices(session: Session, actor: Actor) -> dict[str, int]:
    """The classes the editor and the bulk edit offer."""
    require(actor, Permission.CATALOGUE_VIEW)
    return shop_classes(session)


def canonical(classes: dict[str, int], name: object) -> str:
    """The class's name as the shop spells it ('standard' -> 'Standard'); '' for none.
    A name the shop has no class for is refused, naming the classes it has."""
    given = clean_text(name, "Tax class", max_length=100)
    if not given:
        return OWN_RATE
    folded = given.casefold()
    for known in classes:
        if known.casefold() == folded:
            return known
    have = ", ".join(classes) or "none yet"
    raise ValidationError(
        _("There is no tax class '{given}' (the shop's classes: {have}).").format(
            given=given, have=have
        ),
        "tax_class",
    )


def resolve(session: Session, name: object, rate: int) -> tuple[str, int]:
    """(class, rate) for a product: a class brings its rate; no class keeps `rate`."""
    classes = shop_classes(session)
    known = canonical(classes, name)
    return (known, classes[known]) if known else (OWN_RATE, rate)


def follow_classes(
    session: Session, actor: Actor, before: dict[str, int], after: dict[str, int]
) -> int:
    """The products' side of a change to the shop's classes (shop.update_shop calls it
    before storing them): a class whose rate changed re-rates all its products in one
    UPDATE, audited; a class spelled anew renames on its products; a class that is gone
    while products are in it is refused, so no product is left naming a class that is
    not there. Returns how many products changed."""
    require(actor, Permission.SETTINGS_MANAGE)
    folded = {name.casefold(): name for name in after}
    changed = 0
    for old_name, old_rate in before.items():
        new_name = folded.get(old_name.casefold())
        if new_name is None:
            _refuse_if_used(session, old_name)
            continue
        new_rate = after[new_name]
        if new_name == old_name and new_rate == old_rate:
            continue
        ids = list(
            session.scalars(
                update(Product)
                .where(Product.tax_class == old_name)
                .values(tax_class=new_name, tax_rate_bp=new_rate)
                .returning(Product.id)
                .execution_options(synchronize_session=False)
            )
        )
        if ids:
            changed += len(ids)
            audit.record(
                session,
                actor,
                "product.tax_class",
                f"tax class {new_name}",
                f"{_percent(old_rate)} -> {_percent(new_rate)} on {len(ids)} product(s)"
                + (f" (was spelled {old_name})" if new_name != old_name else ""),
            )
            changes.note(session, products=ids, kind="catalogue")
    return changed


def _refuse_if_used(session: Session, name: str) -> None:
    used = session.scalar(select(func.count(Product.id)).where(Product.tax_class == name)) or 0
    if used:
        raise ValidationError(
            _(
                "{used} product(s) are in the tax class '{name}': give them another "
                "class first (Products, Bulk edit), then remove it."
            ).format(used=used, name=name),
            "tax_classes",
        )


def _percent(rate_bp: int) -> str:
    return f"{rate_bp / 100:g} %"
