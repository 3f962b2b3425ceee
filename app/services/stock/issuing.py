"""A counter sale's stock leaving the shop's bins: planned in one read, written with
prebuilt statements, and the level changes made last.

The levels of popular products are rows every till changes, so on PostgreSQL each is
locked from its UPDATE to COMMIT. `plan` reads the free bins of every product of the
sale at once and `plan` spreads each line over them (OutOfStock before anything is
written); `write` inserts the ledger lines in one executemany and runs the conditional
UPDATEs (never below zero, never below reserved: the rule stays in their WHERE clause)
as the sale's last writes, so a level is held for a moment, not for the whole sale. A
level that changed in between fails its UPDATE and the sale raises OutOfStock, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from app.core import changes, driver_sql
from app.core.auth import Actor, Permission, require, require_any
from app.core.bootstrap import VIRTUAL_LOCATIONS
from app.core.driver_sql import Prebuilt
from app.core.validation import check_quantity
from app.models import Location, LocationKind, MoveState, StockLevel, StockMove
from app.services.stock import inventory, levels
from app.services.stock.inventory import MoveRef

CUSTOMER_CODE = VIRTUAL_LOCATIONS[LocationKind.CUSTOMER][0]


@cache
def _free_bins_read(count: int) -> Prebuilt:
    """The free bins of `count` products (a statement per count, built once)."""
    ids: list[Any] = [bindparam(f"id{n}") for n in range(count)]
    return Prebuilt(
        select(
            StockLevel.product_id,
            Location.id,
            Location.code,
            StockLevel.on_hand - StockLevel.reserved,
        )
        .join(StockLevel, StockLevel.location_id == Location.id)
        .where(
            StockLevel.product_id.in_(ids),
            Location.warehouse_id == bindparam("warehouse_id"),
            Location.kind == LocationKind.INTERNAL,
            Location.active.is_(True),
            StockLevel.on_hand > StockLevel.reserved,
        )
        .order_by(StockLevel.product_id, Location.pick_sequence, Location.id)
    )


_INSERT_MOVES = Prebuilt(insert(StockMove.__table__))
_CHANGE_LEVEL = Prebuilt(levels.CHANGE_LEVEL)


@dataclass(frozen=True)
class Wanted:
    """Units of one product a sale's line takes."""

    product_id: int
    words: str  # "SKU 'name'", for a refusal
    quantity: int
    ref: MoveRef


@dataclass(frozen=True)
class Take:
    """Units leaving one bin: planned, to be written (ledger line and level) by write."""

    product_id: int
    words: str
    location_id: int
    location_code: str
    quantity: int
    ref: MoveRef


@dataclass(frozen=True)
class Bins:
    """The free bins of a sale's products in one warehouse, in pick sequence."""

    by_product: dict[int, list[tuple[int, str, int]]]  # product -> (bin, code, free)

    def free(self, product_id: int) -> int:
        return sum(free for _bin, _code, free in self.by_product.get(product_id, []))


def free_bins(session: Session, product_ids: list[int], warehouse_id: int) -> Bins:
    """One read for every product of the sale (inventory.free_in_warehouse per product)."""
    found: dict[int, list[tuple[int, str, int]]] = {}
    if product_ids:
        params: dict[str, int] = {f"id{n}": pid for n, pid in enumerate(product_ids)}
        rows = driver_sql.read(
            session, _free_bins_read(len(product_ids)), {**params, "warehouse_id": warehouse_id}
        )
        for product_id, location_id, code, free in rows:
            found.setdefault(product_id, []).append((location_id, code, free))
    return Bins(found)


def plan(actor: Actor, bins: Bins, wanted: list[Wanted]) -> list[Take]:
    """Where the units of `wanted` come from (pick sequence), or OutOfStock before the
    sale writes anything; nothing is written here (see write)."""
    require_any(actor, Permission.SALE_COMPLETE, Permission.STOCK_ADJUST)
    require(actor, Permission.STOCK_RESERVE)
    takes: list[Take] = []
    taken: dict[tuple[int, int], int] = {}  # two lines of one product share its bins
    for item in wanted:
        quantity = check_quantity(item.quantity)
        offered = bins.by_product.get(item.product_id, [])
        codes = {location_id: code for location_id, code, _free in offered}
        free_rows = [
            (location_id, left)
            for location_id, _code, free in offered
            if (left := free - taken.get((item.product_id, location_id), 0)) > 0
        ]
        for location_id, units in inventory.spread_over(free_rows, quantity, item.words):
            key = (item.product_id, location_id)
            taken[key] = taken.get(key, 0) + units
            takes.append(
                Take(item.product_id, item.words, location_id, codes[location_id], units, item.ref)
            )
    return takes


def write(session: Session, actor: Actor, takes: list[Take], customer_id: int) -> None:
    """The ledger lines of `takes` (to the customer) in one executemany with their audit
    lines, then each level by one conditional UPDATE, in one lock order for every till
    (products by id, then bins) so two sales wait for each other, never deadlock. Meant
    as the sale's last writes: the levels are then held until COMMIT only."""
    rows = [
        inventory.move_row(
            session,
            actor,
            take.product_id,
            take.quantity,
            (take.location_id, customer_id),
            (take.location_code, CUSTOMER_CODE),
            MoveState.DONE,
            take.ref,
        )
        for take in takes
    ]
    driver_sql.executemany(session, _INSERT_MOVES, rows)
    for take in sorted(takes, key=lambda t: (t.product_id, t.location_id)):
        key = {"b_product": take.product_id, "b_location": take.location_id}
        changed = driver_sql.execute(
            session, _CHANGE_LEVEL, {**key, "d_on_hand": -take.quantity, "d_reserved": 0}
        )
        if changed.rowcount != 1:  # another till took them in between: say so, as levels does
            levels.change_level(
                session,
                take.product_id,
                take.location_id,
                -take.quantity,
                0,
                take.words,
                take.location_code,
            )
    if takes:
        changes.note(session, products=sorted({take.product_id for take in takes}))
