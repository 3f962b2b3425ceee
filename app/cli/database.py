"""`kestrel migrate`, `check` and `move-to`: the schema, its integrity, and moving a store
into a shared database."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import TYPE_CHECKING, Any

from app.cli.common import open_database, refuse_missing_file
from app.core.i18n import _

if TYPE_CHECKING:
    from app.db import Database


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    migrate = sub.add_parser("migrate", parents=[common], help=_("create or upgrade the schema"))
    migrate.add_argument(
        "--status", action="store_true", help=_("only say where the schema stands")
    )
    migrate.add_argument(
        "--workstation-role",
        metavar="ROLE",
        help=_(
            "PostgreSQL: the role the workstations sign in as, created if missing "
            "(password from KESTREL_WORKSTATION_PASSWORD or asked) and granted what "
            "the app needs"
        ),
    )
    migrate.set_defaults(handler=cmd_migrate)

    check = sub.add_parser(
        "check", parents=[common], help=_("check stock and order totals for integrity")
    )
    check.set_defaults(handler=cmd_check)

    move = sub.add_parser(
        "move-to", parents=[common], help=_("copy this store into an empty shared database")
    )
    move.add_argument("target", metavar="URL", help=_("postgresql://user@host/database"))
    move.set_defaults(handler=cmd_move_to)


def cmd_migrate(args: argparse.Namespace, url: str) -> int:
    from app import db
    from app.core.bootstrap import ensure_base_data

    refuse_missing_file(url, create=not args.status)
    database = db.Database.open(url)
    db.check_connection(database.engine)
    state, current = db.schema_state(database.engine)
    if args.status:
        print(
            _("{description}: schema {value} ({current}), this Kestrel knows {value2}").format(
                description=database.description,
                value=state.value,
                current=current or "none",
                value2=db.head_revision(),
            )
        )
        return 0 if state is db.SchemaState.CURRENT else 1
    db.migrate(database.engine)
    with database.write() as session:
        ensure_base_data(session)
    print(
        _("{description}: schema at {value}").format(
            description=database.description, value=db.head_revision()
        )
    )
    if database.is_shared:
        _grant_workstations(database, args.workstation_role)
    elif args.workstation_role:
        print(_("(a local file has no roles: --workstation-role is for PostgreSQL)"))
    return 0


def _grant_workstations(database: Database, role: str | None) -> None:
    """The workstations' role gets its grants; the roles that had them get them renewed."""
    from app import db_roles

    if role:
        password = os.environ.get("KESTREL_WORKSTATION_PASSWORD") or (
            None
            if db_roles.role_exists(database.engine, role)
            else getpass.getpass(f"Password for the new role {role}: ")
        )
        created = db_roles.grant_workstation_role(database.engine, role, password)
        print(
            _("workstations sign in as {role} ({created})").format(
                role=role, created="created" if created else "granted"
            )
        )
    roles = db_roles.renew_grants(database.engine, but=role or "")
    for other in roles:
        print(_("grants renewed for {other}").format(other=other))
    if not role and not roles:
        print(
            _(
                "Workstations should not sign in as the schema's owner: run `kestrel "
                "migrate --workstation-role {default_role}` and give them that role's "
                "sign-in."
            ).format(default_role=db_roles.DEFAULT_ROLE)
        )


def cmd_check(_args: argparse.Namespace, url: str) -> int:
    from app.services.stock.integrity import check

    database = open_database(url, create=False)
    with database.read() as session:
        problems = check(session)
    if not problems:
        print(
            _("{description}: stock levels match the ledger; order totals match lines.").format(
                description=database.description
            )
        )
        return 0
    print(
        _("{description}: {count} problem(s) found:").format(
            description=database.description, count=len(problems)
        )
    )
    for problem in problems:
        print(f"  [{problem.kind}] {problem.message}")
    return 1


def cmd_move_to(args: argparse.Namespace, url: str) -> int:
    from app import db
    from app.admin.move_store import move_store
    from app.services.stock.integrity import check

    source = open_database(url, create=False)
    shown = {"table": ""}

    def progress(table: str, done: int, total: int) -> None:
        if table != shown["table"] or done == total:
            shown["table"] = table
            print(f"  {table}: {done:,} / {total:,}", flush=True)

    report = move_store(source, args.target, progress)
    print(
        _("copied {rows:,} rows in {tables} tables").format(rows=report.rows, tables=report.tables)
    )
    target = db.Database.open(args.target)
    failed = 0
    for name, database in (("local", source), ("shared", target)):
        with database.read() as session:
            problems = check(session)
        print(
            _("kestrel check ({name}, {description}): {count} problem(s)").format(
                name=name, description=database.description, count=len(problems)
            )
        )
        failed += len(problems)
    target.dispose()
    if not failed:
        # never the password: it goes to each workstation's keyring (Settings > Database)
        print(
            _("Done. Point every workstation at it: kestrel --database {value}").format(
                value=db.redact(args.target)
            )
        )
    return 1 if failed else 0
