"""The state one demo build carries from stage to stage (what was made, where it lies, what
the orders consumed or reserved), its progress and cancel, and the first stages: users and
the warehouses' bins."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.admin.demo.data import AISLES, BINS, DEMO_ACTOR_NAME, DEMO_PASSWORD, DEMO_USERS, ZONES
from app.core import auth
from app.core.auth import Actor, Role
from app.core.errors import KestrelError
from app.core.i18n import _
from app.core.settings import get_setting
from app.models import Location, LocationKind, User, Warehouse

Progress = Callable[[str, int, int], None]


class Cancelled(KestrelError):
    pass


@dataclass
class DemoStats:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


class Builder:
    """One build's state; the stages in the sibling modules fill it in turn."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        rng: random.Random,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.s = session
        self.actor = actor  # who loads the demo: creates its users, nothing else
        # the demo's carriers, wave and order history are the shop's past, not the admin's
        self.demo = Actor(None, "demo", DEMO_ACTOR_NAME, Role.ADMIN, "demo")
        self.rng = rng
        self._progress = progress
        self._cancelled = cancelled
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.prices: list[int] = []
        self.taxes: list[int] = []
        self.names: list[tuple[str, str]] = []
        self.first_product = 0
        self.customer_ids: list[int] = []
        self.customer_rows: list[tuple[str, str, str, tuple[str, str, str, str]]] = []
        self.main_bins: list[int] = []
        self.counter_bin = 0
        self.product_bin: list[int] = []
        self.done: dict[tuple[int, int], int] = defaultdict(int)
        self.reserved: dict[tuple[int, int], int] = defaultdict(int)
        self.accepted: dict[tuple[int, int], int] = defaultdict(int)  # verified, not reserved
        self.sent: list[tuple[int, datetime, bool]] = []  # (order, when, delivered) by post
        self.inclusive = bool(get_setting(session, "prices_include_tax"))
        self.currency = str(get_setting(session, "currency"))

    def tick(self, stage: str, done: int, total: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled(_("The demo store was cancelled; nothing was kept."))
        if self._progress is not None:
            self._progress(stage, done, total)


def users(b: Builder, stats: DemoStats) -> None:
    made = 0
    for username, name, role in DEMO_USERS:
        if b.s.scalar(select(func.count()).where(User.username == username)):
            continue
        auth.create_user(b.s, b.actor, username, DEMO_PASSWORD, role, name)
        made += 1
    stats.rows["users"] = made


def locations(b: Builder, stats: DemoStats) -> list[int]:
    main = b.s.scalar(select(Warehouse).order_by(Warehouse.id).limit(1))
    assert main is not None
    root_id = b.s.scalar(
        select(Location.id).where(Location.code == main.code, Location.kind == LocationKind.VIEW)
    )
    made = 0
    sequence = 10
    for zone in ZONES:
        zone_loc = Location(
            code=f"{main.code}-{zone}",
            name=f"Zone {zone}",
            kind="view",
            warehouse_id=main.id,
            parent_id=root_id,
        )
        b.s.add(zone_loc)
        b.s.flush()
        for aisle in range(1, AISLES + 1):
            # serpentine: odd aisles walk up, even aisles walk down the bins
            order = range(1, BINS + 1) if aisle % 2 else range(BINS, 0, -1)
            for bin_no in order:
                sequence += 1
                loc = Location(
                    code=f"{main.code}-{zone}{aisle:02d}-{bin_no:02d}",
                    name=f"Zone {zone}, aisle {aisle}, bin {bin_no}",
                    kind="internal",
                    warehouse_id=main.id,
                    parent_id=zone_loc.id,
                    pick_sequence=sequence,
                )
                b.s.add(loc)
                made += 1
    store = Warehouse(code="SHOP", name="Shop floor", region="Dublin")
    b.s.add(store)
    b.s.flush()
    store_root = Location(code="SHOP", name="Shop floor", kind="view", warehouse_id=store.id)
    b.s.add(store_root)
    b.s.flush()
    counter = Location(
        code="SHOP-COUNTER",
        name="Counter shelves",
        kind="internal",
        warehouse_id=store.id,
        parent_id=store_root.id,
        pick_sequence=1,
    )
    b.s.add(counter)
    b.s.flush()
    b.counter_bin = counter.id
    b.main_bins = list(
        b.s.scalars(
            select(Location.id)
            .where(Location.warehouse_id == main.id, Location.kind == "internal")
            .order_by(Location.pick_sequence)
        )
    )
    stats.rows["locations"] = made + 4
    return b.main_bins
