"""Growth (issue 20, target 5): every list's first page, every search, opening an order,
a barcode lookup, a counter scan and a counter sale on stores of 10 k, 100 k and 1 M
(products and orders), each next to its floor measured in the same run (the very SQL it
sent, replayed through plain sqlite3), and how each figure grows from the smallest store
to the largest. Pages, lookups, scans and a sale must stay flat (<= 1.5x); `kestrel
check` may grow linearly. With `--orders N` also a store of N orders (one line each, on
the 10 k catalogue): the orders list, its searches, one report and `kestrel check`.

`python -m bench.growth --scales 10000,100000,1000000 [--orders 10000000] [--runs N]`.
Stores are built by bench/growth_store.py and cached in bench/.cache. Each figure is the
median of its runs in wall-clock time and in this process's CPU time (process_time: what
a machine loaded by other work moves least). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import db  # noqa: E402
from app.core import auth  # noqa: E402
from app.services.reports.base import Filters, run_report  # noqa: E402
from app.services.sales import acceptance, order_detail  # noqa: E402
from app.services.sales.cart import Cart  # noqa: E402
from app.services.sales.checkout import shelf_shortfall  # noqa: E402
from app.services.sales.customer_search import find_customers  # noqa: E402
from app.services.sales.order_list import OrderQuery, list_orders  # noqa: E402
from app.services.stock import catalogue  # noqa: E402
from app.services.stock.integrity import check  # noqa: E402
from app.services.stock.lookup import CodeLookup  # noqa: E402
from app.services.stock.scanning import parse_scan  # noqa: E402
from app.services.stock.stock_page import stock_page  # noqa: E402
from bench import growth_store  # noqa: E402

Call = Callable[[], object]
Pair = tuple[float, float]  # (wall ms, CPU ms)
FLAT = 1.5
BARCODE = (
    "SELECT p.id, p.sku, p.name, p.price, p.tax_rate_bp, b.pack_qty, p.active FROM barcodes b "
    "JOIN products p ON p.id = b.product_id WHERE b.code = ?"
)


def medians(fn: Call, runs: int, warm: int = 3) -> Pair:
    """Median wall and CPU milliseconds of `fn` over `runs` calls."""
    for _ in range(warm):
        fn()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def replayed(database: db.Database, raw: sqlite3.Connection, fn: Call) -> Call:
    from bench.run import replayed as replay

    return replay(database, raw, fn)  # type: ignore[no-any-return]


def _read(database: db.Database, work: Callable[[db.ServiceSession], object]) -> Call:
    def call() -> object:
        with database.read() as session:  # a fresh read session, as views/ops.py query does
            return work(session)

    return call


def _cycle(values: list[object]) -> Callable[[], object]:
    it = iter(values * 10_000)
    return lambda: next(it)


def calls(database: db.Database, raw: sqlite3.Connection) -> dict[str, tuple[Call, Call]]:
    """Each figure's call and its floor, by name."""
    actor, rng = auth.SYSTEM, random.Random(20)
    top = raw.execute("SELECT MAX(id) FROM sales_orders").fetchone()[0]
    some = [rng.randrange(1, top + 1) for _ in range(300)]
    numbers = _cycle([f"SO-{n:06d}" for n in some])
    surname = "murphy"
    opened = _cycle(list(some))
    products = raw.execute("SELECT MAX(id) FROM products").fetchone()[0]
    codes = [
        raw.execute("SELECT code FROM barcodes WHERE product_id = ?", (p,)).fetchone()[0]
        for p in (rng.randrange(1, products + 1) for _ in range(300))
    ]
    scanner = CodeLookup(database.engine)
    cart = Cart()

    def scan(code: str) -> object:
        hit = scanner.find(parse_scan(code).codes[0])
        assert hit is not None
        line = cart.add(hit)
        if len(cart.lines) > 20:
            cart.lines.clear()
        with database.read() as session:
            return shelf_shortfall(session, hit.product_id, line.quantity)

    found: dict[str, Call] = {
        "orders list, first 200": _read(database, lambda s: list_orders(s, OrderQuery(), 0, 200)),
        "orders search by number": _read(
            database, lambda s: list_orders(s, OrderQuery(text=str(numbers())), 0, 200)
        ),
        f"orders search by name '{surname}'": _read(
            database, lambda s: list_orders(s, OrderQuery(text=surname), 0, 200)
        ),
        "open an order": _read(
            database,
            lambda s: order_detail.get_order(s, int(opened()), actor),  # type: ignore[call-overload]
        ),
        "products list, first 100": _read(
            database, lambda s: catalogue.products_page(s, "", 0, 100)
        ),
        "product search 'lumen'": _read(
            database, lambda s: catalogue.products_page(s, "lumen", 0, 100)
        ),
        "product search 'lumen mug'": _read(
            database, lambda s: catalogue.products_page(s, "lumen mug", 0, 100)
        ),
        "customers list, first 50": _read(database, lambda s: find_customers(s, actor, "", 0, 50)),
        f"customers search '{surname}'": _read(
            database, lambda s: find_customers(s, actor, surname, 0, 50)
        ),
        "Stock tab, first 50": _read(database, lambda s: stock_page(s, actor, "", 0, 50)),
        "acceptance queue, first page": _read(
            database, lambda s: acceptance.queue_page(s, actor, 0, acceptance.PAGE)
        ),
    }
    result = {name: (call, replayed(database, raw, call)) for name, call in found.items()}
    lookup_codes, raw_codes = _cycle(list(codes)), _cycle(list(codes))
    result["barcode lookup"] = (
        lambda: scanner.find(str(lookup_codes())),
        lambda: raw.execute(BARCODE, (raw_codes(),)).fetchone(),
    )
    scan_codes, floor_codes = _cycle(list(codes)), _cycle(list(codes))
    shelf = replayed(database, raw, lambda: scan(codes[0]))

    def scan_floor() -> object:
        raw.execute(BARCODE, (floor_codes(),)).fetchone()
        return shelf()

    result["counter scan (look-up, cart, shelf check)"] = (
        lambda: scan(str(scan_codes())),
        scan_floor,
    )
    return result


def measure(path: Path, runs: int, sales: int) -> dict[str, tuple[Pair, Pair | None]]:
    """{name: ((wall, cpu), floor (wall, cpu) or None)} on the store at `path`."""
    from bench import sales as sales_bench

    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    figures: dict[str, tuple[Pair, Pair | None]] = {}
    for name, (call, floor) in calls(database, raw).items():
        many = runs * (20 if "lookup" in name or "scan" in name else 1)
        figures[name] = (medians(call, many), medians(floor, many))
    figures["kestrel check"] = (_once(_read(database, check)), None)
    raw.close()
    database.dispose()
    if sales:
        rows = sales_bench.run(path, sales)
        rate, raw_rate = rows[0][1], rows[0][4] or 1.0
        cpu, raw_cpu = rows[1][1], rows[1][4] or 0.0
        figures["a counter sale"] = ((1000 / rate, cpu), (1000 / raw_rate, raw_cpu))
    return figures


def _once(fn: Call) -> Pair:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def measure_orders_only(path: Path, runs: int) -> dict[str, tuple[Pair, Pair | None]]:
    """The orders list, its searches, the 30-day sales report and `kestrel check`."""
    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    every = calls(database, raw)
    figures: dict[str, tuple[Pair, Pair | None]] = {}
    for name, (call, floor) in every.items():
        if name.startswith("orders "):
            figures[name] = (medians(call, runs), medians(floor, runs))
    end = growth_store.NOW.date()
    month = Filters(end - dt.timedelta(days=29), end)
    report = _read(database, lambda s: run_report(s, auth.SYSTEM, "sales", month))
    figures["report 'sales', 30 days"] = (
        medians(report, max(3, runs // 5), warm=1),
        medians(replayed(database, raw, report), max(3, runs // 5), warm=1),
    )
    figures["kestrel check"] = (_once(_read(database, check)), None)
    raw.close()
    database.dispose()
    return figures


def verdict(name: str, value: float, floor: Pair | None, growth: float, cpu: bool) -> str:
    if name == "kestrel check":
        return "may grow linearly"
    said = []
    if floor is not None:
        base = floor[1] if cpu else floor[0]
        ratio = value / base if base else 0.0
        said.append("ok" if value <= 5 or ratio <= 3 else f"MISSED {ratio:.1f}x floor")
        if value > 100:
            said = ["MISSED > 100 ms"]
    said.append("flat" if growth <= FLAT else f"GROWS {growth:.2f}x")
    return ", ".join(said)


Figures = dict[str, tuple[Pair, Pair | None]]


def table(by_scale: dict[int, Figures], extra: tuple[int, Figures] | None, cpu: bool) -> None:
    """One row a figure: each scale's value (floor), the growth from the smallest to the
    largest scale, the verdict at the largest; the orders-only store in a last column."""
    scales = sorted(by_scale)
    pick = 1 if cpu else 0
    columns = [*scales, extra[0]] if extra else scales
    head = "".join(f"{f'{s:,}':>22}" for s in columns)
    print(f"\n{'CPU' if cpu else 'wall'} ms (floor)".ljust(44) + head + "   growth  verdict")
    for name in by_scale[scales[0]]:
        cells = []
        for figures in [*(by_scale[s] for s in scales), *([extra[1]] if extra else [])]:
            if name not in figures:
                cells.append(" " * 22)
                continue
            value, floor = figures[name]
            fl = f"({floor[pick]:.2f})" if floor is not None else ""
            cells.append(f"{value[pick]:>12.2f} {fl:>9}")
        first, (last, floor) = by_scale[scales[0]][name][0][pick], by_scale[scales[-1]][name]
        growth = last[pick] / first if first else 0.0
        said = verdict(name, last[pick], floor, growth, cpu)
        print(f"{name:<44}" + "".join(cells) + f"  {growth:6.2f}x  {said}")


def main() -> int:
    from bench.run import CACHE

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--orders", type=int, default=0, help="also an orders-only store")
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--sales", type=int, default=200, help="counter sales (0: none)")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    by_scale: dict[int, Figures] = {}
    extra: tuple[int, Figures] | None = None
    for scale in (int(s) for s in args.scales.split(",") if s):
        path = growth_store.path_for(CACHE, scale)
        started = time.perf_counter()
        growth_store.build(path, scale)
        print(f"store {path.name}: ready in {time.perf_counter() - started:.0f} s", flush=True)
        by_scale[scale] = measure(path, args.runs, args.sales)
    if args.orders:
        path = growth_store.path_for(CACHE, 10_000, orders=args.orders)
        started = time.perf_counter()
        growth_store.build(path, 10_000, orders=args.orders)
        print(f"store {path.name}: ready in {time.perf_counter() - started:.0f} s", flush=True)
        extra = (args.orders, measure_orders_only(path, args.runs))
    print(f"\nload: {os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} (1 / 5 min)")
    if not by_scale and extra:  # `--scales ''`: the orders-only store alone
        by_scale, extra = {extra[0]: extra[1]}, None
    table(by_scale, extra, cpu=False)
    table(by_scale, extra, cpu=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
