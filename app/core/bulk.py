"""Fast bulk inserts for the demo store and imports: executemany on SQLite, COPY on PostgreSQL.

Rows go through the session's own connection, so they share its transaction: a cancelled
or failed build leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

CHUNK = 20_000


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # the exact text SQLAlchemy's SQLite DATETIME writes, in UTC without a zone
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def insert_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert plain tuples into `table`; returns how many went in."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    assert raw is not None
    count = 0
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    cursor = raw.cursor()
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(tuple(_sqlite_value(v) for v in row))
        if len(chunk) >= CHUNK:
            cursor.executemany(sql, chunk)
            count += len(chunk)
            chunk.clear()
    if chunk:
        cursor.executemany(sql, chunk)
        count += len(chunk)
    cursor.close()
    return count


def next_id(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")).scalar_one())


def sync_sequences(session: Session, tables: Iterable[str]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
