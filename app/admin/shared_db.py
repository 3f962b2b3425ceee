"""Settings > Database without Qt: look at a shared server's database, create or upgrade
Kestrel's schema there, set up the workstations' role. Each step opens the server, does
one thing and lets go, so the page can run it off the GUI thread and ask its questions
(upgrade? a role?) in between."""

from __future__ import annotations

from dataclasses import dataclass

from app import db, db_roles
from app.core.auth import Actor, Permission, require
from app.core.errors import KestrelError, PermissionDenied
from app.core.i18n import _

REFUSED = (db.SchemaState.NEWER, db.SchemaState.FOREIGN)  # never touched from here
TO_MIGRATE = (db.SchemaState.EMPTY, db.SchemaState.OUTDATED)  # after a yes


@dataclass(frozen=True)
class Probe:
    description: str  # "shared server host:5432/shop": words, never the password
    state: db.SchemaState


def may_change(actor: Actor) -> None:
    """Which database a workstation uses is a manager's decision (asked before the page
    connects, in its own words)."""
    if not actor.can(Permission.SETTINGS_MANAGE):
        raise PermissionDenied(_("Only an administrator or manager changes the database."))


def probe(url: str) -> Probe:
    """Connect and say what is there; a server that cannot be reached raises in words."""
    database = db.Database.open(url)
    try:
        db.check_connection(database.engine)
        state, _revision = db.schema_state(database.engine)
        return Probe(database.description, state)
    finally:
        database.dispose()


def migrate(actor: Actor, url: str) -> None:
    """Create or upgrade the schema, and renew the workstations' grants on its tables."""
    require(actor, Permission.SETTINGS_MANAGE)
    database = db.Database.open(url)
    try:
        state, _revision = db.schema_state(database.engine)
        if state in REFUSED:
            raise KestrelError(_("This database is not Kestrel's to change."))
        db.migrate(database.engine)
        db_roles.renew_grants(database.engine)
    finally:
        database.dispose()


def grant_role(actor: Actor, url: str, role: str, password: str | None) -> None:
    """The role the workstations sign in as: not the owner, only adds to the audit log."""
    require(actor, Permission.SETTINGS_MANAGE)
    database = db.Database.open(url)
    try:
        db_roles.grant_workstation_role(database.engine, role, password)
    finally:
        database.dispose()
