"""PostgreSQL: the workstations connect as a role that does not own the schema.

The owner (whoever runs `kestrel migrate`) owns every table; the workstations' role gets
the data manipulation the app needs and nothing more: no TRUNCATE anywhere, only SELECT
and INSERT on the audit log (UPDATE/DELETE, DISABLE TRIGGER and DROP TRIGGER all need
more than that, the last two ownership), no DELETE on the audit chain's head, only SELECT
on alembic_version. `kestrel migrate` renews the grants of every role that had them, so
the tables of a new revision are covered too.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import Connection, Engine, text

from app.core.errors import ValidationError
from app.core.i18n import _

log = logging.getLogger("kestrel.db")

DEFAULT_ROLE = "kestrel_workstation"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# Tables that get less than SELECT, INSERT, UPDATE, DELETE:
LIMITED = {
    "alembic_version": "SELECT",
    "audit_log": "SELECT, INSERT",
    "audit_chain": "SELECT, INSERT, UPDATE",
}
FULL = "SELECT, INSERT, UPDATE, DELETE"


def check_role_name(role: str) -> str:
    if not _NAME.fullmatch(role):
        raise ValidationError(
            _(
                "'{role}' cannot be a role name here: use lower-case letters, digits and _, "
                "starting with a letter, at most 63 characters."
            ).format(role=role)
        )
    return role


def role_exists(engine: Engine, role: str) -> bool:
    with engine.connect() as conn:
        return _exists(conn, check_role_name(role))


def _exists(conn: Connection, role: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found.scalar() is not None


def granted_roles(engine: Engine) -> list[str]:
    """The roles other than the owner that may read the audit log: the workstations'."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT DISTINCT grantee FROM information_schema.table_privileges "
                    "WHERE table_name = 'audit_log' AND privilege_type = 'SELECT' "
                    "AND grantee NOT IN (current_user, 'PUBLIC') ORDER BY grantee"
                )
            ).scalars()
        )


def renew_grants(engine: Engine, but: str = "") -> list[str]:
    """After an upgrade: every role that had the grants gets them on the new tables too."""
    roles = [r for r in granted_roles(engine) if r != but]
    for role in roles:
        grant_workstation_role(engine, role)
    return roles


def grant_workstation_role(engine: Engine, role: str, password: str | None = None) -> bool:
    """Create `role` (LOGIN, with `password`) if it is not there, and give it exactly the
    grants above on every table and sequence. Returns whether the role was created. Run
    as the schema's owner, after migrating."""
    check_role_name(role)
    with engine.begin() as conn:
        owner = conn.execute(text("SELECT current_user")).scalar_one()
        if role == owner:
            raise ValidationError(
                _(
                    "The workstations must not sign in as {role}, the schema's owner: "
                    "choose another role for them."
                ).format(role=role)
            )
        exists = _exists(conn, role)
        if not exists and not password:
            raise ValidationError(_("Role {role} is new: give it a password.").format(role=role))
        if not exists or password:
            _set_password(conn, role, password, create=not exists)
        _grant(conn, role)
    log.info("grants set for the workstations' role %s", role)
    return not exists


def _set_password(conn: Connection, role: str, password: str | None, *, create: bool) -> None:
    from psycopg import sql

    verb = "CREATE ROLE {} LOGIN PASSWORD {}" if create else "ALTER ROLE {} PASSWORD {}"
    statement = sql.SQL(verb).format(sql.Identifier(role), sql.Literal(password))
    raw = conn.connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor:  # the driver's own quoting: a password is no SQL
            cursor.execute(statement)
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0]
        raise ValidationError(
            (
                _(
                    "Could not create role {role} ({reason}). Create it on the server (CREATE "
                    "ROLE ... LOGIN PASSWORD ...) or migrate as a user who may create roles."
                )
                if create
                else _(
                    "Could not change role {role} ({reason}). Change it on the server (ALTER "
                    "ROLE ...) or migrate as a user who may change roles."
                )
            ).format(role=role, reason=reason)
        ) from exc


def _grant(conn: Connection, role: str) -> None:
    name = f'"{role}"'  # checked against _NAME: no quoting tricks possible
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    tables = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).scalars()
    conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {name}')
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {name}")
    conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA public FROM {name}")
    for table in tables:
        conn.exec_driver_sql(f'REVOKE ALL ON TABLE "{table}" FROM {name}')
        conn.exec_driver_sql(f'GRANT {LIMITED.get(table, FULL)} ON TABLE "{table}" TO {name}')
    conn.exec_driver_sql(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}")
