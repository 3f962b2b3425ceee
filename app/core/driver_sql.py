"""Prebuilt Core statements run on the DBAPI cursor of the session's connection.

A counter sale sends some twenty small statements. Through `session.execute` each costs
~80 µs of SQLAlchemy's Python (ORM plugins, cache key, execution context, result) against
~2 µs for the driver itself, and that was most of a sale's CPU. Here SQLAlchemy compiles
a statement once per dialect (and per set of inserted columns), with what execution would
add: the column defaults computed in Python (`created_at`...) and the types' bind
processors (the UTC datetimes as SQLite stores them). The statement then goes straight to
the cursor, in the transaction the session has open.

What stays as through SQLAlchemy: the engine's `before_cursor_execute` listeners hear
every statement (the benches count and replay them), and a driver error becomes
SQLAlchemy's DBAPIError (so Database.write words it and Database.transact retries a
deadlock). What does not: no autoflush (`read` flushes first, as the ORM would), no ORM
events, and result rows are the driver's (SQLite gives booleans as 0/1, datetimes as text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Insert
from sqlalchemy.sql.expression import Executable


@dataclass(frozen=True)
class _Form:
    sql: str
    names: tuple[str, ...] | None  # the parameters' order (qmark), None: by name
    processors: dict[str, Callable[[Any], Any]]
    fixed: dict[str, Any]  # the values bound when the statement was built (a LIMIT's 1)
    defaults: tuple[tuple[str, Callable[[Any], Any]], ...]  # key -> fn(context None)


class Prebuilt:
    """A Core statement (built once, at import) in the forms the dialects run it."""

    __slots__ = ("_forms", "statement")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._forms: dict[tuple[str, tuple[str, ...]], _Form] = {}

    def form(self, dialect: Dialect, keys: Sequence[str]) -> _Form:
        key = (dialect.name, tuple(keys) if isinstance(self.statement, Insert) else ())
        found = self._forms.get(key)
        if found is None:
            found = self._forms[key] = _compile(self.statement, dialect, key[1])
        return found


def _compile(statement: Executable, dialect: Dialect, keys: tuple[str, ...]) -> _Form:
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys) or None)  # type: ignore[attr-defined]
    defaults = []
    for column in [*compiled.insert_prefetch, *compiled.update_prefetch]:
        made = column.default if column in compiled.insert_prefetch else column.onupdate
        if made is None or not (made.is_scalar or made.is_callable):
            raise ValueError(f"{column} has a default driver_sql cannot compute")
        arg = made.arg
        defaults.append((column.key, arg if made.is_callable else (lambda _c, v=arg: v)))
    processors, fixed = [], {}
    for name, bind in compiled.binds.items():
        if bind.expanding:
            raise ValueError(f"{name}: an expanding IN has no prebuilt form (one per count)")
        if not bind.required and name not in keys and name not in dict(defaults):
            fixed[name] = bind.effective_value
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((name, process))
    names = tuple(compiled.positiontup) if compiled.positiontup is not None else None
    return _Form(compiled.string, names, dict(processors), fixed, tuple(defaults))


def _bound(form: _Form, params: dict[str, Any]) -> Any:
    if form.defaults:
        made = {k: fn(None) for k, fn in form.defaults if k not in params}
        params = {**form.fixed, **made, **params}
    elif form.fixed:
        params = {**form.fixed, **params}
    process = form.processors
    if form.names is None:
        if not process:
            return params
        return {k: process[k](v) if k in process else v for k, v in params.items()}
    return tuple(process[n](params[n]) if n in process else params[n] for n in form.names)


_HELD = "kestrel_driver_connection"


def _connection(session: Session) -> tuple[Connection, Any]:
    """The session's connection and its DBAPI connection, asked of the session once per
    transaction."""
    transaction = session.get_transaction()
    held = session.info.get(_HELD)
    if held is not None and transaction is not None and held[0] is transaction:
        return held[1], held[2]
    conn = session.connection()
    dbapi = conn.connection.dbapi_connection
    session.info[_HELD] = (session.get_transaction(), conn, dbapi)
    return conn, dbapi


def _run(session: Session, prebuilt: Prebuilt, rows: list[dict[str, Any]], many: bool) -> Any:
    conn, dbapi = _connection(session)
    dialect = conn.dialect
    form = prebuilt.form(dialect, list(rows[0]))
    params = [_bound(form, row) for row in rows] if many else _bound(form, rows[0])
    cursor = dbapi.cursor()
    listeners = conn.dispatch.before_cursor_execute
    if listeners:
        for listener in listeners:
            listener(conn, cursor, form.sql, params, None, many)
    try:
        if many:
            cursor.executemany(form.sql, params)
        else:
            cursor.execute(form.sql, params)
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            form.sql, params, exc, dialect.loaded_dbapi.Error, dialect=dialect, ismulti=many
        ) from exc
    return cursor


def execute(session: Session, prebuilt: Prebuilt, params: dict[str, Any]) -> Any:
    """Run a write (or a read that must not flush); the DBAPI cursor, for its rowcount
    or an INSERT ... RETURNING's row (fetch it: `fetchall`)."""
    return _run(session, prebuilt, [params], many=False)


def executemany(session: Session, prebuilt: Prebuilt, rows: list[dict[str, Any]]) -> None:
    """One executemany of `rows` (all with the same keys); nothing when there are none."""
    if rows:
        _run(session, prebuilt, rows, many=True)


def read(session: Session, prebuilt: Prebuilt, params: dict[str, Any]) -> list[Any]:
    """A read's rows (driver tuples), after the session's pending ORM changes are flushed
    as an ORM query's autoflush would."""
    session.flush()
    rows: list[Any] = _run(session, prebuilt, [params], many=False).fetchall()
    return rows
