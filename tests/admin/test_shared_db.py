"""Settings > Database's steps without Qt: probe, create the schema, grant the role; a
cashier changes nothing, a database of a newer Kestrel is never touched."""

from __future__ import annotations

import uuid
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import db, db_roles
from app.admin import shared_db
from app.core.auth import Role
from app.core.errors import DatabaseUnavailable, KestrelError, PermissionDenied


def test_probe_says_what_is_there_and_a_cashier_may_not_change_it(admin, tmp_path):
    url = f"sqlite:///{tmp_path / 'probe.sqlite'}"
    probed = shared_db.probe(url)
    assert probed.state is db.SchemaState.EMPTY and "probe.sqlite" in probed.description
    with pytest.raises(DatabaseUnavailable):
        shared_db.probe("postgresql://kestrel@127.0.0.1:1/shop")
    cashier = replace(admin, role=Role.CASHIER)
    with pytest.raises(PermissionDenied, match="administrator or manager"):
        shared_db.may_change(cashier)
    with pytest.raises(PermissionDenied):
        shared_db.migrate(cashier, url)
    with pytest.raises(PermissionDenied):
        shared_db.grant_role(cashier, url, "kestrel_ws", None)
    shared_db.may_change(admin)
    assert shared_db.probe(url).state is db.SchemaState.EMPTY  # nothing was made


@pytest.mark.postgres
def test_migrate_then_grant_the_workstations_role(admin, pg_empty_url, pg_server):
    role = f"kestrel_ws_{uuid.uuid4().hex[:10]}"
    try:
        shared_db.migrate(admin, pg_empty_url)
        assert shared_db.probe(pg_empty_url).state is db.SchemaState.CURRENT
        shared_db.grant_role(admin, pg_empty_url, role, "ws-secret-1")
        shared = db.Database.open(pg_empty_url)
        assert db_roles.granted_roles(shared.engine) == [role]
        with shared.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
        shared.dispose()
        assert shared_db.probe(pg_empty_url).state is db.SchemaState.NEWER
        with pytest.raises(KestrelError, match="not Kestrel's to change"):
            shared_db.migrate(admin, pg_empty_url)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            name = make_url(pg_empty_url).database
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
