"""Which warehouse fills an order: the first (by rule priority, then by id) that has every
line in stock; else the one that fills the most units. Rules are data (channel, ship-to
country, region), so a shop with a northern and a southern store routes without code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.models import (
    AssignmentRule,
    Location,
    LocationKind,
    SalesOrder,
    StockLevel,
    Warehouse,
)
from app.services.stock import catalogue


@dataclass(frozen=True)
class Choice:
    warehouse_id: int
    code: str
    fills_all: bool
    units: int  # of the ordered units, how many this warehouse has free
    wanted: int

    @property
    def reason(self) -> str:
        if self.fills_all:
            return f"{self.code} has every line in stock"
        return f"{self.code} has the most in stock ({self.units} of {self.wanted} units)"


def _candidates(session: Session, order: SalesOrder) -> list[tuple[int, str]]:
    """Warehouses in the order to try: matching rules first, then every active one."""
    ruled = session.execute(
        select(AssignmentRule.warehouse_id, Warehouse.code)
        .join(Warehouse, Warehouse.id == AssignmentRule.warehouse_id)
        .where(
            Warehouse.active.is_(True),
            or_(AssignmentRule.channel == "", AssignmentRule.channel == order.channel),
            or_(AssignmentRule.country == "", AssignmentRule.country == order.ship_country),
            or_(AssignmentRule.region == "", AssignmentRule.region == order.ship_region),
        )
        .order_by(AssignmentRule.priority, AssignmentRule.id)
    ).all()
    rest = session.execute(
        select(Warehouse.id, Warehouse.code)
        .where(Warehouse.active.is_(True))
        .order_by(Warehouse.id)
    ).all()
    return list(dict.fromkeys([(w, c) for w, c in ruled] + [(w, c) for w, c in rest]))


def choose(session: Session, order: SalesOrder) -> Choice:
    """The warehouse this order should ship from, and why."""
    wanted: dict[int, int] = {}
    tracked = catalogue.tracked_ids(session, (ln.product_id for ln in order.lines))
    for line in order.lines:
        if line.product_id in tracked:
            wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    candidates = _candidates(session, order)
    if not candidates:
        raise ValidationError(_("There is no active warehouse to ship from."))
    free = session.execute(
        select(
            Location.warehouse_id,
            StockLevel.product_id,
            func.sum(StockLevel.on_hand - StockLevel.reserved),
        )
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            StockLevel.product_id.in_(wanted),
            Location.kind == LocationKind.INTERNAL,
            Location.active.is_(True),
        )
        .group_by(Location.warehouse_id, StockLevel.product_id)
    ).all()
    have: dict[tuple[int | None, int], int] = {(w, p): int(q or 0) for w, p, q in free}
    total = sum(wanted.values())
    best: Choice | None = None
    for warehouse_id, code in candidates:
        units = sum(min(q, have.get((warehouse_id, p), 0)) for p, q in wanted.items())
        choice = Choice(warehouse_id, code, units == total, units, total)
        if choice.fills_all:
            return choice
        if best is None or units > best.units:
            best = choice
    assert best is not None
    return best


def add_rule(
    session: Session,
    actor: Actor,
    warehouse_code: str,
    priority: int = 100,
    channel: str = "",
    country: str = "",
    region: str = "",
) -> int:
    require(actor, Permission.SETTINGS_MANAGE)
    warehouse_id = session.scalar(select(Warehouse.id).where(Warehouse.code == warehouse_code))
    if warehouse_id is None:
        raise NotFound(
            _("There is no warehouse {warehouse_code}.").format(warehouse_code=warehouse_code)
        )
    rule = AssignmentRule(
        priority=priority,
        channel=channel,
        country=country.upper()[:2],
        region=region[:100],
        warehouse_id=warehouse_id,
    )
    session.add(rule)
    session.flush()
    return rule.id
