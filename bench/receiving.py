"""Receiving by scan on a copy of the bench store: a sent purchase order of many lines, then
one scan per line, each its own write transaction (parse, barcode look-up, lock the PO,
the receipt move, the line, the average cost, the status, the audit, commit), next to raw
sqlite3's UPDATE of the line + COMMIT.

Issue 16's target: receiving feedback per scan <= 20 ms. Run by `make bench`, or alone on
a store already built (or built now): `python -m bench.receiving --scale 20000`.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from app import db
from app.core import auth
from app.models import Barcode, Product, Warehouse
from app.services.purchasing import order_status, orders, suppliers
from app.services.purchasing.orders import LineInput
from app.services.purchasing.receive_scan import scan_receipt

TARGET = "<= 20 ms"


def _order(store: db.Database, lines: int) -> tuple[str, list[str]]:
    """A sent PO of `lines` products with a unit barcode each; their codes, in order."""
    with store.write() as s:
        rows = s.execute(
            select(Product.sku, Barcode.code)
            .join(Barcode, Barcode.product_id == Product.id)
            .where(
                Product.track_stock.is_(True),
                Product.tracking == "none",
                Barcode.pack_qty == 1,
            )
            .order_by(Product.id)
            .limit(lines)
        ).all()
        supplier = suppliers.create_supplier(
            s, auth.SYSTEM, suppliers.SupplierInput("Bench Supplies", code="BENCH-RCV")
        )
        warehouse = s.scalar(select(Warehouse.code).order_by(Warehouse.id))
        number = orders.create_order(
            s, auth.SYSTEM, supplier, str(warehouse), [LineInput(sku, 1000) for sku, _ in rows]
        )
        order_status.send(s, auth.SYSTEM, number)
    return number, [code for _, code in rows]


def run(path: Path, scans: int = 300) -> list[tuple[str, float, str, str, float | None, str]]:
    """(name, value, unit, floor name, floor value, target) rows, as bench/shared.py gives."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "receiving.sqlite"
        shutil.copyfile(path, copy)
        store = db.Database.open(f"sqlite:///{copy}")
        number, codes = _order(store, scans)
        actor = auth.SYSTEM
        with store.write() as s:  # the first receipt makes the receiving location
            scan_receipt(s, actor, number, codes[0])
        latencies = []
        for code in codes:
            started = time.perf_counter()
            with store.write() as s:
                feedback = scan_receipt(s, actor, number, code)
            latencies.append((time.perf_counter() - started) * 1000)
            assert feedback.added == 1
        store.dispose()
        raw = sqlite3.connect(copy, isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        ids = [
            row[0] for row in raw.execute("SELECT id FROM purchase_order_lines LIMIT ?", (scans,))
        ]
        floor = []
        for line_id in ids:
            started = time.perf_counter()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(
                "UPDATE purchase_order_lines SET received = received + 1 WHERE id = ?", (line_id,)
            )
            raw.execute("COMMIT")
            floor.append((time.perf_counter() - started) * 1000)
        raw.close()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return [
        (
            "receiving feedback per scan, median",
            statistics.median(latencies),
            "ms",
            "raw sqlite3 UPDATE+COMMIT",
            statistics.median(floor),
            TARGET,
        ),
        ("receiving feedback per scan, p99", p99, "ms", "", None, TARGET),
    ]


def main() -> int:
    import argparse

    from bench import run as bench_run

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=300)
    args = parser.parse_args()
    bench_run.CACHE.mkdir(exist_ok=True)
    path = bench_run.CACHE / f"demo-{args.scale}-v{bench_run.CACHE_VERSION}.sqlite"
    bench_run.build_store(args.scale, path, [])
    for name, value, unit, floor_name, floor, target in run(path, args.scans):
        shown = f"   floor {floor:.2f} {unit} ({floor_name})" if floor is not None else ""
        print(f"{name:<40}{value:>9.2f} {unit}{shown}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
