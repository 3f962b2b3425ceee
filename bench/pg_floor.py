"""The raw floor of a counter sale on PostgreSQL: the very statements one Kestrel sale sent,
replayed through plain psycopg, one transaction a sale.

`capture` records what one sale sends (SQL text and parameters, as SQLAlchemy handed
them to psycopg). `replay` sends the same statements again with only what must differ
for another sale: the order's number and tracking token, the lines' ids (from the same
nextval statement the sale ran), the audit chain's places and hashes (from the head the
replay locks), and the two products (a seller's pair, as the Kestrel sellers choose
them, in the same lock order). What is left is the server's and the driver's share of a
sale: the floor Kestrel's Python is measured against.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg

Statement = tuple[str, Any, bool]  # SQL, parameters (a list of them for executemany), many


def capture(engine: Any, sale: Callable[[], object]) -> list[Statement]:
    """The statements `sale` sends through `engine` (without BEGIN/COMMIT)."""
    from sqlalchemy import event

    sent: list[Statement] = []

    def grab(_conn, _cursor, statement, parameters, _context, many):  # type: ignore[no-untyped-def]
        sent.append((statement, parameters, many))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        sale()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    return [s for s in sent if not s[0].lstrip().upper().startswith(("BEGIN", "COMMIT"))]


def _products_in(statements: list[Statement]) -> list[int]:
    """The sale's products, in lock order (the order of its level UPDATEs)."""
    found = [
        params["b_product"]
        for sql, params, many in statements
        if not many and sql.startswith("UPDATE stock_levels")
    ]
    return list(dict.fromkeys(found))


def _swap(params: Any, mapping: dict[int, int]) -> Any:
    if not isinstance(params, dict):  # positional (none in today's sale): sent as they were
        return params
    out = dict(params)
    for key, value in params.items():
        product_key = (
            key in ("product_id", "b_product")
            or key.startswith(("ids_", "product_id_"))
            or (key.startswith("id") and key[2:].isdigit())  # driver_sql's IN (:id0, :id1)
        )
        if product_key and value in mapping:
            out[key] = mapping[value]
    return out


def replay(conn: psycopg.Connection, statements: list[Statement], products: list[int]) -> None:
    """One sale's statements as one transaction, for `products` (sorted like the sale's)."""
    old = _products_in(statements)
    mapping = dict(zip(old, products, strict=False))
    line_ids: list[int] = []
    seq, previous = 0, ""
    with conn.transaction(), conn.cursor() as cur:
        for sql, params, many in statements:
            if many and not isinstance(params, dict):  # (the ORM's batched VALUES is one)
                rows = [_swap(p, mapping) for p in params]
                if sql.startswith("INSERT INTO order_lines") and line_ids:  # ids taken first
                    rows = [{**r, "id": i} for r, i in zip(rows, line_ids, strict=True)]
                elif sql.startswith("INSERT INTO audit_log"):
                    for r in rows:
                        seq += 1
                        text = f"{previous}\n{seq}{r['action']}{r['subject']}{r['detail']}"
                        previous = hashlib.sha256(text.encode()).hexdigest()
                        r.update(seq=seq, hash=previous)
                cur.executemany(sql, rows)
                continue
            one = _swap(params, mapping)
            if sql.startswith("INSERT INTO sales_orders"):
                one = {**one, "number": f"R-{uuid.uuid4().hex[:16]}"}
                one["tracking_token"] = uuid.uuid4().hex
            elif sql.startswith("UPDATE audit_chain"):
                one = {**one, "new_seq": seq, "new_hash": previous}
            cur.execute(sql, one)
            if "pg_get_serial_sequence" in sql:
                line_ids = [r[0] for r in cur.fetchall()]
            elif sql.startswith("SELECT audit_chain.seq"):
                seq, previous = cur.fetchone() or (0, "")


def replayer(
    dsn: str,
    statements: list[Statement],
    product_ids: list[int],
    seconds: float,
    start_at: float,
    seed: int,
) -> tuple[int, float]:
    """One raw process replaying sales for `seconds`: (sales, CPU seconds it used)."""
    with psycopg.connect(dsn) as conn:
        while time.time() < start_at:
            time.sleep(0.005)
        done, n = 0, seed
        cpu = time.process_time()
        deadline = time.time() + seconds
        while time.time() < deadline:
            first, second = (
                product_ids[n % len(product_ids)],
                product_ids[(n * 7 + 3) % len(product_ids)],
            )
            if first == second:
                second = product_ids[(n * 7 + 4) % len(product_ids)]
            replay(conn, statements, sorted((first, second)))
            n += 1
            done += 1
        return done, time.process_time() - cpu
