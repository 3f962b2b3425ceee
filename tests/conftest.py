"""Fixtures: a real SQLite file and a real PostgreSQL database, both migrated by Alembic.

PostgreSQL: one throwaway database per test session on KESTREL_TEST_POSTGRES_URL's server,
emptied between tests. Without a server those tests skip, unless KESTREL_REQUIRE_POSTGRES=1
(as in CI), which makes a missing server a failure.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before any Qt import: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import db  # noqa: E402
from app.core import auth  # noqa: E402
from app.core import settings as business_settings  # noqa: E402
from app.core.bootstrap import ensure_base_data  # noqa: E402
from app.models import Base  # noqa: E402
from app.services.notify import stored  # noqa: E402

# CI runs the same examples every time (a red run must be a change's fault, not a new draw)
# and gives a busy 2-core machine no per-example deadline; at a desk each run draws afresh.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

PG_URL = os.environ.get(
    "KESTREL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("KESTREL_REQUIRE_POSTGRES") == "1"
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", autouse=True)
def kestrel_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep every test out of the real user directories and away from a real config."""
    home = tmp_path_factory.mktemp("kestrel-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KESTREL_HOME", str(home))
        mp.delenv("KESTREL_DATABASE_URL", raising=False)
        mp.setenv("KESTREL_LANG", "en")  # the tests read English whatever the machine's LANG
        yield home


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)
    database.dispose()
    return path


def _pg_admin_dsn() -> str:
    return make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin DSN of a reachable PostgreSQL server, or skip (fail in CI)."""
    dsn = _pg_admin_dsn()
    try:
        with psycopg.connect(dsn, connect_timeout=3):
            pass
    except psycopg.Error as exc:
        message = f"PostgreSQL test server not reachable at {PG_URL}: {exc}"
        if REQUIRE_PG:
            pytest.fail(message)
        pytest.skip(message)
    return dsn


def create_pg_database(admin_dsn: str) -> str:
    name = f"kestrel_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return (
        make_url(PG_URL)
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )


def drop_pg_database(admin_dsn: str, url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_empty_url(pg_server: str) -> Iterator[str]:
    """A brand-new empty PostgreSQL database for one test."""
    url = create_pg_database(pg_server)
    yield url
    drop_pg_database(pg_server, url)


@pytest.fixture(scope="session")
def pg_database(pg_server: str) -> Iterator[db.Database]:
    url = create_pg_database(pg_server)
    database = db.Database.open(url)
    db.migrate(database.engine)
    yield database
    database.dispose()
    drop_pg_database(pg_server, url)


def _empty_pg(database: db.Database) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("ALTER SEQUENCE kestrel_order_number RESTART WITH 1"))
    stored.forget_all()  # the e-mail settings kept across transactions: emptied behind them
    business_settings.forget_kept()  # and the business settings


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[db.Database]:
    path = tmp_path / "kestrel.sqlite"
    shutil.copyfile(sqlite_template, path)
    database = db.Database.open(f"sqlite:///{path}")
    with database.write() as session:
        ensure_base_data(session)
    yield database
    database.dispose()


@pytest.fixture(params=ENGINES)
def database(request: pytest.FixtureRequest) -> Iterator[db.Database]:
    """The same test on a real SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_db")
        return
    database = request.getfixturevalue("pg_database")
    _empty_pg(database)
    with database.write() as session:
        ensure_base_data(session)
    yield database


@pytest.fixture
def admin(database: db.Database) -> auth.Actor:
    with database.write() as session:
        actor = auth.create_user(session, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada Admin")
    return auth.Actor(actor.user_id, actor.username, actor.display_name, actor.role, "bench-1")


def role_actor(role: auth.Role, workstation: str = "ws-test") -> auth.Actor:
    return auth.Actor(None, role.value, role.value.title(), role, workstation)


class _LogFail(logging.Handler):
    """Collects every record at WARNING or above, from any thread (qutebrowser's logfail)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _allowed(record: logging.LogRecord, marks: list[pytest.Mark]) -> bool:
    for mark in marks:
        level = mark.args[0] if mark.args else mark.kwargs.get("level", logging.ERROR)
        logger = mark.kwargs.get("logger", "")
        match = mark.kwargs.get("match", "")
        if (
            record.levelno <= level
            and (not logger or record.name == logger or record.name.startswith(logger + "."))
            and match in record.getMessage()
        ):
            return True
    return False


@pytest.fixture(autouse=True)
def logfail(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test fails on a log record at WARNING or above that it did not expect. Expected
    ones are allowed explicitly: `@pytest.mark.allow_log(logging.ERROR, logger="kestrel.ui",
    match="background task failed")` (every argument but the level is optional)."""
    handler = _LogFail()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    marks = list(request.node.iter_markers("allow_log"))
    unexpected = [r for r in handler.records if not _allowed(r, marks)]
    if unexpected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected log records (allow them with allow_log):\n{lines}")
