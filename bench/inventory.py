"""The Inventory screen's reads on a million products: the Stock tab's first page, a page
deep in the list, a scanned code and a word search, and a product's history with 100,000
moves (first page and a page deep in it), each next to the very SQL it sent replayed
through plain sqlite3.

Its own store (one million products with a level each in 480 bins, tokens for search,
one product with 100,000 moves), written by plain SQL in a minute and cached:
`python -m bench.inventory [--scale N]`; `make bench` runs it with the other figures.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import db
from app.core import auth
from app.core.bootstrap import ensure_base_data
from app.services.stock import history
from app.services.stock.stock_page import stock_page

HERE = Path(__file__).parent
WORDS = "organic coffee kestrel mug lumen copper kettle blue green tea oat jar".split()
BINS = 480
MOVES = 100_000


def build(path: Path, scale: int) -> None:
    """A migrated store filled by plain SQL: products, barcodes, tokens, bins, levels, and
    one product's long ledger (receipts in, transfers across bins)."""
    marker = path.with_suffix(".ready")
    if path.exists() and marker.exists():
        return
    path.unlink(missing_ok=True)
    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
    database.dispose()
    raw = sqlite3.connect(path)
    rng = random.Random(16)
    now = "2026-12-01 10:00:00.000000"
    main = raw.execute("SELECT id, warehouse_id FROM locations WHERE code = 'MAIN'").fetchone()
    raw.executemany(
        "INSERT INTO locations (code, name, kind, warehouse_id, parent_id, pick_sequence, active)"
        " VALUES (?, ?, 'internal', ?, ?, ?, 1)",
        [(f"MAIN-B{i:03d}", f"Bin {i}", main[1], main[0], i + 10) for i in range(BINS)],
    )
    bins = [r[0] for r in raw.execute("SELECT id FROM locations WHERE code LIKE 'MAIN-B%'")]
    for start in range(0, scale, 100_000):
        rows = []
        for n in range(start + 1, min(scale, start + 100_000) + 1):
            name = " ".join(rng.sample(WORDS, 3)) + f" {n}"
            rows.append((n, f"B-{n:07d}", name, 1000, rng.randrange(100, 900), now, now))
        raw.executemany(
            "INSERT INTO products (id, sku, name, description, unit, price, cost, tax_rate_bp,"
            " weight_g, track_stock, tracking, tax_class, active, created_at, updated_at)"
            " VALUES (?, ?, ?, '', 'pcs', ?, ?, 0, 0, 1, 'none', '', 1, ?, ?)",
            rows,
        )
        raw.executemany(
            "INSERT INTO barcodes (code, product_id, pack_qty, symbology) VALUES (?, ?, 1, '')",
            [(f"29{r[0]:011d}", r[0]) for r in rows],
        )
        raw.executemany(
            "INSERT INTO product_tokens (token, product_id) VALUES (?, ?)",
            [(w, r[0]) for r in rows for w in {*r[2].split(), r[1].lower()}],
        )
        raw.executemany(
            "INSERT INTO stock_levels (product_id, location_id, on_hand, reserved)"
            " VALUES (?, ?, ?, 0)",
            [(r[0], bins[r[0] % BINS], 5) for r in rows],
        )
    supplier = raw.execute("SELECT id FROM locations WHERE code = 'V-SUPPLIER'").fetchone()[0]
    long_one = bins[1 % BINS]
    raw.executemany(
        "INSERT INTO stock_moves (product_id, quantity, from_location_id, to_location_id, state,"
        " origin_type, reason, created_at, done_at) VALUES (1, 1, ?, ?, 'done', ?, '', ?, ?)",
        [
            (supplier, long_one, "receipt", now, now)
            if i % 2
            else (long_one, bins[2], "transfer", now, now)
            for i in range(MOVES)
        ],
    )
    raw.commit()
    raw.execute("ANALYZE")
    raw.close()
    marker.write_text("ok")


Timer = Callable[..., float]


def run(path: Path, runs: int, median_ms: Timer, replayed: Any) -> list[tuple[Any, ...]]:
    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    actor = auth.SYSTEM
    results: list[tuple[Any, ...]] = []
    cases: dict[str, Callable[[], object]] = {
        "stock page 1 (no search)": lambda: _read(database, lambda s: stock_page(s, actor)),
        "stock page at row 10,000": lambda: _read(
            database, lambda s: stock_page(s, actor, "", 10_000, 50)
        ),
        "stock page for a scanned code": lambda: _read(
            database, lambda s: stock_page(s, actor, "2900000654321")
        ),
        "stock page 'copper kettle'": lambda: _read(
            database, lambda s: stock_page(s, actor, "copper kettle")
        ),
        f"history first page ({MOVES:,} moves)": lambda: _read(
            database, lambda s: history.product_history(s, actor, 1)
        ),
    }
    for name, fn in cases.items():
        results.append(
            (
                name,
                median_ms(fn, runs),
                "ms",
                "same SQL via raw sqlite3",
                median_ms(replayed(database, raw, fn), runs),
                "<= 100 ms",
            )
        )
    raw.close()
    database.dispose()
    return results


def _read(database: db.Database, work: Callable[[Any], object]) -> object:
    with database.read() as s:
        return work(s)


def main() -> int:
    from bench.run import CACHE, median_ms, replayed

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"inventory-{args.scale}.sqlite"
    started = time.perf_counter()
    build(path, args.scale)
    print(f"store ready in {time.perf_counter() - started:.1f} s")
    for name, value, unit, floor_name, floor, target in run(path, args.runs, median_ms, replayed):
        print(f"{name:<42}{value:>9.2f} {unit}  {floor_name} {floor:.2f} {unit}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
