"""Move a shop's local store into a shared (PostgreSQL) database, history and all.

Every table is copied in foreign-key order with its ids as they are, in batches, inside
one transaction on the target: a copy that fails half-way leaves the target empty. Then
the target's id sequences are moved past the copied ids, and row counts are compared
table by table. The target must be empty: this never merges two shops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Integer, func, insert, inspect, select, text

from app import db
from app.core.errors import SchemaError, ValidationError
from app.core.i18n import _
from app.models import Base

BATCH = 5000
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class MoveReport:
    tables: int
    rows: int
    counts: dict[str, int]


def _count(conn, table) -> int:  # type: ignore[no-untyped-def]
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def move_store(
    source: db.Database, target_url: str, progress: Progress | None = None
) -> MoveReport:
    state, _revision = db.schema_state(source.engine)
    if state is not db.SchemaState.CURRENT:
        raise SchemaError(
            _("{source} is not at this Kestrel's schema: run `kestrel migrate` first.").format(
                source=source.description
            )
        )
    target = db.Database.open(target_url)
    try:
        db.check_connection(target.engine)
        if source.engine.url == target.engine.url:
            raise ValidationError(_("The source and the target are the same database."))
        target_state, _revision = db.schema_state(target.engine)
        if target_state is not db.SchemaState.EMPTY:
            raise ValidationError(
                _(
                    "{target} is not empty: move-to copies into an empty database only, so "
                    "two shops are never mixed."
                ).format(target=target.description)
            )
        db.migrate(target.engine)
        counts: dict[str, int] = {}
        with source.engine.connect() as src, target.engine.begin() as dst:
            present = set(inspect(src).get_table_names())
            tables = [t for t in Base.metadata.sorted_tables if t.name in present]
            for table in tables:
                total = _count(src, table)
                done = 0
                order = list(table.primary_key.columns)
                result = src.execution_options(yield_per=BATCH).execute(
                    select(table).order_by(*order)
                )
                for batch in result.partitions(BATCH):
                    dst.execute(insert(table), [dict(row._mapping) for row in batch])
                    done += len(batch)
                    if progress is not None:
                        progress(table.name, done, total)
                if _count(dst, table) != total:
                    raise ValidationError(
                        _("Copying {table} lost rows; nothing was kept.").format(table=table.name)
                    )
                counts[table.name] = total
            if dst.dialect.name == "postgresql":  # ids carried over: move sequences past them
                dst.execute(
                    text(
                        "SELECT setval('kestrel_order_number', next_value, false) "
                        "FROM number_sequences WHERE name = 'order'"
                    )
                )
                for table in tables:
                    if "id" in table.c and isinstance(table.c.id.type, Integer):
                        dst.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                            )
                        )
        return MoveReport(len(counts), sum(counts.values()), counts)
    finally:
        target.dispose()
