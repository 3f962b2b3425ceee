"""The reorder run over 1,000,000 products with 100,000 rules, on SQLite (issue 16: <= 5 s).

The store: N products, each on hand in a bin of MAIN (some reserved) and a fifth of them
in a second warehouse too (1.2 M stock levels), 40 suppliers with terms for every ruled
product, 100 open purchase orders with 5,000 lines, and the rules (four in five in MAIN):
about a fifth below their minimum, a fifth above their maximum. Built once with Core
executemany and cached in bench/.cache.

Figures: the dry run (plan only), the run itself (drafts written, rolled back so every
repeat sees the same store), a second run once the first's drafts are committed (nothing
to order, 20,000 more incoming lines), and the floor: the very SQL of the dry run replayed
through plain sqlite3 in the same run. Run alone with `python -m bench.reorder
[--products N] [--rules N]`; `make bench` runs it at 1,000,000 / 100,000.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event, func, insert, select

from app import db
from app.core import auth
from app.core.bootstrap import ensure_base_data
from app.models import (
    Location,
    Party,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    ReorderRule,
    StockLevel,
    SupplierProduct,
    Warehouse,
    utcnow,
)
from app.services.purchasing.reorder import run_reorder

HERE = Path(__file__).resolve().parent
CHUNK = 50_000
SUPPLIERS = 40
Row = tuple[str, float, str, str, float | None, str]


def _chunks(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def _put(conn, table, rows):  # type: ignore[no-untyped-def]
    for chunk in _chunks(rows):
        conn.execute(insert(table), chunk)


def build(path: Path, products: int, rules: int) -> None:
    """The store described above (deterministic: random.Random(16))."""
    rng = random.Random(16)
    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
        main = s.scalar(select(Warehouse.id).where(Warehouse.code == "MAIN"))
        bin_main = s.scalar(select(Location.id).where(Location.code == "MAIN-STOCK"))
        west = Warehouse(code="WEST", name="West depot")
        s.add(west)
        s.flush()
        bin_west = Location(code="WEST-STOCK", name="Stock", kind="internal", warehouse_id=west.id)
        s.add(bin_west)
        s.flush()
        west_id, west_bin = west.id, bin_west.id
    now = utcnow()
    with database.engine.begin() as conn:
        _put(
            conn,
            Product,
            [
                {"sku": f"R-{i:07d}", "name": f"Item {i}", "price": 900, "cost": 400 + i % 300}
                for i in range(1, products + 1)
            ],
        )
        levels = []
        for pid in range(1, products + 1):
            on_hand = rng.randrange(0, 101)
            levels.append(
                {
                    "product_id": pid,
                    "location_id": bin_main,
                    "on_hand": on_hand,
                    "reserved": min(on_hand, rng.randrange(0, 6)),
                }
            )
            if pid % 5 == 0:
                levels.append(
                    {
                        "product_id": pid,
                        "location_id": west_bin,
                        "on_hand": rng.randrange(0, 101),
                        "reserved": 0,
                    }
                )
        _put(conn, StockLevel, levels)
        _put(
            conn,
            Party,
            [
                {
                    "name": f"Supplier {n}",
                    "code": f"S{n:02d}",
                    "is_customer": False,
                    "is_supplier": True,
                    "is_company": True,
                    "currency": "EUR",
                    "lead_time_days": n % 10,
                    "created_at": now,
                }
                for n in range(1, SUPPLIERS + 1)
            ],
        )
        first_supplier = conn.execute(select(func.min(Party.id)).where(Party.is_supplier)).scalar()
        step = max(1, products // rules)
        ruled = [(1 + k * step, west_id if k % 5 == 4 else main) for k in range(rules)]
        supplier_of = {pid: first_supplier + k % SUPPLIERS for k, (pid, _) in enumerate(ruled)}
        _put(
            conn,
            SupplierProduct,
            [
                {
                    "supplier_id": supplier_of[pid],
                    "product_id": pid,
                    "supplier_sku": f"SUP-{pid}",
                    "cost": 300 + pid % 200,
                    "min_order_qty": (1, 1, 10, 24)[pid % 4],
                    "pack_size": (1, 6, 1, 12)[pid % 4],
                    "updated_at": now,
                }
                for pid, _ in ruled
            ],
        )
        _put(
            conn,
            ReorderRule,
            [
                {
                    "product_id": pid,
                    "warehouse_id": wid,
                    "min_qty": 20,
                    "max_qty": 80,
                    "multiple": (1, 5, 10)[pid % 3],
                    "supplier_id": supplier_of[pid],
                    "lead_time_days": 3,
                    "active": True,
                }
                for pid, wid in ruled
            ],
        )
        _put(
            conn,
            PurchaseOrder,
            [
                {
                    "number": f"M-{n:06d}",
                    "supplier_id": first_supplier + n % SUPPLIERS,
                    "warehouse_id": main if n % 5 else west_id,
                    "status": ("sent", "draft", "partly_received", "received")[n % 4],
                    "created_at": now,
                }
                for n in range(1, 101)
            ],
        )
        _put(
            conn,
            PurchaseOrderLine,
            [
                {
                    "order_id": 1 + n % 100,
                    "product_id": ruled[rng.randrange(len(ruled))][0],
                    "ordered": rng.randrange(1, 40),
                    "received": rng.randrange(0, 10),
                }
                for n in range(5000)
            ],
        )
        conn.exec_driver_sql("ANALYZE")
    database.dispose()


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds. On a machine shared with other work the wall clock
    says more about the neighbours than about the run; SQLite works in this process, so
    the CPU seconds count its work too."""
    fn()  # warm the page cache and statement compilation
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def run(products: int = 1_000_000, rules: int = 100_000, runs: int = 5) -> list[Row]:
    """(name, value, unit, floor name, floor value, target) rows, as bench/shared.py gives."""
    (HERE / ".cache").mkdir(exist_ok=True)
    path = HERE / ".cache" / f"reorder-{products}-{rules}.sqlite"
    marker = path.with_suffix(".ready")
    if not marker.exists():
        path.unlink(missing_ok=True)
        print(f"building a reorder store of {products:,} products, {rules:,} rules ...")
        started = time.perf_counter()
        build(path, products, rules)
        marker.write_text("ok")
        print(f"built in {time.perf_counter() - started:.1f} s")
    database = db.Database.open(f"sqlite:///{path}")
    actor = auth.SYSTEM
    found: dict[str, int] = {}

    def dry() -> object:
        with database.read() as s:
            result = run_reorder(s, actor, dry_run=True)
        found.update(lines=result.line_count, overstock=len(result.overstock))
        return result

    def real() -> object:
        with database.write_sessions() as s:
            s.begin()
            result = run_reorder(s, actor)
            found.update(orders=len(result.purchase_orders))
            s.rollback()
        return result

    dry_s = _timed(dry, runs)
    real_s = _timed(real, runs)
    orders = found["orders"]
    sent: list[tuple[str, object]] = []

    def grab(_c, _cur, statement, parameters, _ctx, _many):  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", grab)
    dry()
    event.remove(database.engine, "before_cursor_execute", grab)
    sent = [(q, p) for q, p in sent if not q.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]
    raw = sqlite3.connect(path)
    floor_s = _timed(lambda: [raw.execute(q, p).fetchall() for q, p in sent], runs)  # type: ignore[arg-type]
    raw.close()
    with database.write() as s:  # commit one run: its drafts are incoming now
        run_reorder(s, actor)
    again_s = _timed(real, runs)
    with database.write() as s:  # leave the cached store as it was built
        s.execute(PurchaseOrderLine.__table__.delete().where(PurchaseOrderLine.order_id > 100))
        s.execute(PurchaseOrder.__table__.delete().where(PurchaseOrder.origin == "reorder"))
    database.dispose()
    label = f"{products:,} products, {rules:,} rules"
    lines = f"{found['lines']:,} lines in {orders} POs, {found['overstock']:,} overstock"
    return [
        (
            f"reorder dry run, {label} ({lines})",
            dry_s[0],
            "s",
            "raw sqlite3 same SQL",
            floor_s[0],
            "",
        ),
        ("reorder dry run, CPU", dry_s[1], "s", "raw sqlite3 same SQL, CPU", floor_s[1], ""),
        (f"reorder run, {label} (drafts written)", real_s[0], "s", "CPU s", real_s[1], "<= 5 s"),
        (
            "reorder run again at once (nothing to order)",
            again_s[0],
            "s",
            "CPU s",
            again_s[1],
            "<= 5 s",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--rules", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, value, unit, floor_name, floor, target in run(args.products, args.rules, args.runs):
        beside = f"({floor:.2f} s {floor_name})" if floor is not None else ""
        print(f"{name:<82}{value:>6.2f} {unit} {beside:<34} {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
