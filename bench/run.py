"""`make bench`: figures for the foundation, each next to its floor measured in the same run.

Builds (or reuses) a cached demo store of SCALE products and SCALE orders under
bench/.cache, runs every benchmark, prints a table and writes bench/results.json.
Figures are medians over several runs. Nothing here is a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import db  # noqa: E402
from app.admin.demo import build_demo  # noqa: E402
from app.core import auth  # noqa: E402
from app.services.sales import (
    order_detail,  # noqa: E402
)
from app.services.sales.order_list import OrderQuery, list_orders  # noqa: E402
from app.services.stock import catalogue  # noqa: E402
from app.services.stock.integrity import check  # noqa: E402
from app.services.stock.lookup import CodeLookup  # noqa: E402

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
CACHE_VERSION = 3  # bump when the demo store's contents change


@dataclass
class Result:
    name: str
    value: float
    unit: str
    floor_name: str = ""
    floor_value: float | None = None
    target: str = ""


def median_ms(fn: Callable[[], object], runs: int, warm: int = 1) -> float:
    for _ in range(warm):  # warm the page cache and statement compilation
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def replayed(database: db.Database, raw: sqlite3.Connection, fn: Callable[[], object]):  # type: ignore[no-untyped-def]
    """The floor for `fn`: the very SQL it sent, replayed through raw sqlite3."""
    from sqlalchemy import event

    sent: list[tuple[str, object]] = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", grab)
    try:
        fn()
    finally:
        event.remove(database.engine, "before_cursor_execute", grab)
    queries = [(sql, p) for sql, p in sent if not sql.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]

    def floor() -> object:
        return [raw.execute(sql, params).fetchall() for sql, params in queries]

    return floor


def cycle(values: list) -> Callable[[], object]:  # type: ignore[type-arg]
    it = iter(values * 1000)
    return lambda: next(it)


def build_store(scale: int, path: Path, results: list[Result]) -> None:
    marker = path.with_suffix(".ready")
    if path.exists() and marker.exists():
        print(f"reusing {path.name}")
        cached = db.Database.open(f"sqlite:///{path}")
        db.migrate(cached.engine)  # a store cached by an older Kestrel gets the new schema
        cached.dispose()
        return
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)
    print(f"building a demo store of {scale:,} products and {scale:,} orders ...", flush=True)

    def progress(stage: str, done: int, total: int) -> None:
        if total >= 100_000 and done % 200_000 < 50_000:
            print(f"  {stage}: {done:,} / {total:,}", flush=True)

    with database.write() as session:
        stats = build_demo(
            session,
            auth.SYSTEM,
            products=scale,
            customers=max(50, scale // 10),
            orders=scale,
            progress=progress,
        )
    with database.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    database.dispose()
    marker.write_text("ok")
    results.append(Result("demo build", stats.rows_per_second, "rows/s"))
    print(f"built {stats.total_rows:,} rows in {stats.seconds:.1f} s")


def bench_orders(database: db.Database, raw: sqlite3.Connection, runs: int) -> list[Result]:
    rng = random.Random(3)
    results: list[Result] = []
    with database.read() as s:
        max_order = s.execute(db_text("SELECT MAX(id) FROM sales_orders")).scalar_one()
        name = s.execute(
            db_text("SELECT customer_name FROM sales_orders WHERE id = :i"), {"i": max_order // 2}
        ).scalar_one()
    surname = name.split()[-1].lower()
    order_ids = [rng.randrange(1, max_order + 1) for _ in range(200)]

    def first_rows() -> object:
        with database.read() as s:
            return list_orders(s, OrderQuery(), 0, 200)

    def first_rows_raw() -> object:
        return raw.execute(
            "SELECT id, number, created_at, channel, status, customer_name, total, currency "
            "FROM sales_orders ORDER BY id DESC LIMIT 200"
        ).fetchall()

    results.append(
        Result(
            "orders list first 200 rows",
            median_ms(first_rows, runs),
            "ms",
            "raw sqlite3 same page",
            median_ms(first_rows_raw, runs),
            "<= 100 ms",
        )
    )

    query = OrderQuery(status="delivered", text=surname)

    def filtered() -> object:
        with database.read() as s:
            return list_orders(s, query, 0, 200)

    filtered_raw = replayed(database, raw, filtered)

    results.append(
        Result(
            f"orders filter status+text '{surname}'",
            median_ms(filtered, runs),
            "ms",
            "same SQL via raw sqlite3",
            median_ms(filtered_raw, runs),
            "<= 100 ms",
        )
    )

    sorted_query = OrderQuery(status="new", sort="total", descending=True)

    def sorted_page() -> object:
        with database.read() as s:
            return list_orders(s, sorted_query, 0, 200)

    results.append(
        Result(
            "orders filter new, sort by total",
            median_ms(sorted_page, runs),
            "ms",
            target="<= 100 ms",
        )
    )

    next_order = cycle(order_ids)

    def open_order() -> object:
        with database.read() as s:
            return order_detail.get_order(s, next_order())

    next_raw = cycle(order_ids)

    def open_order_raw() -> object:
        order_id = next_raw()
        raw.execute("SELECT * FROM sales_orders WHERE id = ?", (order_id,)).fetchone()
        raw.execute(
            "SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", (order_id,)
        ).fetchall()
        return raw.execute(
            "SELECT * FROM order_events WHERE order_id = ? ORDER BY id", (order_id,)
        ).fetchall()

    results.append(
        Result(
            "open an order",
            median_ms(open_order, runs * 20, warm=200),
            "ms",
            "raw sqlite3 same rows",
            median_ms(open_order_raw, runs * 20, warm=200),
            "<= 100 ms",
        )
    )

    return results


def bench_catalogue(database: db.Database, raw: sqlite3.Connection, runs: int) -> list[Result]:
    rng = random.Random(5)
    results: list[Result] = []
    max_product = raw.execute("SELECT MAX(id) FROM products").fetchone()[0]
    codes = [
        raw.execute(
            "SELECT code FROM barcodes WHERE product_id = ?", (rng.randrange(1, max_product + 1),)
        ).fetchone()[0]
        for _ in range(200)
    ]
    next_code = cycle(codes)
    scanner = CodeLookup(database.engine)

    def lookup() -> object:
        return scanner.find(next_code())

    next_raw_code = cycle(codes)

    def lookup_raw() -> object:
        return raw.execute(
            "SELECT p.id, p.sku, p.name, p.price, p.tax_rate_bp, b.pack_qty FROM barcodes b "
            "JOIN products p ON p.id = b.product_id WHERE b.code = ?",
            (next_raw_code(),),
        ).fetchone()

    results.append(
        Result(
            "barcode lookup",
            median_ms(lookup, runs * 50, warm=200) * 1000,
            "us",
            "raw sqlite3 same lookup",
            median_ms(lookup_raw, runs * 50, warm=200) * 1000,
            "<= 3x floor",
        )
    )
    scanner.close()
    next_session_code = cycle(codes)

    def lookup_session() -> object:
        with database.read() as s:
            return catalogue.find_by_code(s, next_session_code())

    results.append(
        Result(
            "barcode lookup via ORM session",
            median_ms(lookup_session, runs * 50, warm=200) * 1000,
            "us",
        )
    )

    for words in ("organic coffee", "kestrel mug", "lumen"):

        def search(words: str = words) -> object:
            with database.read() as s:
                return catalogue.search_products(s, words, 0, 100)

        results.append(
            Result(
                f"product search '{words}'",
                median_ms(search, runs),
                "ms",
                "same SQL via raw sqlite3",
                median_ms(replayed(database, raw, search), runs),
                "<= 100 ms",
            )
        )

    started = time.perf_counter()
    with database.read() as s:
        problems = check(s)
    results.append(
        Result(
            f"kestrel check ({len(problems)} problems)",
            (time.perf_counter() - started) * 1000,
            "ms",
        )
    )
    raw.close()
    database.dispose()
    return results


def bench_printing(database: db.Database, runs: int) -> list[Result]:
    """Receipt and label bytes, a 500-order pick list PDF, queue throughput to the emulator."""
    import tempfile

    from app.admin.emulator import PrinterEmulator
    from app.printing import documents as layouts
    from app.printing.doc_data import PickLine
    from app.printing.escpos import EscposTarget, render_receipt
    from app.printing.pdf import pick_list
    from app.printing.transports import parse_uri, send
    from app.printing.zpl import render_label
    from app.services.printing import document_data, documents, printers
    from app.services.printing import queue as printing
    from app.services.printing.printers import PrinterInput
    from app.services.printing.worker import PrintWorker

    results: list[Result] = []
    with database.read() as s:
        order_id = s.execute(db_text("SELECT MAX(id) FROM sales_orders")).scalar_one()
        shop = document_data.company(s)
        data = document_data.receipt_data(s, order_id)
        label_data = document_data.shipping_label_data(s, order_id, "1Z999AA10123456784", "UPS")
    target = EscposTarget("default", 80)
    results.append(
        Result(
            "order -> ESC/POS receipt bytes",
            median_ms(
                lambda: render_receipt(layouts.receipt(shop, data), target), runs * 10, warm=5
            ),
            "ms",
            target="<= 5 ms",
        )
    )

    def receipt_from_db() -> object:
        with database.read() as s:
            return documents.render_for(
                s,
                printers.PrinterRow(
                    0, "", "preview:", "receipt", "escpos", "default", 80, 203, True
                ),
                "receipt",
                order_id,
            )

    results.append(
        Result(
            "order -> receipt incl. database read",
            median_ms(receipt_from_db, runs * 10, warm=5),
            "ms",
        )
    )
    label = layouts.shipping_label(label_data)
    results.append(
        Result(
            "order -> ZPL shipping label",
            median_ms(
                lambda: render_label(layouts.shipping_label(label_data), 203), runs * 10, warm=5
            ),
            "ms",
            target="<= 2 ms",
        )
    )
    del label
    lines = [
        PickLine(
            f"MAIN-A{n % 40:02d}-{n % 12:02d}",
            n % 480,
            f"SKU-{n}",
            f"Product {n}",
            1,
            f"SO-{n // 5:06d}",
        )
        for n in range(2500)
    ]
    results.append(
        Result(
            "pick list PDF, 500 orders / 2,500 lines",
            median_ms(lambda: pick_list(lines, "Wave"), max(3, runs // 2)),
            "ms",
            target="<= 2000 ms",
        )
    )

    jobs = 1000
    payload = render_receipt(layouts.receipt(shop, data), target)
    with tempfile.TemporaryDirectory() as folder, PrinterEmulator(port=0) as printer:
        queue_db = db.Database.open(f"sqlite:///{folder}/queue.sqlite")
        db.migrate(queue_db.engine)
        with queue_db.write() as s:
            printer_id = printers.add_printer(
                s, auth.SYSTEM, "bench", PrinterInput("Emulator", printer.uri, "receipt")
            )
        with queue_db.write() as s:
            for _ in range(jobs):
                printing.enqueue(s, auth.SYSTEM, printer_id, "receipt", payload)
        worker = PrintWorker(queue_db, "bench")
        started = time.perf_counter()
        while worker.run_once():
            pass
        queue_rate = jobs / (time.perf_counter() - started)
        address = parse_uri(printer.uri)
        started = time.perf_counter()
        for _ in range(jobs):
            send(address, payload, "escpos")
        raw_rate = jobs / (time.perf_counter() - started)
        queue_db.dispose()
    results.append(
        Result(
            "print queue throughput to emulator",
            queue_rate,
            "jobs/s",
            "same jobs sent without the queue",
            raw_rate,
            ">= 100 jobs/s",
        )
    )
    return results


def bench_scans(path: Path, scans: int) -> list[Result]:
    """Scan to line in the cart: parse, the scanner look-up on the full catalogue, add, total."""
    from app.services.sales.cart import Cart
    from app.services.stock.scanning import parse_scan

    results: list[Result] = []
    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    rng = random.Random(11)
    top = raw.execute("SELECT MAX(product_id) FROM barcodes").fetchone()[0]
    codes = [
        raw.execute(
            "SELECT code FROM barcodes WHERE product_id = ?", (rng.randrange(1, top),)
        ).fetchone()[0]
        for _ in range(500)
    ]
    scanner = CodeLookup(database.engine)
    cart = Cart()
    timings = []
    for code in (codes * (scans // len(codes) + 1))[:scans]:
        started = time.perf_counter()
        scan = parse_scan(code)
        hit = scanner.find(scan.codes[0])
        assert hit is not None
        cart.add(hit, hit.pack_qty)
        cart.totals()
        timings.append((time.perf_counter() - started) * 1000)
        if len(cart.lines) > 30:
            cart = Cart()
    timings.sort()
    results.append(
        Result("scan to cart line, median", timings[len(timings) // 2], "ms", target="<= 5 ms")
    )
    results.append(
        Result("scan to cart line, p99", timings[int(len(timings) * 0.99)], "ms", target="<= 20 ms")
    )
    scanner.close()
    raw.close()
    database.dispose()
    return results


def db_text(sql: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    return text(sql)


def bench_fulfilment(path: Path, wave_size: int = 1000, scans: int = 300) -> list[Result]:
    """A wave of confirmed orders, its pick list PDF, and scan-to-pick feedback (each scan
    one write transaction, commit included) next to raw sqlite3's same UPDATE + COMMIT."""
    import shutil
    import tempfile

    from sqlalchemy import select

    from app.core.bootstrap import default_warehouse_id
    from app.models import Barcode, SalesOrder
    from app.services.fulfilment import picking, waves
    from app.services.printing import documents

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "fulfilment.sqlite"
        shutil.copyfile(path, copy)
        store = db.Database.open(f"sqlite:///{copy}")
        with store.read() as s:
            main = default_warehouse_id(s)
            ids = list(
                s.scalars(
                    select(SalesOrder.id)
                    .where(SalesOrder.status == "confirmed", SalesOrder.warehouse_id == main)
                    .order_by(SalesOrder.id)
                    .limit(wave_size)
                )
            )
        started = time.perf_counter()
        with store.write() as s:
            wave = waves.create_wave(s, auth.SYSTEM, ids)
        wave_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        with store.write() as s:
            documents.print_pick_list(s, auth.SYSTEM, "bench", wave.id)
        pdf_ms = (time.perf_counter() - started) * 1000
        with store.read() as s:
            walk = [ln for ln in picking.lines(s, wave.id) if ln.quantity > 1][:scans]
            codes = {
                ln.product_id: s.scalar(
                    select(Barcode.code).where(Barcode.product_id == ln.product_id).limit(1)
                )
                for ln in walk
            }
        latencies = []
        for ln in walk:  # one scan each, so no line finishes: the pure feedback path
            started = time.perf_counter()
            with store.write() as s:
                picking.pick_item(s, auth.SYSTEM, ln.id, codes[ln.product_id], ln.bin_code)
            latencies.append((time.perf_counter() - started) * 1000)
        store.dispose()
        raw = sqlite3.connect(copy, isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw_times = []
        for ln in walk:
            started = time.perf_counter()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(
                "UPDATE pick_lines SET picked = picked + 1 WHERE id = ? AND status = 'open' "
                "AND picked + 1 <= quantity",
                (ln.id,),
            )
            raw.execute("COMMIT")
            raw_times.append((time.perf_counter() - started) * 1000)
        raw.close()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    label = f"{wave.orders:,}-order wave ({wave.lines:,} lines)"
    return [
        Result(label, wave_ms, "ms", target="<= 1000 ms for 1,000 orders"),
        Result("pick list PDF of that wave", pdf_ms, "ms"),
        Result(
            "scan-to-pick feedback, median",
            statistics.median(latencies) if latencies else 0,
            "ms",
            "raw sqlite3 UPDATE+COMMIT",
            statistics.median(raw_times) if raw_times else None,
            "<= 20 ms",
        ),
        Result("scan-to-pick feedback, p99", p99, "ms", target="<= 20 ms"),
    ]


def bench_stores(scale: int, runs: int) -> list[Result]:
    """The figures measured on stores of their own (transfers, lots, reorder, dashboard,
    stock, reports), each built once and cached like the demo store."""
    from bench import dashboard, inventory, lots, reorder, reports, transfer

    results = [Result(*row) for row in transfer.run(100_000)]
    results += [Result(*row) for row in lots.run(100_000)]
    results += [Result(*row) for row in reorder.run()]
    results += [Result(*row) for row in dashboard.run(scale, runs)]
    stock_store = CACHE / f"inventory-{scale}.sqlite"
    inventory.build(stock_store, scale)
    results += [Result(*row) for row in inventory.run(stock_store, runs, median_ms, replayed)]
    reports_store = CACHE / f"reports-{scale}.sqlite"
    reports.build(reports_store, scale)
    reports_runs = max(3, runs // 2)
    results += [Result(*row) for row in reports.fold_store(reports_store)]
    results += [
        Result(*row) for row in reports.run(reports_store, reports_runs, median_ms, replayed)
    ]
    return results


def some(only: list[str], scale: int, path: Path, runs: int) -> list[Result]:
    """`--only editor,dashboard,lists,startup`: those families of figures alone."""
    from bench import dashboard, editor, lists, startup

    results: list[Result] = []
    if "editor" in only:
        results += [Result(*row) for row in editor.run(path, runs)]
    if "dashboard" in only:
        results += [Result(*row) for row in dashboard.run(scale, runs)]
    if "lists" in only:
        database, raw = db.Database.open(f"sqlite:///{path}"), sqlite3.connect(path)
        results += [Result(*row) for row in lists.run(database, raw, runs, median_ms, replayed)]
        raw.close()
        database.dispose()
    if "startup" in only:
        results += [Result(*row) for row in startup.run(f"sqlite:///{path}", max(3, runs // 2))]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="", help="comma list: editor, dashboard, lists, startup")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{args.scale}-v{CACHE_VERSION}.sqlite"
    url = f"sqlite:///{path}"
    results: list[Result] = []
    build_store(args.scale, path, results)
    from bench import editor, lists, startup

    if args.only:  # one family of figures, on the same store
        results += some(args.only.split(","), args.scale, path, args.runs)
        return report(args.scale, results, write=False)
    database = db.Database.open(url)
    raw = sqlite3.connect(path)
    results += bench_orders(database, raw, args.runs)
    results += [Result(*row) for row in lists.run(database, raw, args.runs, median_ms, replayed)]
    from bench import customers

    results += [
        Result(*row) for row in customers.run(database, raw, args.runs, median_ms, replayed)
    ]
    results += bench_catalogue(database, raw, args.runs)
    results += [Result(*row) for row in editor.run(path, args.runs)]
    results += bench_printing(database, args.runs)
    results += bench_scans(path, 1000)
    from bench import sales as counter_sales

    results += [Result(*row) for row in counter_sales.run(path, 300)]
    results += bench_fulfilment(path)
    from bench import receiving

    results += [Result(*row) for row in receiving.run(path)]
    raw.close()
    database.dispose()
    results += [Result(*row) for row in startup.run(url, max(3, args.runs // 2))]
    results += bench_stores(args.scale, args.runs)
    from bench import shared

    if shared.reachable():
        results += [Result(*row) for row in shared.run()]
    else:
        print(f"(no PostgreSQL at {shared.SERVER}: the shared-database figures are skipped)")

    return report(args.scale, results)


def report(scale: int, results: list[Result], write: bool = True) -> int:
    print(
        f"\nKestrel bench, scale {scale:,}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'benchmark':<42}{'value':>12}  {'floor':>12}  {'ratio':>6}  target")
    for r in results:
        floor = f"{r.floor_value:,.2f}" if r.floor_value is not None else ""
        ratio = f"{r.value / r.floor_value:.2f}x" if r.floor_value else ""
        print(f"{r.name:<42}{r.value:>9,.2f} {r.unit:<3}{floor:>12}  {ratio:>6}  {r.target}")
    if not write:  # a partial run leaves the full run's results.json alone
        return 0
    out = HERE / "results.json"
    out.write_text(
        json.dumps(
            [{k: v for k, v in asdict(r).items() if k != "target"} for r in results], indent=2
        )
        + "\n"
    )
    print(f"\nwritten to {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
