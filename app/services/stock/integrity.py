"""`kestrel check`: prove the stock cache equals the ledger, orders equal their lines, a
merged customer owns nothing, and the audit log's hash chain is whole.

Each check but the last is one aggregate query, so it runs in the database even on a
million orders, and reports at most a page of examples per problem. The audit chain is
walked in order (SHA-256 in Python, streamed in batches: neither engine can be trusted to
hash the same way, and SQLite has no SHA-256 at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core import audit_chain
from app.core.auth import Actor, Permission, require
from app.core.i18n import N_

Report = Callable[[str, int, int], None]  # (stage, done, total), as views/ops.py passes it

EXAMPLES = 20

_LEDGER = """
WITH ledger AS (
    SELECT product_id, location_id, SUM(oh) AS oh, SUM(rs) AS rs FROM (
        SELECT product_id, to_location_id AS location_id, quantity AS oh, 0 AS rs
          FROM stock_moves WHERE state = 'done'
        UNION ALL
        SELECT product_id, from_location_id, -quantity, 0
          FROM stock_moves WHERE state = 'done'
        UNION ALL
        SELECT product_id, from_location_id, 0, quantity
          FROM stock_moves WHERE state = 'reserved'
    ) contributions
    GROUP BY product_id, location_id
),
internal_ledger AS (
    SELECT l.* FROM ledger l JOIN locations loc ON loc.id = l.location_id
     WHERE loc.kind = 'internal'
)
SELECT p.sku, loc.code, COALESCE(s.on_hand, 0), COALESCE(s.reserved, 0), l.oh, l.rs
  FROM internal_ledger l
  LEFT JOIN stock_levels s ON s.product_id = l.product_id AND s.location_id = l.location_id
  JOIN products p ON p.id = l.product_id
  JOIN locations loc ON loc.id = l.location_id
 WHERE COALESCE(s.on_hand, 0) <> l.oh OR COALESCE(s.reserved, 0) <> l.rs
UNION ALL
SELECT p.sku, loc.code, s.on_hand, s.reserved, 0, 0
  FROM stock_levels s
  JOIN products p ON p.id = s.product_id
  JOIN locations loc ON loc.id = s.location_id
 WHERE (s.on_hand <> 0 OR s.reserved <> 0)
   AND NOT EXISTS (SELECT 1 FROM internal_ledger l
                    WHERE l.product_id = s.product_id AND l.location_id = s.location_id)
"""

_NEGATIVE = """
SELECT p.sku, loc.code, s.on_hand, s.reserved
  FROM stock_levels s
  JOIN products p ON p.id = s.product_id
  JOIN locations loc ON loc.id = s.location_id
 WHERE s.on_hand < 0 OR s.reserved < 0 OR s.reserved > s.on_hand
"""

_TOTALS = """
SELECT o.number, o.subtotal, o.tax_total, o.total,
       COALESCE(t.net, 0), COALESCE(t.tax, 0), COALESCE(t.total, 0)
  FROM sales_orders o
  LEFT JOIN (SELECT order_id, SUM(net) AS net, SUM(tax) AS tax, SUM(total) AS total
               FROM order_lines GROUP BY order_id) t ON t.order_id = o.id
 WHERE o.subtotal <> COALESCE(t.net, 0) OR o.tax_total <> COALESCE(t.tax, 0)
    OR o.total <> COALESCE(t.total, 0)
"""

_LINES = """
SELECT o.number, l.line_no, l.net, l.tax, l.total
  FROM order_lines l JOIN sales_orders o ON o.id = l.order_id
 WHERE l.net + l.tax <> l.total
"""


# A customer merged into another owns nothing any more (services/sales/customer_merge.py).
_MERGED = """
SELECT p.name, p.merged_into_id, 'order ' || o.number
  FROM parties p JOIN sales_orders o ON o.customer_id = p.id
 WHERE p.merged_into_id IS NOT NULL
UNION ALL
SELECT p.name, p.merged_into_id, 'address ' || CAST(a.id AS VARCHAR(20))
  FROM parties p JOIN addresses a ON a.party_id = p.id
 WHERE p.merged_into_id IS NOT NULL
UNION ALL
SELECT p.name, p.merged_into_id, 'store-credit entry ' || CAST(c.id AS VARCHAR(20))
  FROM parties p JOIN credit_entries c ON c.party_id = p.id
 WHERE p.merged_into_id IS NOT NULL
UNION ALL
SELECT p.name, p.merged_into_id, 'contact ' || k.name
  FROM parties p JOIN parties k ON k.company_id = p.id
 WHERE p.merged_into_id IS NOT NULL
"""


# Lot levels equal the lot-tagged done moves into and out of each internal location.
_LOT_LEDGER = """
WITH lot_ledger AS (
    SELECT lot_id, location_id, SUM(q) AS oh FROM (
        SELECT lot_id, to_location_id AS location_id, quantity AS q
          FROM stock_moves WHERE state = 'done' AND lot_id IS NOT NULL
        UNION ALL
        SELECT lot_id, from_location_id, -quantity
          FROM stock_moves WHERE state = 'done' AND lot_id IS NOT NULL
    ) contributions
    GROUP BY lot_id, location_id
),
internal_lots AS (
    SELECT l.* FROM lot_ledger l JOIN locations loc ON loc.id = l.location_id
     WHERE loc.kind = 'internal'
)
SELECT p.sku, lt.code, loc.code, COALESCE(v.on_hand, 0), i.oh
  FROM internal_lots i
  LEFT JOIN lot_levels v ON v.lot_id = i.lot_id AND v.location_id = i.location_id
  JOIN lots lt ON lt.id = i.lot_id
  JOIN products p ON p.id = lt.product_id
  JOIN locations loc ON loc.id = i.location_id
 WHERE COALESCE(v.on_hand, 0) <> i.oh
UNION ALL
SELECT p.sku, lt.code, loc.code, v.on_hand, 0
  FROM lot_levels v
  JOIN lots lt ON lt.id = v.lot_id
  JOIN products p ON p.id = lt.product_id
  JOIN locations loc ON loc.id = v.location_id
 WHERE v.on_hand <> 0
   AND NOT EXISTS (SELECT 1 FROM internal_lots i
                    WHERE i.lot_id = v.lot_id AND i.location_id = v.location_id)
"""

# The lots in a bin never add up to more than the bin holds of the product (units may be
# untagged: received before the product tracked lots), and a move's lot is its product's.
_LOTS_OVER_STOCK = """
SELECT p.sku, loc.code, t.units, COALESCE(s.on_hand, 0)
  FROM (SELECT lt.product_id, v.location_id, SUM(v.on_hand) AS units
          FROM lot_levels v JOIN lots lt ON lt.id = v.lot_id
         GROUP BY lt.product_id, v.location_id) t
  LEFT JOIN stock_levels s ON s.product_id = t.product_id AND s.location_id = t.location_id
  JOIN products p ON p.id = t.product_id
  JOIN locations loc ON loc.id = t.location_id
 WHERE t.units > COALESCE(s.on_hand, 0)
"""

_LOT_OF_OTHER_PRODUCT = """
SELECT m.id, p.sku, lt.code
  FROM stock_moves m JOIN lots lt ON lt.id = m.lot_id JOIN products p ON p.id = m.product_id
 WHERE m.lot_id IS NOT NULL AND lt.product_id <> m.product_id
"""


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str


STAGES = 9  # the eight aggregate queries and the audit chain
STAGE = N_("Checking the database")


def _quiet(_stage: str, _done: int, _total: int) -> None:
    pass


def check_store(session: Session, actor: Actor, report: Report = _quiet) -> list[Problem]:
    """`kestrel check` for a signed-in user (the GUI runs it in a worker): it reads the whole
    ledger and audit log, so it is for those who may see the audit log."""
    require(actor, Permission.AUDIT_VIEW)
    return check(session, report)


def check(session: Session, report: Report = _quiet) -> list[Problem]:
    """Every problem found. `report(stage, done, total)` after each of the STAGES steps,
    so a screen can show how far a long check on millions of rows has come."""
    problems: list[Problem] = []
    done = [0]

    def step() -> None:
        done[0] += 1
        report(STAGE, done[0], STAGES)

    def run(sql: str, kind: str, describe) -> None:  # type: ignore[no-untyped-def]
        rows = session.execute(text(sql)).all()
        step()
        for row in rows[:EXAMPLES]:
            problems.append(Problem(kind, describe(row)))
        if len(rows) > EXAMPLES:
            problems.append(Problem(kind, f"... and {len(rows) - EXAMPLES} more like these"))

    run(
        _LEDGER,
        "stock-ledger",
        lambda r: (
            f"{r[0]} in {r[1]}: level says {r[2]} on hand / {r[3]} reserved, "
            f"the ledger says {r[4]} / {r[5]}"
        ),
    )
    run(
        _NEGATIVE,
        "negative-stock",
        lambda r: f"{r[0]} in {r[1]}: {r[2]} on hand, {r[3]} reserved",
    )
    run(
        _TOTALS,
        "order-totals",
        lambda r: (
            f"{r[0]}: totals {r[1]}/{r[2]}/{r[3]} (net/tax/total) but its lines add up "
            f"to {r[4]}/{r[5]}/{r[6]}"
        ),
    )
    run(
        _LINES,
        "line-totals",
        lambda r: f"{r[0]} line {r[1]}: net {r[2]} + tax {r[3]} is not its total {r[4]}",
    )
    run(
        _MERGED,
        "merged-customer",
        lambda r: f"{r[0]} was merged into customer {r[1]} but still has {r[2]}",
    )
    run(
        _LOT_LEDGER,
        "lot-ledger",
        lambda r: f"lot {r[1]} of {r[0]} in {r[2]}: its level says {r[3]}, the ledger says {r[4]}",
    )
    run(
        _LOTS_OVER_STOCK,
        "lots-over-stock",
        lambda r: f"{r[0]} in {r[1]}: its lots add up to {r[2]} but the bin holds {r[3]}",
    )
    run(
        _LOT_OF_OTHER_PRODUCT,
        "lot-of-other-product",
        lambda r: f"stock move {r[0]} of {r[1]} carries lot {r[2]} of another product",
    )
    problems += _audit_problems(session)
    step()
    return problems


def _audit_problems(session: Session) -> list[Problem]:
    breaks = audit_chain.verify(session)
    if not breaks:
        return []
    problems = [
        Problem(
            "audit-chain",
            f"The audit log was changed around Kestrel: it cannot be trusted from entry "
            f"#{breaks[0].seq} on ({len(breaks)} break(s) in its hash chain)",
        )
    ]
    problems += [Problem("audit-chain", b.message) for b in breaks[:EXAMPLES]]
    if len(breaks) > EXAMPLES:
        problems.append(Problem("audit-chain", f"... and {len(breaks) - EXAMPLES} more"))
    return problems
