"""The packing bench as the screen sees it: one call per scan or key that decides what it
means (an order to open, an item for the box, a tracking label), which package a weight
is for, how a typed weight reads, and hands back the order's packing state as it now
stands. Each call is one transaction that may run again whole."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.services.fulfilment import packing, shipping
from app.services.fulfilment.packing import PackageRow, PackLine, PackState
from app.services.fulfilment.shipping import ShipResult
from app.services.stock.scanning import parse_scan

T = TypeVar("T")


@dataclass(frozen=True)
class Done(Generic[T]):
    """What a bench key did, with the order's state after it."""

    value: T
    state: PackState


@dataclass(frozen=True)
class PackScan:
    """One scan at the bench: `opened` an order, put `line` into package `box`, or (a
    packed order) a `tracking` label's barcode, which writes nothing."""

    state: PackState
    opened: bool = False
    line: PackLine | None = None
    box: int = 0
    tracking: str = ""


@dataclass(frozen=True)
class Weighed:
    package: int  # its number on the order
    grams: int


def parse_kilos(text: str) -> int:
    """'1,25' or '1.25' kg -> 1250 g."""
    cleaned = text.strip().lower().removesuffix("kg").strip().replace(",", ".")
    try:
        kilos = float(cleaned)
    except ValueError:
        raise ValidationError(
            _("'{value}' is not a weight in kg.").format(value=text.strip())
        ) from None
    if not math.isfinite(kilos) or kilos <= 0:
        raise ValidationError(_("A package's weight is a number of kg above zero."))
    if kilos > 1000:
        raise ValidationError(
            _("{kilos:g} kg is not a parcel: check the weight.").format(kilos=kilos)
        )
    return round(kilos * 1000)


def tracking_numbers(text: str) -> list[str] | None:
    """The tracking field: numbers split at commas; empty means the carrier makes them
    (commas alone give no number, which shipping refuses in words)."""
    if not text.strip():
        return None
    return [t for t in (p.strip() for p in text.split(",")) if t]


def weigh_target(state: PackState) -> PackageRow | None:
    """The package a weight is for: the open one, else the last closed one not weighed."""
    targets = [p for p in state.packages if p.status == "open"] or [
        p for p in state.packages if p.status == "closed" and not p.weight_g
    ]
    return targets[-1] if targets else None


def scan(session: Session, actor: Actor, order_id: int | None, code: str) -> PackScan:
    """A scan at the bench with `order_id` open (None: none yet)."""
    if parse_scan(code).kind == "order":
        found = packing.open_for_packing_or_shipping(session, code)
        return PackScan(packing.state(session, found), opened=True)
    if order_id is None:
        raise ValidationError(_("Scan the order first (its barcode on the pick list)."))
    now = packing.state(session, order_id)
    if now.status == "packed":
        return PackScan(now, tracking=code)
    line, box = packing.pack_item(session, actor, order_id, code)
    return PackScan(packing.state(session, order_id), line=line, box=box)


def weigh(session: Session, actor: Actor, order_id: int, text: str) -> Done[Weighed]:
    """A typed weight (kg) for the package it is for (see weigh_target)."""
    require(actor, Permission.STOCK_TRANSFER)
    grams = parse_kilos(text)
    package = weigh_target(packing.state(session, order_id))
    if package is None:
        raise ValidationError(_("There is no package to weigh yet: scan an item first."))
    packing.set_weight(session, actor, package.id, grams)
    return Done(Weighed(package.number, grams), packing.state(session, order_id))


def new_package(session: Session, actor: Actor, order_id: int) -> Done[int]:
    require(actor, Permission.STOCK_TRANSFER)
    number = packing.new_package(session, actor, order_id)
    return Done(number, packing.state(session, order_id))


def finish(session: Session, actor: Actor, workstation: str, order_id: int) -> Done[int]:
    """F10: packed, and the packing slip queued (packing.finish_and_print_slip)."""
    require(actor, Permission.STOCK_TRANSFER)
    count = packing.finish_and_print_slip(session, actor, workstation, order_id)
    return Done(count, packing.state(session, order_id))


def ship(
    session: Session, actor: Actor, order_id: int, carrier_id: int, tracking: str, workstation: str
) -> Done[ShipResult]:
    """F12: shipped with the tracking field's numbers (or ones the carrier makes)."""
    require(actor, Permission.STOCK_TRANSFER)
    result = shipping.ship(
        session, actor, order_id, carrier_id, tracking_numbers(tracking), workstation
    )
    return Done(result, packing.state(session, order_id))
