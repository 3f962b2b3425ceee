"""Importing a file of products with barcodes: the preview (read, map, check against the
store, write nothing) and the import itself (one transaction), on a fresh SQLite store.

Issue 15's targets: 100,000 products with barcodes imported in <= 20 s, previewed in <= 3 s.
Run alone with `python -m bench.transfer [--rows N]`; `make bench` runs it at 100,000.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from stdnum import ean

from app import db
from app.core import auth
from app.core.bootstrap import ensure_base_data
from app.services.stock.integrity import check
from app.services.transfer import imports

HEAD = ["SKU", "Name", "Price", "Cost", "VAT %", "EAN", "Category", "Weight (g)"]
WORDS = ("organic", "coffee", "beans", "kestrel", "mug", "enamel", "tea", "linen", "lumen")


def write_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEAD)
        for i in range(rows):
            body = f"40{i:010d}"
            words = " ".join(WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7))
            writer.writerow(
                [
                    f"IMP-{i:07d}",
                    f"{words.title()} {i}",
                    f"{(i % 5000) / 100 + 1:.2f}".replace(".", ","),
                    f"{(i % 2000) / 100:.2f}",
                    ("23", "13.5", "0")[i % 3],
                    body + ean.calc_check_digit(body),
                    f"Dept {i % 12} > Shelf {i % 40}",
                    str(i % 3000),
                ]
            )


def run(rows: int = 100_000) -> list[tuple[str, float, str, str, float | None, str]]:
    """(name, value, unit, floor name, floor value, target) rows, as bench/shared.py gives."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "products.csv"
        write_file(path, rows)
        store = db.Database.open(f"sqlite:///{Path(folder) / 'import.sqlite'}")
        db.migrate(store.engine)
        with store.write() as session:
            ensure_base_data(session)
        started, cpu = time.perf_counter(), time.process_time()
        with store.read() as session:
            preview = imports.preview(session, auth.SYSTEM, "products", path)
        preview_s, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert preview.ok and preview.to_add == rows, preview.refused[:3]
        started, cpu = time.perf_counter(), time.process_time()
        with store.write() as session:
            result = imports.apply(session, auth.SYSTEM, preview)
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert result.added == rows
        started = time.perf_counter()
        with store.read() as session:
            again = imports.preview(session, auth.SYSTEM, "products", path)
        unchanged_s = time.perf_counter() - started
        assert again.unchanged == rows
        with store.read() as session:
            assert check(session) == []
        store.dispose()
    label = f"{rows:,} products with barcodes"
    # CPU seconds beside the wall clock: on a machine shared with other work the wall
    # clock says more about the neighbours than about the import.
    return [
        (f"import preview, {label}", preview_s, "s", "CPU s", preview_cpu, "<= 3 s at 100,000"),
        (f"import, {label}", import_s, "s", "CPU s", import_cpu, "<= 20 s at 100,000"),
        (f"import preview, {label} all unchanged", unchanged_s, "s", "", None, ""),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    for name, value, unit, floor_name, floor, target in run(args.rows):
        beside = f"({floor:.2f} {floor_name})" if floor is not None else ""
        print(f"{name:<58}{value:>7.2f} {unit} {beside:<16} {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
