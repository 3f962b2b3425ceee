"""The rows every store needs before its first sale; safe to run again at any time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.numbering import DEFAULT_SERIES
from app.models import Location, LocationKind, NumberSequence, Party, Warehouse

VIRTUAL_LOCATIONS = {
    LocationKind.SUPPLIER: ("V-SUPPLIER", "Suppliers"),
    LocationKind.CUSTOMER: ("V-CUSTOMER", "Customers"),
    LocationKind.LOSS: ("V-LOSS", "Inventory loss"),
    LocationKind.RETURNS: ("V-RETURNS", "Returns"),
    LocationKind.TRANSIT: ("V-TRANSIT", "In transit between warehouses"),
}
MAIN_WAREHOUSE = ("MAIN", "Main warehouse")
WALK_IN_NAME = "Walk-in customer"


def ensure_base_data(session: Session) -> None:
    for kind, (code, name) in VIRTUAL_LOCATIONS.items():
        if session.scalar(select(Location.id).where(Location.code == code)) is None:
            session.add(Location(code=code, name=name, kind=kind.value))
    for series, (prefix, width) in DEFAULT_SERIES.items():
        if session.get(NumberSequence, series) is None:
            session.add(NumberSequence(name=series, prefix=prefix, width=width, next_value=1))
    if session.scalar(select(Party.id).where(Party.is_walk_in.is_(True))) is None:
        session.add(Party(name=WALK_IN_NAME, is_customer=True, is_walk_in=True))
    if session.scalar(select(Warehouse.id).limit(1)) is None:
        code, name = MAIN_WAREHOUSE
        warehouse = Warehouse(code=code, name=name)
        session.add(warehouse)
        session.flush()
        root = Location(code=code, name=name, kind=LocationKind.VIEW, warehouse_id=warehouse.id)
        session.add(root)
        session.flush()
        session.add(
            Location(
                code=f"{code}-STOCK",
                name="Stock",
                kind=LocationKind.INTERNAL,
                warehouse_id=warehouse.id,
                parent_id=root.id,
                pick_sequence=1,
            )
        )
    session.flush()


def virtual_location_id(session: Session, kind: LocationKind) -> int:
    cache: dict[LocationKind, int] = session.info.setdefault("kestrel_virtual_locations", {})
    if kind not in cache:
        code = VIRTUAL_LOCATIONS[kind][0]
        location_id = session.scalar(select(Location.id).where(Location.code == code))
        if location_id is None:
            ensure_base_data(session)
            location_id = session.scalar(select(Location.id).where(Location.code == code))
        assert location_id is not None
        cache[kind] = location_id
    return cache[kind]


def walk_in_customer_id(session: Session) -> int:
    party_id = session.scalar(select(Party.id).where(Party.is_walk_in.is_(True)).limit(1))
    if party_id is None:
        ensure_base_data(session)
        party_id = session.scalar(select(Party.id).where(Party.is_walk_in.is_(True)).limit(1))
    assert party_id is not None
    return party_id


def default_warehouse_id(session: Session) -> int:
    warehouse_id = session.scalar(
        select(Warehouse.id).where(Warehouse.active.is_(True)).order_by(Warehouse.id).limit(1)
    )
    if warehouse_id is None:
        ensure_base_data(session)
        warehouse_id = session.scalar(select(Warehouse.id).order_by(Warehouse.id).limit(1))
    assert warehouse_id is not None
    return warehouse_id
