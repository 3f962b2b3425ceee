"""Many rows inserted in one executemany, with their new ids, in order.

SQLAlchemy runs an INSERT ... RETURNING that must keep the rows' order one row at a time on
SQLite (no sentinel it trusts), which makes a bulk import as slow as the ORM. So the ids
are taken first: on PostgreSQL from the table's sequence, on SQLite after MAX(id), which
is safe because the transaction writes (BEGIN IMMEDIATE, or a write already made): a
writer in between makes the INSERT fail, never share an id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

_SEQUENCE = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")


def insert_with_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` (all with the same keys, no id), returning their ids in order."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.execute(_SEQUENCE, {"t": table.name, "n": len(rows)}).scalars())
    else:
        last = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        ids = list(range(last + 1, last + 1 + len(rows)))
    session.execute(insert(table), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids
