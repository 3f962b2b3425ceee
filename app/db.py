"""Engine, sessions, SQLite pragmas, PostgreSQL, and the schema's migration state.

The caller owns the transaction (STYLE habit 2): `db.write()` for a use case that writes,
`db.read()` for one that only reads. On SQLite a write transaction starts with
BEGIN IMMEDIATE, so two workstations' writers queue on the busy timeout instead of failing
halfway when one upgrades its read lock.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import paths
from app.core import changes
from app.core.errors import CommitUncertain, DatabaseUnavailable, SchemaError
from app.core.i18n import _

# The session type, for callers that only hand a session on to services (views' operations).
ServiceSession = Session

log = logging.getLogger("kestrel.db")

SQLITE_BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 5
_WRITE_OPTION = "kestrel_write"

# The Alembic revisions this Kestrel carries, oldest first. Kept here so that start-up can
# judge a schema without importing Alembic; tests/test_db.py proves it matches the scripts.
RETRYABLE = ("40P01", "40001")  # deadlock detected, serialization failure
KNOWN_REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
    "0015",
    "0016_stock_history",
    "0017_counts",
    "0018_purchasing",
    "0019_lots",
    "0020_channels",
    "0021_transit",
    "0022_accept",
    "0023_api_keys",
    "0024_outbox",
    "0025_variants",
    "0026_report_indexes",
    "0027_dashboard",
    "0028_report_cover",
    "0029_i18n",
    "0030_report_summaries",
    "0031_lists",
)
SCHEMA_HEAD = KNOWN_REVISIONS[-1]


class SchemaState(StrEnum):
    EMPTY = "empty"  # no tables at all: a new database
    CURRENT = "current"
    OUTDATED = "outdated"  # an older Kestrel schema: `kestrel migrate` upgrades it
    NEWER = "newer"  # migrated by a newer Kestrel: refuse to touch it
    FOREIGN = "foreign"  # tables, but not Kestrel's


def normalize_url(url: str) -> URL:
    """Parse a database URL; plain `postgresql://` means psycopg 3, the driver we ship."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # a bad port or bracket: ValueError
        raise DatabaseUnavailable(
            _(
                "'{url}' is not a database address. Write it like "
                "sqlite:///path/to/shop.sqlite or postgresql://user@host:5432/shop."
            ).format(url=redact(url))
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise DatabaseUnavailable(
            _(
                "Kestrel works with a local SQLite file or a PostgreSQL server, not '{driver}'."
            ).format(driver=parsed.drivername)
        )
    return parsed


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite address (None for a server or an in-memory database)."""
    parsed = normalize_url(str(url)) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def redact(url: str) -> str:
    """An address fit to print or log: the password, if any, is hidden (also in an
    address that does not parse)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def server_url(host: str, port: int, database: str, username: str, password: str) -> str:
    """A PostgreSQL address from the database settings page's fields (a blank one is left
    out), so the page builds no URL itself."""
    return URL.create(
        "postgresql+psycopg",
        username=username.strip() or None,
        password=password or None,
        host=host.strip() or None,
        port=port,
        database=database.strip() or None,
    ).render_as_string(hide_password=False)


def password_question(url: str) -> str:
    """What to ask for a PostgreSQL address without its password (no keyring kept it), or
    "" when the address needs no password asked."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.password:
        return ""
    return f"Password of {parsed.username or 'the user'} for {parsed.host}/{parsed.database}:"


def with_password(url: str, password: str) -> str:
    """The address with this password in it (kept in memory only, never written)."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def describe(url: URL) -> str:
    """Words for the status bar and error messages; never shows a password."""
    if url.get_backend_name() == "sqlite":
        return _("local file {path}").format(path=url.database)
    return _("shared server {address}").format(
        address=f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"
    )


class _SqliteConnection(sqlite3.Connection):
    """pysqlite's connection, handing this process's commits to the file's change listener
    (core/changes.local_commit), which skips them: they are on the local bus already."""

    kestrel_path = ""

    def commit(self) -> None:
        if self.kestrel_path:
            changes.local_commit(self.kestrel_path, self, super().commit)
        else:
            super().commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _begin) rather than pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Set by the engine's "commit" event inside Database.write(): a connection that breaks
# after this point may have committed, so the error must not say "nothing was saved".
_COMMIT_SENT: ContextVar[list[bool] | None] = ContextVar("kestrel_commit_sent", default=None)


def _commit_sent(_conn: Connection) -> None:
    flag = _COMMIT_SENT.get()
    if flag is not None:
        flag[0] = True


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    parsed = normalize_url(str(url)) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if path and path != ":memory:":
            paths.private_file(Path(path))  # 0600; SQLite's WAL follows it
            kwargs["connect_args"] = {
                "factory": _SqliteConnection,
                **kwargs.get("connect_args", {}),
            }
        engine = create_engine(parsed, **kwargs)
        if path and path != ":memory:":

            def _remember_path(dbapi_connection: Any, _record: Any) -> None:
                if isinstance(dbapi_connection, _SqliteConnection):
                    dbapi_connection.kestrel_path = path

            event.listen(engine, "connect", _remember_path)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "kestrel"}
        connect_args.update(kwargs.pop("connect_args", {}))
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **kwargs)
        # Only a server can commit and lose the answer: SQLite's COMMIT fails or succeeds.
        event.listen(engine, "commit", _commit_sent)
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once; a failure becomes words a user can act on."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except (OperationalError, DBAPIError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            _("Cannot open the database ({database}): {reason}").format(
                database=describe(engine.url), reason=reason
            )
        ) from exc


def alembic_config(connection: Connection | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return SCHEMA_HEAD


def schema_state(engine: Engine) -> tuple[SchemaState, str | None]:
    """Where this database stands against the migrations this Kestrel carries."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if not tables - {"alembic_version"}:
            return SchemaState.EMPTY, None
        if "alembic_version" not in tables or "sales_orders" not in tables:
            return SchemaState.FOREIGN, None
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        current = versions[0] if len(versions) == 1 else None
    if current is None:
        return SchemaState.FOREIGN, None
    if current == SCHEMA_HEAD:
        return SchemaState.CURRENT, current
    if current in KNOWN_REVISIONS:
        return SchemaState.OUTDATED, current
    return SchemaState.NEWER, current


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations; refuses a schema from a newer Kestrel or another app."""
    from alembic import command

    state, current = schema_state(engine)
    if state is SchemaState.NEWER:
        raise SchemaError(
            _(
                "This database was upgraded by a newer Kestrel (schema {current}). "
                "Install that version here; this one will not touch it."
            ).format(current=current)
        )
    if state is SchemaState.FOREIGN:
        raise SchemaError(
            _("This database holds tables of another application. Choose an empty database.")
        )
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
    log.info("database %s migrated to %s", describe(engine.url), revision)


@contextmanager
def _offline_in_words(database: Database, commit_sent: list[bool] | None = None) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) in RETRYABLE:
            raise  # Database.transact retries these
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if commit_sent and commit_sent[0]:
            raise CommitUncertain(
                _(
                    "The database ({database}) stopped answering just as this was being "
                    "saved: {reason}. It may have been saved: look before doing it again "
                    "(Kestrel reconnects by itself)."
                ).format(database=database.description, reason=reason)
            ) from exc
        raise DatabaseUnavailable(
            _(
                "The database ({database}) is not answering: {reason}. Nothing of this was "
                "saved; Kestrel reconnects by itself — try again in a moment."
            ).format(database=database.description, reason=reason)
        ) from exc


@dataclass
class Database:
    """An open database: the engine and the two session factories."""

    engine: Engine
    read_sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str | URL, **engine_kwargs: Any) -> Database:
        engine = make_engine(url, **engine_kwargs)
        writer = engine.execution_options(**{_WRITE_OPTION: True})
        return cls(
            engine=engine,
            read_sessions=sessionmaker(engine, expire_on_commit=False),
            write_sessions=sessionmaker(writer, expire_on_commit=False),
        )

    @property
    def is_shared(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def description(self) -> str:
        return describe(self.engine.url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One use case that writes: commits on success, rolls back on any error. A
        database that stops answering becomes DatabaseUnavailable, in words; nothing of the
        transaction is kept, and the next use reconnects (pool pre-ping). A break after
        COMMIT was sent is CommitUncertain instead: the server may have kept it all."""
        commit_sent = [False]
        token = _COMMIT_SENT.set(commit_sent)
        try:
            with (
                _offline_in_words(self, commit_sent),
                self.write_sessions() as session,
                session.begin(),
            ):
                yield session
        finally:
            _COMMIT_SENT.reset(token)

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection held for a run of one-statement writes, each its own transaction
        (no BEGIN, no COMMIT round trip: the e-mail sender's marks). A break once
        connected is CommitUncertain: the statement being answered may have been kept."""
        connected = [False]
        with _offline_in_words(self, connected), self.engine.connect() as conn:
            connected[0] = True
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    def transact(self, work: Callable[[Session], Any], attempts: int = 5) -> int:
        """Run `work` in a write transaction, again if the server broke a deadlock or a
        serialization conflict by aborting it (safe: nothing of it was kept). Returns
        how many retries it took."""
        for attempt in range(attempts):
            try:
                with self.write() as session:
                    work(session)
                return attempt
            except DBAPIError as exc:  # (deadlocks stay DBAPI errors: see _offline_in_words)
                code = getattr(exc.orig, "sqlstate", None)
                if code not in RETRYABLE or attempt == attempts - 1:
                    raise
                log.info("write retried after %s (attempt %d)", code, attempt + 1)
                time.sleep(0.01 * 2**attempt)
        return attempts

    @contextmanager
    def read(self) -> Iterator[Session]:
        token = _COMMIT_SENT.set(None)  # a read inside a write does not make it uncertain
        try:
            with _offline_in_words(self), self.read_sessions() as session, session.begin():
                yield session
        finally:
            _COMMIT_SENT.reset(token)

    def ping(self) -> None:
        """One cheap round trip; DatabaseUnavailable in words when the server is away."""
        with self.read() as session:
            session.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
