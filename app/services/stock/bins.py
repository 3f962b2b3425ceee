"""The location tree of each warehouse: zones and bins added, renamed, put in walking
order, retired once empty; a bin's contents.

Changing the tree needs Permission.STOCK_ADJUST, not SETTINGS_MANAGE: retiring a bin or
moving it in the walk changes where stock may be and how pickers walk, the same trust as
correcting a count; a stock keeper given adjust rights should run the shelves without
also getting the printers, users and shop settings. (Today both belong to managers and
administrators.) Reading the tree is CATALOGUE_VIEW, like every stock list.

A bin's code is what its label's barcode carries, so it never changes once made: a new
name is a rename, a new code is a new bin.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ConflictError, NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import check_quantity, clean_text
from app.models import (
    Location,
    LocationKind,
    LotLevel,
    Product,
    StockCountBin,
    StockLevel,
    Warehouse,
)

KINDS = {"bin": LocationKind.INTERNAL, "zone": LocationKind.VIEW}
CHANGE_KIND = "locations"


@dataclass(frozen=True)
class BinRow:
    """A node of a warehouse's tree: a zone (kind "view") or a bin ("internal")."""

    id: int
    code: str
    name: str
    kind: str
    warehouse: str
    parent: str  # the parent's code, "" at the top
    pick_sequence: int
    active: bool
    on_hand: int  # units in it (a bin; 0 for a zone)


@dataclass(frozen=True)
class BinContent:
    product_id: int
    sku: str
    name: str
    on_hand: int
    reserved: int


def _warehouse(session: Session, code: str) -> Warehouse:
    wanted = clean_text(code, "Warehouse", max_length=20, required=True).upper()
    warehouse = session.scalar(select(Warehouse).where(func.upper(Warehouse.code) == wanted))
    if warehouse is None:
        raise NotFound(_("There is no warehouse {wanted!r}.").format(wanted=wanted))
    return warehouse


def _location(session: Session, code: str) -> Location:
    wanted = clean_text(code, "Bin", max_length=40, required=True)
    found = session.scalar(select(Location).where(Location.code == wanted.upper()))
    found = found or session.scalar(select(Location).where(Location.code == wanted))
    if found is None or found.warehouse_id is None:
        raise NotFound(
            _("There is no bin or zone {wanted!r} in any warehouse.").format(wanted=wanted)
        )
    return found


def list_bins(session: Session, actor: Actor, warehouse_code: str = "") -> list[BinRow]:
    """Every zone and bin (active or not) of one warehouse, or of all, by warehouse then
    walking order: what the Bins tab draws as a tree and `kestrel bin list` prints."""
    require(actor, Permission.CATALOGUE_VIEW)
    stmt = (
        select(Location, Warehouse.code)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(Location.kind.in_([LocationKind.INTERNAL, LocationKind.VIEW]))
        .order_by(Warehouse.code, Location.pick_sequence, Location.code)
    )
    if warehouse_code:
        stmt = stmt.where(Warehouse.id == _warehouse(session, warehouse_code).id)
    rows = session.execute(stmt).all()
    ids = [loc.id for loc, _ in rows]
    units: dict[int, int] = {
        location_id: int(total or 0)
        for location_id, total in session.execute(
            select(StockLevel.location_id, func.sum(StockLevel.on_hand))
            .where(StockLevel.location_id.in_(ids))
            .group_by(StockLevel.location_id)
        )
    }
    codes = {loc.id: loc.code for loc, _ in rows}
    return [
        BinRow(
            loc.id,
            loc.code,
            loc.name,
            loc.kind,
            warehouse,
            codes.get(loc.parent_id, "") if loc.parent_id else "",
            loc.pick_sequence,
            loc.active,
            units.get(loc.id, 0),
        )
        for loc, warehouse in rows
    ]


def add_location(
    session: Session,
    actor: Actor,
    code: str,
    warehouse_code: str,
    *,
    name: str = "",
    parent_code: str = "",
    sequence: int | None = None,
    kind: str = "bin",
) -> int:
    """A new bin (or zone) in a warehouse, under a zone of it (else under the warehouse's
    top node); without a sequence it goes last in the walk. Returns its id."""
    require(actor, Permission.STOCK_ADJUST)
    if kind not in KINDS:
        raise ValidationError(
            _("A location is a bin or a zone, not {kind!r}.").format(kind=kind), "kind"
        )
    code = clean_text(code, "Code", max_length=40, required=True).upper()
    if any(ch.isspace() for ch in code):
        raise ValidationError(
            _("A bin code is printed as a barcode: {code!r} has a space.").format(code=code), "code"
        )
    name = clean_text(name, "Name", max_length=120) or code
    warehouse = _warehouse(session, warehouse_code)
    if session.scalar(select(Location.id).where(func.upper(Location.code) == code)) is not None:
        raise ConflictError(
            _("There is already a location {code}: choose another code.").format(code=code)
        )
    parent = _parent(session, warehouse, parent_code)
    if sequence is None:
        last = session.scalar(
            select(func.max(Location.pick_sequence)).where(
                Location.warehouse_id == warehouse.id, Location.pick_sequence < 10**9
            )
        )
        sequence = int(last or 0) + 1
    sequence = check_quantity(sequence, "Pick sequence", allow_zero=True)
    location = Location(
        code=code,
        name=name,
        kind=KINDS[kind].value,
        warehouse_id=warehouse.id,
        parent_id=parent.id if parent else None,
        pick_sequence=sequence,
        active=True,
    )
    session.add(location)
    session.flush()
    audit.record(session, actor, f"location.add.{kind}", code, f"{warehouse.code} #{sequence}")
    changes.note(session, kind=CHANGE_KIND)
    return location.id


def _parent(session: Session, warehouse: Warehouse, parent_code: str) -> Location | None:
    if not parent_code:  # the warehouse's top node, if it has one
        return session.scalar(
            select(Location).where(
                Location.warehouse_id == warehouse.id,
                Location.kind == LocationKind.VIEW,
                Location.parent_id.is_(None),
            )
        )
    parent = _location(session, parent_code)
    if parent.warehouse_id != warehouse.id:
        raise ValidationError(
            _("{code} is not in warehouse {code2}.").format(code=parent.code, code2=warehouse.code),
            "parent",
        )
    if parent.kind != LocationKind.VIEW:
        raise ValidationError(
            _("{code} is a bin; a bin goes under a zone, not another bin.").format(
                code=parent.code
            ),
            "parent",
        )
    return parent


def rename(session: Session, actor: Actor, code: str, name: str) -> None:
    """A bin's or zone's name (its code, on the label, stays)."""
    require(actor, Permission.STOCK_ADJUST)
    location = _location(session, code)
    location.name = clean_text(name, "Name", max_length=120, required=True)
    audit.record(session, actor, "location.rename", location.code, location.name)
    changes.note(session, kind=CHANGE_KIND)


def set_sequence(session: Session, actor: Actor, code: str, sequence: int) -> None:
    """Where a bin comes in the walk: pick lists follow the sequence, lowest first."""
    require(actor, Permission.STOCK_ADJUST)
    location = _location(session, code)
    location.pick_sequence = check_quantity(sequence, "Pick sequence", allow_zero=True)
    audit.record(session, actor, "location.sequence", location.code, str(sequence))
    changes.note(session, kind=CHANGE_KIND)


def deactivate(session: Session, actor: Actor, code: str) -> None:
    """Retire an empty bin (or a zone whose bins are all retired): nothing on hand, no
    lot in it, not in an open count. Stock in it is moved out first, by a transfer."""
    require(actor, Permission.STOCK_ADJUST)
    location = _location(session, code)
    if not location.active:
        raise ValidationError(_("{code} is already out of use.").format(code=location.code), "code")
    held = session.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand), 0)).where(
            StockLevel.location_id == location.id,
            or_(StockLevel.on_hand != 0, StockLevel.reserved != 0),
        )
    )
    lots = session.scalar(
        select(func.count())
        .select_from(LotLevel)
        .where(LotLevel.location_id == location.id, LotLevel.on_hand > 0)
    )
    if held or lots:
        raise ConflictError(
            _("{code} still holds {value} unit(s): move them to another bin first.").format(
                code=location.code, value=int(held or 0)
            )
        )
    if session.get(StockCountBin, location.id) is not None:
        raise ConflictError(
            _("{code} is being counted: finish or cancel the count first.").format(
                code=location.code
            )
        )
    children = session.scalar(
        select(func.count())
        .select_from(Location)
        .where(Location.parent_id == location.id, Location.active.is_(True))
    )
    if children:
        raise ConflictError(
            _("{code} still has {children} bin(s) in use under it.").format(
                code=location.code, children=children
            )
        )
    location.active = False
    audit.record(session, actor, "location.deactivate", location.code)
    changes.note(session, kind=CHANGE_KIND)


def bin_contents(session: Session, actor: Actor, code: str) -> list[BinContent]:
    """What a bin holds (products with units on hand or reserved), by SKU."""
    require(actor, Permission.CATALOGUE_VIEW)
    location = _location(session, code)
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, StockLevel.on_hand, StockLevel.reserved)
        .join(Product, Product.id == StockLevel.product_id)
        .where(
            StockLevel.location_id == location.id,
            or_(StockLevel.on_hand != 0, StockLevel.reserved != 0),
        )
        .order_by(Product.sku)
        .limit(2_000)
    ).all()
    return [BinContent(*row) for row in rows]
