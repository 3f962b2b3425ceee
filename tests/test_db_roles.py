"""PostgreSQL: the workstations sign in as a role that does not own the schema (issue 13,
item 3). `kestrel migrate --workstation-role` creates it and sets its grants: it sells as
usual, but cannot rewrite the audit log by any of the ways the owner could."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app import cli, db, db_roles
from app.core import auth
from app.core.errors import ValidationError
from app.services.access import login
from app.services.sales import till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender, complete_sale
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests import factories
from tests.conftest import create_pg_database, drop_pg_database

pytestmark = pytest.mark.postgres
PASSWORD = "ws-pass-1"


@pytest.fixture
def owner_and_role(pg_server, monkeypatch) -> Iterator[tuple[str, str]]:
    """A fresh database migrated by its owner with a workstations' role: (owner URL, role
    URL)."""
    role = f"kestrel_ws_{uuid.uuid4().hex[:10]}"
    url = create_pg_database(pg_server)
    monkeypatch.setenv("KESTREL_WORKSTATION_PASSWORD", PASSWORD)
    try:
        assert cli.main(["migrate", "--database", url, "--workstation-role", role]) == 0
        role_url = make_url(url).set(username=role, password=PASSWORD)
        yield url, role_url.render_as_string(hide_password=False)
    finally:
        drop_pg_database(pg_server, url)
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


FORBIDDEN = [
    "TRUNCATE audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER USER",
    "DROP TRIGGER audit_log_append_only ON audit_log",
    "UPDATE audit_log SET detail = 'nothing happened'",
    "DELETE FROM audit_log",
    "DELETE FROM audit_chain",
    "TRUNCATE sales_orders CASCADE",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE TABLE sneaky (id int)",
]


def test_the_workstations_role_sells_but_cannot_rewrite_the_audit_log(owner_and_role, capsys):
    owner_url, role_url = owner_and_role
    owner = db.Database.open(owner_url)
    with owner.write() as s:
        made = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
    admin = auth.Actor(made.user_id, "admin", "Ada", auth.Role.ADMIN, "till-1")
    pid = factories.product(owner, admin, price=300, stock=5)

    workstation = db.Database.open(role_url)
    signed = login.sign_in(workstation, "admin", "admin-pass", "till-1")
    with workstation.write() as s:  # the whole sale, as the role
        till.open_session(s, signed, "till-1", 1000, "till-1")
        cart = Cart()
        cart.add(catalogue.find_by_code(s, catalogue.product_rows(s, [pid])[0].sku))
        complete_sale(s, signed, cart, [Tender("cash", 500)], "till-1", "till-1")
    for statement in FORBIDDEN:
        with pytest.raises(DBAPIError, match="permission denied|must be owner"):
            with workstation.engine.begin() as conn:
                conn.exec_driver_sql(statement)
    with workstation.read() as s:
        entries = s.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one()
        assert entries >= 5
        assert check(s) == []
    workstation.dispose()

    capsys.readouterr()
    assert cli.main(["migrate", "--database", owner_url]) == 0  # an upgrade renews grants
    role = make_url(role_url).username
    assert f"grants renewed for {role}" in capsys.readouterr().out
    assert db_roles.granted_roles(owner.engine) == [role]
    with pytest.raises(ValidationError, match="schema's owner"):
        db_roles.grant_workstation_role(owner.engine, make_url(owner_url).username)
    with pytest.raises(ValidationError, match="cannot be a role name"):
        db_roles.grant_workstation_role(owner.engine, 'x"; DROP TABLE users; --')
    owner.dispose()


def test_a_new_role_needs_a_password(pg_empty_url):
    database = db.Database.open(pg_empty_url)
    db.migrate(database.engine)
    with pytest.raises(ValidationError, match="give it a password"):
        db_roles.grant_workstation_role(database.engine, f"kestrel_ws_{uuid.uuid4().hex[:8]}")
    database.dispose()
