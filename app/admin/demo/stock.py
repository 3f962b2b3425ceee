"""Opening stock: receipts that make every level equal its ledger."""

from __future__ import annotations

from datetime import timedelta

from app.admin.demo.builder import Builder, DemoStats
from app.admin.demo.columns import MOVE_COLS
from app.core.bootstrap import virtual_location_id
from app.core.bulk import insert_rows, next_id
from app.models import LocationKind


def stock(b: Builder, stats: DemoStats) -> None:
    """Receipts that make every level equal its ledger: consumed + reserved + spare."""
    rng = b.rng
    supplier = virtual_location_id(b.s, LocationKind.SUPPLIER)
    placed: dict[tuple[int, int], int] = {}
    for p, bin_id in enumerate(b.product_bin):
        placed[(p, bin_id)] = rng.choice((0, 3, 8, 12, 24, 40, 60, 120))
    counter_share = max(1, len(b.product_bin) // 20)
    for p in range(min(len(b.product_bin), counter_share)):
        placed[(p, b.counter_bin)] = rng.choice((6, 12, 20))
    for key in list(b.done) + list(b.reserved):
        placed.setdefault(key, 0)
    for key, wanted in b.accepted.items():  # accepting checked the stock was there
        placed[key] = max(placed.get(key, 0), wanted)
    first_move = next_id(b.s, "stock_moves")
    received = b.now - timedelta(days=801)
    moves: list[tuple[object, ...]] = []
    levels: list[tuple[object, ...]] = []
    for n, ((p, bin_id), spare) in enumerate(placed.items()):
        reserved = b.reserved.get((p, bin_id), 0)
        on_hand = spare + reserved
        incoming = on_hand + b.done.get((p, bin_id), 0)
        if incoming:
            moves.append(
                (
                    first_move + len(moves),
                    b.first_product + p,
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
        levels.append((b.first_product + p, bin_id, on_hand, reserved))
        if n % 100_000 == 0:
            b.tick("stock", n, len(placed))
    stats.rows["stock_moves"] = stats.rows.get("stock_moves", 0) + insert_rows(
        b.s, "stock_moves", MOVE_COLS, moves
    )
    stats.rows["stock_levels"] = insert_rows(
        b.s, "stock_levels", ("product_id", "location_id", "on_hand", "reserved"), levels
    )
