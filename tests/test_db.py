"""Migrations on both engines, models equal to migrations, schema states, bad URLs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app import db
from app.core.errors import DatabaseUnavailable, SchemaError
from app.models import Base
from tests.conftest import ENGINES


@pytest.fixture(params=ENGINES)
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    return request.getfixturevalue("pg_empty_url")


# SQLAlchemy cannot reflect an expression index from SQLite (ix_parties_lower_name, 0031):
# it says so and leaves it out of the comparison, which is all the comparison can do.
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning"
)
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_empty_to_head_and_models_match_migrations(empty_url):
    database = db.Database.open(empty_url)
    assert db.schema_state(database.engine)[0] is db.SchemaState.EMPTY
    db.migrate(database.engine)
    assert db.schema_state(database.engine) == (db.SchemaState.CURRENT, db.head_revision())
    with database.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    db.migrate(database.engine)  # running again is harmless
    database.dispose()


def test_downgrade_to_base_and_up_again(empty_url):
    from alembic import command

    database = db.Database.open(empty_url)
    db.migrate(database.engine)
    with database.engine.begin() as conn:
        command.downgrade(db.alembic_config(conn), "base")
    with database.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is None
    db.migrate(database.engine)
    assert db.schema_state(database.engine)[0] is db.SchemaState.CURRENT
    database.dispose()


def test_a_newer_schema_is_refused_untouched(empty_url):
    database = db.Database.open(empty_url)
    db.migrate(database.engine)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    assert db.schema_state(database.engine)[0] is db.SchemaState.NEWER
    with pytest.raises(SchemaError, match="newer Kestrel"):
        db.migrate(database.engine)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "ffff_from_the_future"
        )
    database.dispose()


def test_a_foreign_database_is_refused(empty_url):
    database = db.Database.open(empty_url)
    with database.engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    assert db.schema_state(database.engine)[0] is db.SchemaState.FOREIGN
    with pytest.raises(SchemaError, match="another application"):
        db.migrate(database.engine)
    database.dispose()


def test_sqlite_pragmas(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://nobody@127.0.0.1:1/none", "Cannot open the database"),
        ("mysql://root@localhost/x", "SQLite file or a PostgreSQL server"),
        ("not a url", "not a database address"),
    ],
)
def test_unreachable_or_unsupported_databases_give_words(url, message):
    with pytest.raises(DatabaseUnavailable, match=message):
        database = db.Database.open(url)
        db.check_connection(database.engine)


def test_known_revisions_match_the_migration_scripts():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config())
    revisions = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(revisions) == db.KNOWN_REVISIONS
    assert script.get_current_head() == db.SCHEMA_HEAD


def test_start_up_does_not_import_alembic():
    import subprocess
    import sys

    code = "import sys, app.views.app, app.db; print('alembic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_start_up_does_not_import_printing_back_ends():
    """ReportLab, python-escpos and Pillow load on the first print, not at start."""
    import subprocess
    import sys

    code = (
        "import sys, app.views.app, app.views.main_window, app.views.orders.screen; "
        "print(sorted(m for m in ('reportlab', 'escpos', 'PIL', 'alembic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_older_schema_is_upgraded_with_its_data(empty_url):
    from app.core import auth
    from app.services.access import login

    database = db.Database.open(empty_url)
    db.migrate(database.engine, "0001")
    with database.engine.begin() as conn:  # as 0001's code wrote it: today's ORM has more columns
        conn.execute(
            text(
                "INSERT INTO users (username, display_name, role, password_hash, active, "
                "created_at) VALUES ('ada', 'Ada', 'admin', :hash, :yes, :now)"
            ),
            {"hash": auth.hash_password("secret-1"), "yes": True, "now": datetime.now(UTC)},
        )
    assert db.schema_state(database.engine) == (db.SchemaState.OUTDATED, "0001")
    db.migrate(database.engine)
    assert db.schema_state(database.engine)[0] is db.SchemaState.CURRENT
    with database.read() as session:
        assert auth.user_count(session) == 1
    with database.write() as session:
        actor = login.authenticate(session, "ada", "secret-1")
    assert (actor.role, actor.must_change_password) == (auth.Role.ADMIN, False)
    database.dispose()


def test_server_url_from_the_settings_fields():
    url = db.server_url(" db.shop ", 5433, " kestrel ", " till ", "p@ss:word")
    parsed = db.normalize_url(url)
    assert (parsed.host, parsed.port, parsed.database) == ("db.shop", 5433, "kestrel")
    assert (parsed.username, parsed.password) == ("till", "p@ss:word")
    assert db.normalize_url(db.server_url("h", 5432, "d", "", "")).username is None


def test_a_server_address_without_password_asks_for_it():
    url = "postgresql://till@db.shop:5432/kestrel"
    assert db.password_question(url) == "Password of till for db.shop/kestrel:"
    assert db.password_question("postgresql://till:secret@db.shop/kestrel") == ""
    assert db.password_question("sqlite:///shop.sqlite") == ""
    given = db.with_password(url, "se/cret@")
    assert db.normalize_url(given).password == "se/cret@"
    assert db.password_question(given) == ""
