"""Small builders for test data, going through the real services."""

from __future__ import annotations

import itertools

from stdnum import ean

from app import db
from app.core.auth import Actor
from app.core.bootstrap import default_warehouse_id
from app.services.sales import customers
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.stock import catalogue, inventory
from app.services.stock.catalogue import BarcodeInput, ProductInput

_seq = itertools.count(1)


def make_ean(n: int) -> str:
    body = f"29{n:010d}"
    return body + ean.calc_check_digit(body)


def product(
    database: db.Database,
    actor: Actor,
    *,
    price: int = 1000,
    tax: int = 2300,
    stock: int = 0,
    name: str | None = None,
    track: bool = True,
) -> int:
    n = next(_seq)
    with database.write() as s:
        pid = catalogue.create_product(
            s,
            actor,
            ProductInput(
                sku=f"T-{n:05d}",
                name=name or f"Test product {n}",
                price=price,
                tax_rate_bp=tax,
                track_stock=track,
                barcodes=(BarcodeInput(make_ean(n)),),
            ),
        )
        if stock:
            inventory.receive(s, actor, pid, main_bin(s), stock)
    return pid


def main_bin(session) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.models import Location

    warehouse_id = default_warehouse_id(session)
    location_id = session.scalar(
        select(Location.id)
        .where(Location.warehouse_id == warehouse_id, Location.kind == "internal")
        .order_by(Location.pick_sequence)
        .limit(1)
    )
    assert location_id is not None
    return location_id


def customer(database: db.Database, actor: Actor, name: str = "Orla Walsh") -> int:
    with database.write() as s:
        return customers.create_customer(
            s,
            actor,
            CustomerInput(
                name=name,
                email=f"{name.split(maxsplit=1)[0].lower()}@example.com",
                phone="+353 1 234 5678",
                address=AddressInput("1 Quay Street", "Galway", "H91 X2Y3", "IE"),
            ),
        )


def bin_beside_main(session, code: str, pick_sequence: int) -> int:  # type: ignore[no-untyped-def]
    """Another bin in the main warehouse, next to its stock bin, at a given walking order."""
    from app.models import Location

    main = session.get(Location, main_bin(session))
    extra = Location(
        code=code,
        name=code,
        kind="internal",
        warehouse_id=main.warehouse_id,
        parent_id=main.parent_id,
        pick_sequence=pick_sequence,
    )
    session.add(extra)
    session.flush()
    return extra.id
