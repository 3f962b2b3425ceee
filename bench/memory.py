"""Resident memory (issue 20, target 6): the app with every screen open, and its growth
over many counter sales in one process.

`python -m bench.memory [--sales N] [--scale N] [--database URL]`:
- every screen: `python -m app --sign-in manager --exit-when-ready --open-every-screen`
  (offscreen) on the `kestrel demo` store of bench/startup.py (or --database), which
  prints its VmRSS once every screen has been shown;
- growth: N sales (default 10,000) through complete_sale in this process, on a copy of the
  bench's demo store of --scale products, VmRSS printed every tenth of the run. What
  matters is the slope after the first sales (statement caches filled, renderers not
  imported: receipts are drawn by the print worker), not the level.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Row = tuple[str, float, str, str, float | None, str]


def resident_mb() -> float:
    for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def every_screen(url: str) -> float:
    from bench import startup

    return startup.timed(startup.app_command(url, "--open-every-screen"))["rss"][1]


def _stock_up(shop: object, product_ids: list[int], sales: int) -> None:
    """Enough on the counter's shelf for `sales` two-line sales (received as moves)."""
    from sqlalchemy import text

    from app.core import auth
    from app.services.stock import inventory

    with shop.write() as s:  # type: ignore[attr-defined]
        shelf = s.scalar(text("SELECT id FROM locations WHERE code = 'SHOP-COUNTER'"))
        for product_id in product_ids:
            inventory.receive(s, auth.SYSTEM, product_id, shelf, 2 * sales + 100)


def growth(path: Path, sales: int) -> list[tuple[int, float]]:
    """(sales so far, VmRSS MB) at the start and after every tenth of `sales`."""
    from app import db
    from bench import sales as counter_sales

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "memory.sqlite"
        shutil.copyfile(path, copy)
        shop = db.Database.open(f"sqlite:///{copy}")
        hits = counter_sales.counter_hits(shop)
        _stock_up(shop, [hit.product_id for hit in hits], sales)
        for n in range(-counter_sales.WARM_UP, 0):
            counter_sales.sell(shop, hits, n)
        gc.collect()
        points = [(0, resident_mb())]
        step = max(1, sales // 10)
        for n in range(sales):
            counter_sales.sell(shop, hits, n)
            if (n + 1) % step == 0:
                gc.collect()
                points.append((n + 1, resident_mb()))
        shop.dispose()
    return points


def run(url: str, path: Path, sales: int) -> list[Row]:
    screens = every_screen(url)
    points = growth(path, sales)
    first, last = points[0][1], points[-1][1]
    return [
        ("resident memory, every screen open", screens, "MB", "", None, "<= 200 MB"),
        (f"resident memory before {sales:,} sales", first, "MB", "", None, ""),
        (f"growth over {sales:,} sales in one process", last - first, "MB", "", None, "none"),
    ]


def main() -> None:
    from bench import startup
    from bench.run import CACHE, CACHE_VERSION, build_store

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--database", default="", help="for the every-screen figure")
    args = parser.parse_args()
    url = args.database or startup.demo_store()
    print(f"every screen open: {every_screen(url):.1f} MB", flush=True)
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{args.scale}-v{CACHE_VERSION}.sqlite"
    build_store(args.scale, path, [])
    for done, mb in growth(path, args.sales):
        print(f"after {done:>6,} sales: {mb:.1f} MB", flush=True)


if __name__ == "__main__":
    main()
