"""A realistic demo store: named products with valid EAN-13 codes, two warehouses with bins
in walking order, stock, customers, and orders in every status with a consistent ledger.

Built with bulk inserts inside the caller's transaction, so it can make a million
products and a million orders for benchmarks, and a cancelled build leaves nothing.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from stdnum import ean

from app.core import auth
from app.core.auth import Actor, Permission, Role, require
from app.core.bootstrap import default_warehouse_id, ensure_base_data, virtual_location_id
from app.core.bulk import insert_rows, next_id, sync_sequences
from app.core.errors import KestrelError, ValidationError
from app.core.money import line_amounts
from app.core.numbering import ORDER_SERIES, sync_pg_order_sequence
from app.core.settings import get_setting
from app.models import (
    Location,
    LocationKind,
    NumberSequence,
    Product,
    SalesOrder,
    User,
    Warehouse,
)
from app.services.stock.search import tokens

DEMO_PASSWORD = "demo1234"
DEMO_USERS = (
    ("manager", "Maria Manager", Role.MANAGER),
    ("clerk", "Colm Clerk", Role.CLERK),
    ("cashier", "Cathy Cashier", Role.CASHIER),
    ("picker", "Pat Picker", Role.PICKER),
)
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


BRANDS = (
    "Kestrel",
    "Northwind",
    "Bluebell",
    "Harbour",
    "Oakridge",
    "Saltmarsh",
    "Fjord",
    "Lumen",
    "Corrib",
    "Alder",
    "Brightwater",
    "Heron",
    "Millstone",
    "Tidewell",
    "Wren",
    "Ashgrove",
)
ADJECTIVES = (
    "Organic",
    "Classic",
    "Premium",
    "Everyday",
    "Artisan",
    "Fresh",
    "Eco",
    "Deluxe",
    "Original",
    "Wild",
    "Smoked",
    "Roasted",
    "Natural",
    "Mini",
    "Family",
    "Gourmet",
)
ITEMS = (  # name, sizes (smallest first), tax rate (bp), shelf price of the smallest (cents)
    ("Coffee Beans", ("250 g", "500 g", "1 kg"), 2300, 649),
    ("Ground Coffee", ("250 g", "500 g"), 2300, 549),
    ("Green Tea", ("20 bags", "50 bags", "100 g"), 2300, 349),
    ("Olive Oil", ("500 ml", "750 ml", "1 l"), 1350, 749),
    ("Sea Salt", ("250 g", "1 kg"), 0, 229),
    ("Dark Chocolate", ("100 g", "200 g"), 2300, 249),
    ("Oat Biscuits", ("150 g", "300 g"), 1350, 199),
    ("Honey", ("340 g", "500 g"), 0, 599),
    ("Notebook", ("pocket", "A5", "A4"), 2300, 399),
    ("Ballpoint Pen", ("blue", "black", "3 pack"), 2300, 149),
    ("Cotton T-Shirt", ("S", "M", "L", "XL"), 2300, 1499),
    ("Wool Socks", ("S", "M", "L"), 2300, 899),
    ("Ceramic Mug", ("300 ml", "450 ml"), 2300, 899),
    ("Candle", ("small", "large"), 2300, 799),
    ("Dish Soap", ("500 ml", "1 l"), 2300, 249),
    ("Rice", ("1 kg", "5 kg"), 0, 229),
    ("Pasta", ("500 g", "1 kg"), 0, 149),
    ("Orange Juice", ("1 l", "6 x 1 l"), 1350, 279),
    ("Sparkling Water", ("500 ml", "1.5 l", "6 pack"), 1350, 99),
    ("Phone Charger", ("USB-C", "Lightning"), 2300, 1999),
    ("AA Batteries", ("4 pack", "12 pack"), 2300, 499),
    ("Hand Cream", ("50 ml", "100 ml"), 2300, 599),
    ("Shampoo", ("250 ml", "500 ml"), 2300, 449),
    ("Granola", ("400 g", "750 g"), 1350, 449),
)
PRICIER = {"Premium": 1.35, "Deluxe": 1.4, "Gourmet": 1.45, "Artisan": 1.3, "Organic": 1.2}
CHEAPER = {"Everyday": 0.8, "Mini": 0.75, "Family": 0.9}
DEMO_ACTOR_NAME = "Demo store"  # who the demo's own history is credited to, not the admin


def shelf_price(base: int, size_index: int, adjective: str, rng: random.Random) -> int:
    """A price that fits the product: its shelf price, more for a bigger size or a premium
    line, a little scatter, ending in 9 as shop prices do (e.g. 4.99)."""
    factor = PRICIER.get(adjective, CHEAPER.get(adjective, 1.0))
    raw = base * (1 + 0.7 * size_index) * factor * rng.uniform(0.9, 1.1)
    return max(49, int(raw / 10) * 10 + 9)


def sku_prefix(item: str) -> str:
    """'AA Batteries' -> 'AAB': letters and digits only, so a SKU has no stray space."""
    return "".join(ch for ch in item.upper() if ch.isalnum())[:3]


FIRST = (
    "Aoife",
    "Liam",
    "Sofia",
    "Noah",
    "Emma",
    "Jack",
    "Mia",
    "Lucas",
    "Chloe",
    "Oisin",
    "Hannah",
    "Finn",
    "Lena",
    "Mateo",
    "Zoe",
    "Ravi",
    "Ines",
    "Tomas",
    "Yuki",
    "Amara",
    "Jonas",
    "Clara",
    "Sean",
    "Elif",
    "Marta",
    "Hugo",
    "Niamh",
    "Leon",
    "Eva",
    "Ciaran",
)
LAST = (
    "Murphy",
    "Kelly",
    "Schmidt",
    "Dubois",
    "Rossi",
    "Garcia",
    "Byrne",
    "Novak",
    "Jansen",
    "Walsh",
    "O'Brien",
    "Nowak",
    "Muller",
    "Silva",
    "Larsen",
    "Costa",
    "Ryan",
    "Weber",
    "Moreau",
    "Fischer",
    "Quinn",
    "Lopez",
    "Doyle",
    "Bianchi",
    "Kowalski",
    "Brennan",
)
CITIES = (
    ("Dublin", "D02", "IE"),
    ("Cork", "T12", "IE"),
    ("Galway", "H91", "IE"),
    ("Berlin", "10115", "DE"),
    ("Munich", "80331", "DE"),
    ("Paris", "75001", "FR"),
    ("Lyon", "69001", "FR"),
    ("Amsterdam", "1011", "NL"),
    ("Madrid", "28001", "ES"),
    ("Milan", "20121", "IT"),
    ("Vienna", "1010", "AT"),
    ("Lisbon", "1100", "PT"),
)
STREETS = (
    "Main Street",
    "Harbour Road",
    "Church Lane",
    "Market Square",
    "Station Road",
    "Mill Street",
    "Park Avenue",
    "Bridge Street",
    "Quay Street",
    "High Street",
)
ACTIVE_STATUSES = (
    "new",
    "new",
    "accepted",
    "confirmed",
    "confirmed",
    "confirmed",  # some become a wave being picked (see _Builder.fulfilment)
    "confirmed",
    "shipped",
    "on_hold",
    "cancelled",
)
HISTORY_STATUSES = ("delivered",) * 9 + ("shipped", "cancelled")
SHIP_CHANNELS = ("phone", "email", "web", "web", "web", "marketplace")
ZONES, AISLES, BINS = "ABCD", 10, 12


def _check(n: int, label: str, maximum: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > maximum:
        raise ValidationError(f"{label} must be a whole number from 0 to {maximum:,}.")
    return n


def build_demo(
    session: Session,
    actor: Actor,
    products: int = 300,
    customers: int = 80,
    orders: int = 400,
    seed: int = 7,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    with_users: bool = True,
) -> DemoStats:
    """Fill an empty store. Refuses a store that already has products or orders."""
    require(actor, Permission.DEMO_LOAD)
    products = _check(products, "Products", 5_000_000)
    customers = _check(customers, "Customers", 5_000_000)
    orders = _check(orders, "Orders", 5_000_000)
    if orders and not (products and customers):
        raise ValidationError("Orders need at least one product and one customer.")
    if session.scalar(select(func.count()).select_from(Product)) or session.scalar(
        select(func.count()).select_from(SalesOrder)
    ):
        raise ValidationError("The demo store goes into an empty store only; this one has data.")
    started = time.perf_counter()
    ensure_base_data(session)
    builder = _Builder(session, actor, random.Random(seed), progress, cancelled)
    stats = DemoStats()
    if with_users:
        builder.users(stats)
    bins = builder.locations(stats)
    builder.products(products, stats)
    builder.customers(customers, stats)
    builder.orders(orders, bins, stats)
    builder.stock(stats)
    sync_sequences(session, SERIAL_TABLES)
    builder.fulfilment()
    builder.shipments(stats)
    stats.seconds = time.perf_counter() - started
    return stats


DEMO_CARRIERS = (
    (
        "KPOST",
        "Kestrel Post",
        "Parcel",
        r"KP\d{9}IE",
        "KP{n:09d}IE",
        "https://track.example/{tracking}",
    ),
    (
        "DHL",
        "DHL",
        "Parcel Connect",
        r"JJD\d{18}",
        "JJD{n:018d}",
        "https://www.dhl.com/track?id={tracking}",
    ),
    ("COURIER", "Local courier", "Same day", "", "", ""),
)
DEMO_WAVE = 8  # confirmed orders put on a pick list, so every fulfilment queue has work
SENT = ("shipped", "delivered")  # statuses whose orders left by post, with a tracking number


class _Builder:
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
            raise Cancelled("The demo store was cancelled; nothing was kept.")
        if self._progress is not None:
            self._progress(stage, done, total)

    def fulfilment(self) -> None:
        """Carriers, and one wave of confirmed orders being picked: through the real
        services, so the pick list is exactly what the fulfilment screen would make."""
        from app.services.fulfilment import shipping, waves

        for code, name, service, pattern, template, url in DEMO_CARRIERS:
            shipping.add_carrier(
                self.s,
                self.demo,
                shipping.CarrierInput(code, name, service, pattern, template, url),
            )
        main = default_warehouse_id(self.s)
        confirmed = self.s.scalars(
            select(SalesOrder.id)
            .where(SalesOrder.status == "confirmed", SalesOrder.warehouse_id == main)
            .order_by(SalesOrder.id.desc())
            .limit(DEMO_WAVE * 2)
        ).all()
        wave = confirmed[: min(DEMO_WAVE, len(confirmed) // 2)]  # leave some to pick
        if wave:
            waves.create_wave(self.s, self.demo, list(wave))

    def shipments(self, stats: DemoStats) -> None:
        """A parcel with a Kestrel Post tracking number for every order that left, so the
        order shows where it is and can come back as a return; the carrier's number series
        goes on from there."""
        from app.models import Carrier
        from app.services.fulfilment.shipping import SERIES_PREFIX

        carrier = self.s.scalar(select(Carrier).where(Carrier.code == DEMO_CARRIERS[0][0]))
        if carrier is None or not self.sent:
            return
        first_shipment = next_id(self.s, "shipments")
        first_package = next_id(self.s, "packages")
        template = carrier.tracking_template
        rng = self.rng

        def when(created: datetime) -> tuple[datetime, datetime]:
            shipped = created + timedelta(hours=rng.randrange(4, 48))
            return shipped, shipped + timedelta(days=rng.randrange(1, 4))

        dates = [when(created) for _, created, _ in self.sent]
        stats.rows["shipments"] = insert_rows(
            self.s,
            "shipments",
            (
                "id",
                "order_id",
                "carrier_id",
                "status",
                "note",
                "user_id",
                "shipped_at",
                "delivered_at",
            ),
            (
                (
                    first_shipment + n,
                    order_id,
                    carrier.id,
                    "delivered" if done else "shipped",
                    "",
                    None,
                    dates[n][0],
                    dates[n][1] if done else None,
                )
                for n, (order_id, _, done) in enumerate(self.sent)
            ),
        )
        stats.rows["packages"] = insert_rows(
            self.s,
            "packages",
            (
                "id",
                "order_id",
                "number",
                "weight_g",
                "status",
                "shipment_id",
                "tracking_number",
                "user_id",
                "created_at",
            ),
            (
                (
                    first_package + n,
                    order_id,
                    1,
                    rng.randrange(200, 4000),
                    "shipped",
                    first_shipment + n,
                    template.format(n=n + 1),
                    None,
                    dates[n][0],
                )
                for n, (order_id, _, _) in enumerate(self.sent)
            ),
        )
        sync_sequences(self.s, ("shipments", "packages"))
        self.s.add(
            NumberSequence(
                name=f"{SERIES_PREFIX}{carrier.code}"[:40],
                prefix="",
                width=0,
                next_value=len(self.sent) + 1,
            )
        )
        self.s.flush()

    def users(self, stats: DemoStats) -> None:
        made = 0
        for username, name, role in DEMO_USERS:
            if self.s.scalar(select(func.count()).where(User.username == username)):
                continue
            auth.create_user(self.s, self.actor, username, DEMO_PASSWORD, role, name)
            made += 1
        stats.rows["users"] = made

    def locations(self, stats: DemoStats) -> list[int]:
        main = self.s.scalar(select(Warehouse).order_by(Warehouse.id).limit(1))
        assert main is not None
        root_id = self.s.scalar(
            select(Location.id).where(
                Location.code == main.code, Location.kind == LocationKind.VIEW
            )
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
            self.s.add(zone_loc)
            self.s.flush()
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
                    self.s.add(loc)
                    made += 1
        store = Warehouse(code="SHOP", name="Shop floor", region="Dublin")
        self.s.add(store)
        self.s.flush()
        store_root = Location(code="SHOP", name="Shop floor", kind="view", warehouse_id=store.id)
        self.s.add(store_root)
        self.s.flush()
        counter = Location(
            code="SHOP-COUNTER",
            name="Counter shelves",
            kind="internal",
            warehouse_id=store.id,
            parent_id=store_root.id,
            pick_sequence=1,
        )
        self.s.add(counter)
        self.s.flush()
        self.counter_bin = counter.id
        self.main_bins = list(
            self.s.scalars(
                select(Location.id)
                .where(Location.warehouse_id == main.id, Location.kind == "internal")
                .order_by(Location.pick_sequence)
            )
        )
        stats.rows["locations"] = made + 4
        return self.main_bins

    def products(self, count: int, stats: DemoStats) -> None:
        rng = self.rng
        first = next_id(self.s, "products")
        self.first_product = first
        first_barcode = next_id(self.s, "barcodes")
        created = self.now - timedelta(days=800)

        def gen() -> Iterator[tuple[object, ...]]:
            for i in range(count):
                brand, adj = rng.choice(BRANDS), rng.choice(ADJECTIVES)
                item, sizes, tax, base = rng.choice(ITEMS)
                size = rng.randrange(len(sizes))
                name = f"{brand} {adj} {item} {sizes[size]}"
                sku = f"{sku_prefix(item)}-{i + 1:07d}"
                price = shelf_price(base, size, adj, rng)
                self.prices.append(price)
                self.taxes.append(tax)
                self.names.append((sku, name))
                self.product_bin.append(rng.choice(self.main_bins))
                if i % 50_000 == 0:
                    self.tick("products", i, count)
                yield (
                    first + i,
                    sku,
                    name,
                    "",
                    price,
                    price * rng.randrange(45, 70) // 100,
                    tax,
                    rng.randrange(50, 2000),
                    True,
                    True,
                    created,
                    created,
                )

        stats.rows["products"] = insert_rows(
            self.s,
            "products",
            (
                "id",
                "sku",
                "name",
                "description",
                "price",
                "cost",
                "tax_rate_bp",
                "weight_g",
                "track_stock",
                "active",
                "created_at",
                "updated_at",
            ),
            gen(),
        )

        def codes() -> Iterator[tuple[object, ...]]:
            for i in range(count):
                body = f"20{i + 1:010d}"
                yield (first_barcode + i, body + ean.calc_check_digit(body), first + i, 1, "EAN-13")

        stats.rows["barcodes"] = insert_rows(
            self.s, "barcodes", ("id", "code", "product_id", "pack_qty", "symbology"), codes()
        )

        def words() -> Iterator[tuple[object, ...]]:
            for i, (sku, name) in enumerate(self.names):
                if i % 100_000 == 0:
                    self.tick("search index", i, count)
                for token in tokens(name, sku):
                    yield (token, first + i)

        stats.rows["product_tokens"] = insert_rows(
            self.s, "product_tokens", ("token", "product_id"), words()
        )

    def customers(self, count: int, stats: DemoStats) -> None:
        rng = self.rng
        first = next_id(self.s, "parties")
        first_address = next_id(self.s, "addresses")
        created = self.now - timedelta(days=800)
        for i in range(count):
            given, family = rng.choice(FIRST), rng.choice(LAST)
            name = f"{given} {family}"
            email = f"{given}.{family}{i + 1}@example.com".lower().replace("'", "")
            phone = (
                f"+353 8{rng.randrange(3, 9)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
            )
            city, postcode, country = rng.choice(CITIES)
            street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
            self.customer_rows.append((name, email, phone, (street, city, postcode, country)))
            self.customer_ids.append(first + i)
        stats.rows["parties"] = insert_rows(
            self.s,
            "parties",
            (
                "id",
                "name",
                "email",
                "phone",
                "is_customer",
                "is_supplier",
                "is_walk_in",
                "note",
                "created_at",
            ),
            (
                (first + i, n, e, p, True, False, False, "", created)
                for i, (n, e, p, _) in enumerate(self.customer_rows)
            ),
        )
        stats.rows["addresses"] = insert_rows(
            self.s,
            "addresses",
            (
                "id",
                "party_id",
                "kind",
                "name",
                "line1",
                "line2",
                "city",
                "postcode",
                "region",
                "country",
                "is_default",
            ),
            (
                (first_address + i, first + i, "shipping", n, a[0], "", a[1], a[2], "", a[3], True)
                for i, (n, _, _, a) in enumerate(self.customer_rows)
            ),
        )
        stats.rows["party_tokens"] = insert_rows(
            self.s,
            "party_tokens",
            ("token", "party_id"),
            (
                (t, first + i)
                for i, (n, e, p, _) in enumerate(self.customer_rows)
                for t in tokens(n, e, p)
            ),
        )

    def orders(self, count: int, bins: list[int], stats: DemoStats) -> None:  # noqa: PLR0912, PLR0915
        if not count:
            return
        rng = self.rng
        s = self.s
        customer_loc = virtual_location_id(s, LocationKind.CUSTOMER)
        main_id, shop_id = (
            s.scalar(select(Location.warehouse_id).where(Location.id == bins[0])),
            s.scalar(select(Location.warehouse_id).where(Location.id == self.counter_bin)),
        )
        ids = {
            t: next_id(s, t)
            for t in ("sales_orders", "order_lines", "order_events", "stock_moves", "payments")
        }
        order_rows: list[tuple[object, ...]] = []
        line_rows: list[tuple[object, ...]] = []
        event_rows: list[tuple[object, ...]] = []
        move_rows: list[tuple[object, ...]] = []
        pay_rows: list[tuple[object, ...]] = []
        totals: defaultdict[str, int] = defaultdict(int)
        span = timedelta(days=730).total_seconds()
        user_name = DEMO_ACTOR_NAME
        n_products = len(self.prices)

        def flush() -> None:
            for table, rows, cols in (
                ("sales_orders", order_rows, _ORDER_COLS),
                ("order_lines", line_rows, _LINE_COLS),
                ("order_events", event_rows, _EVENT_COLS),
                ("stock_moves", move_rows, _MOVE_COLS),
                ("payments", pay_rows, _PAY_COLS),
            ):
                totals[table] += insert_rows(s, table, cols, rows)
                rows.clear()

        active_from = count - max(1, count // 50)
        for i in range(count):
            order_id = ids["sales_orders"] + i
            created = self.now - timedelta(seconds=span * (1 - i / count)) - timedelta(minutes=30)
            if i >= active_from:
                status = ACTIVE_STATUSES[(i - active_from) % len(ACTIVE_STATUSES)]
                channel = rng.choice(SHIP_CHANNELS)
            elif rng.random() < 0.4:
                status, channel = "completed", "counter"
            else:
                status, channel = rng.choice(HISTORY_STATUSES), rng.choice(SHIP_CHANNELS)
            counter = channel == "counter"
            cidx = rng.randrange(len(self.customer_ids))
            name, email, phone, (street, city, postcode, country) = self.customer_rows[cidx]
            subtotal = tax_total = total = 0
            reserved_any = False
            held_confirmed = status == "on_hold" and rng.random() < 0.5
            for line_no in range(1, rng.choice((1, 1, 2, 2, 3, 4)) + 1):
                p = rng.randrange(n_products)
                qty = rng.choice((1, 1, 1, 2, 3))
                price, rate = self.prices[p], self.taxes[p]
                amounts = line_amounts(qty, price, 0, rate, self.inclusive)
                subtotal += amounts.net
                tax_total += amounts.tax
                total += amounts.total
                line_id = ids["order_lines"]
                ids["order_lines"] += 1
                sku, pname = self.names[p]
                line_rows.append(
                    (
                        line_id,
                        order_id,
                        line_no,
                        self.first_product + p,
                        sku,
                        pname,
                        qty,
                        price,
                        0,
                        rate,
                        amounts.net,
                        amounts.tax,
                        amounts.total,
                        qty if status in SENT and not counter else 0,
                    )
                )
                bin_id = self.counter_bin if counter else self.product_bin[p]
                key = (p, bin_id)
                if status in ("delivered", "shipped", "completed"):
                    self.done[key] += qty
                    move_rows.append(
                        (
                            ids["stock_moves"],
                            self.first_product + p,
                            qty,
                            bin_id,
                            customer_loc,
                            "done",
                            "order_line",
                            line_id,
                            "",
                            None,
                            created,
                            created,
                        )
                    )
                    ids["stock_moves"] += 1
                elif status in ("confirmed", "picking", "packed") or (
                    status == "on_hold" and held_confirmed
                ):
                    self.reserved[key] += qty
                    reserved_any = True
                    move_rows.append(
                        (
                            ids["stock_moves"],
                            self.first_product + p,
                            qty,
                            bin_id,
                            customer_loc,
                            "reserved",
                            "order_line",
                            line_id,
                            "",
                            None,
                            created,
                            None,
                        )
                    )
                    ids["stock_moves"] += 1
                elif status == "accepted":
                    self.accepted[key] += qty
            # a held order keeps its reservations if it was confirmed before the hold
            held_from = ("confirmed" if reserved_any else "new") if status == "on_hold" else ""
            ship = ("", "", "", "", "") if counter else (name, street, city, postcode, country)
            order_rows.append(
                (
                    order_id,
                    f"SO-{order_id:06d}",
                    channel,
                    status,
                    held_from,
                    self.customer_ids[cidx],
                    name,
                    "" if counter else email,
                    phone,
                    *ship,
                    "",
                    "",
                    main_id if not counter else shop_id,
                    self.currency,
                    subtotal,
                    tax_total,
                    total,
                    "",
                    "",
                    created,
                    created,
                    1,
                )
            )
            event_rows.append(
                (
                    ids["order_events"],
                    order_id,
                    created,
                    None,
                    user_name,
                    "demo",
                    "created",
                    "",
                    "new",
                    f"Order created ({channel})",
                    "",
                )
            )
            ids["order_events"] += 1
            if status in SENT and not counter:
                self.sent.append((order_id, created, status == "delivered"))
            if status != "new":
                at = created + timedelta(minutes=rng.randrange(5, 600))
                event_rows.append(
                    (
                        ids["order_events"],
                        order_id,
                        at,
                        None,
                        user_name,
                        "demo",
                        "status",
                        "new",
                        status,
                        f"Now {status.replace('_', ' ')}",
                        "",
                    )
                )
                ids["order_events"] += 1
            if counter:
                method = rng.choice(("cash", "card", "card"))
                tendered = -(-total // 500) * 500 if method == "cash" else None
                pay_rows.append(
                    (
                        ids["payments"],
                        order_id,
                        method,
                        "payment",
                        total,
                        tendered,
                        (tendered - total) if tendered is not None else None,
                        "",
                        created,
                    )
                )
                ids["payments"] += 1
            if len(line_rows) >= 50_000:
                flush()
                self.tick("orders", i, count)
        flush()
        stats.rows.update(totals)
        s.execute(
            update(NumberSequence)
            .where(NumberSequence.name == ORDER_SERIES)
            .values(next_value=ids["sales_orders"] + count)
        )
        sync_pg_order_sequence(s)

    def stock(self, stats: DemoStats) -> None:
        """Receipts that make every level equal its ledger: consumed + reserved + spare."""
        rng = self.rng
        supplier = virtual_location_id(self.s, LocationKind.SUPPLIER)
        placed: dict[tuple[int, int], int] = {}
        for p, bin_id in enumerate(self.product_bin):
            placed[(p, bin_id)] = rng.choice((0, 3, 8, 12, 24, 40, 60, 120))
        counter_share = max(1, len(self.product_bin) // 20)
        for p in range(min(len(self.product_bin), counter_share)):
            placed[(p, self.counter_bin)] = rng.choice((6, 12, 20))
        for key in list(self.done) + list(self.reserved):
            placed.setdefault(key, 0)
        for key, wanted in self.accepted.items():  # accepting checked the stock was there
            placed[key] = max(placed.get(key, 0), wanted)
        first_move = next_id(self.s, "stock_moves")
        received = self.now - timedelta(days=801)
        moves: list[tuple[object, ...]] = []
        levels: list[tuple[object, ...]] = []
        for n, ((p, bin_id), spare) in enumerate(placed.items()):
            reserved = self.reserved.get((p, bin_id), 0)
            on_hand = spare + reserved
            incoming = on_hand + self.done.get((p, bin_id), 0)
            if incoming:
                moves.append(
                    (
                        first_move + len(moves),
                        self.first_product + p,
                        incoming,
                        supplier,
                        bin_id,
                        "done",
                        "receipt",
                        None,
                        "Opening stock",
                        None,
                        received,
                        received,
                    )
                )
            levels.append((self.first_product + p, bin_id, on_hand, reserved))
            if n % 100_000 == 0:
                self.tick("stock", n, len(placed))
        stats.rows["stock_moves"] = stats.rows.get("stock_moves", 0) + insert_rows(
            self.s, "stock_moves", _MOVE_COLS, moves
        )
        stats.rows["stock_levels"] = insert_rows(
            self.s, "stock_levels", ("product_id", "location_id", "on_hand", "reserved"), levels
        )


SERIAL_TABLES = (
    "products",
    "barcodes",
    "parties",
    "addresses",
    "sales_orders",
    "order_lines",
    "order_events",
    "stock_moves",
    "payments",
    "locations",
    "users",
    "warehouses",
)
_ORDER_COLS = (
    "id",
    "number",
    "channel",
    "status",
    "held_from",
    "customer_id",
    "customer_name",
    "email",
    "phone",
    "ship_name",
    "ship_line1",
    "ship_city",
    "ship_postcode",
    "ship_country",
    "ship_line2",
    "ship_region",
    "warehouse_id",
    "currency",
    "subtotal",
    "tax_total",
    "total",
    "note",
    "external_ref",
    "created_at",
    "updated_at",
    "version",
)
_LINE_COLS = (
    "id",
    "order_id",
    "line_no",
    "product_id",
    "sku",
    "name",
    "quantity",
    "unit_price",
    "discount",
    "tax_rate_bp",
    "net",
    "tax",
    "total",
    "shipped",
)
_EVENT_COLS = (
    "id",
    "order_id",
    "at",
    "user_id",
    "user_name",
    "workstation",
    "kind",
    "from_status",
    "to_status",
    "message",
    "data",
)
_MOVE_COLS = (
    "id",
    "product_id",
    "quantity",
    "from_location_id",
    "to_location_id",
    "state",
    "origin_type",
    "origin_id",
    "reason",
    "user_id",
    "created_at",
    "done_at",
)
_PAY_COLS = (
    "id",
    "order_id",
    "method",
    "kind",
    "amount",
    "tendered",
    "change",
    "reference",
    "created_at",
)
