"""`kestrel add-user` (the first administrator, or another user) and `kestrel user`
(list, disable, enable, role, reset-password) without the GUI.

The command line acts as the system administrator (auth.SYSTEM); the rules of
services/access/users.py hold all the same (the last active administrator stays one).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

from app.cli.common import open_database
from app.core.i18n import _

T = TypeVar("T")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    user = sub.add_parser("add-user", parents=[common], help=_("add a user (password asked)"))
    user.add_argument("username")
    user.add_argument("--role", default="clerk", help=_("admin, manager, clerk, cashier, picker"))
    user.add_argument("--name", default="")
    user.set_defaults(handler=cmd_add_user)

    group = sub.add_parser("user", parents=[common], help=_("list and manage users"))
    actions = group.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help=_("every user with role and state"))
    listing.add_argument("--json", action="store_true", help=_("one JSON array"))
    listing.set_defaults(handler=cmd_list)
    for name, text in (
        ("disable", _("the user can no longer sign in")),
        ("enable", _("undo disable")),
    ):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("username")
        action.set_defaults(handler=cmd_set_active, active=name == "enable")
    role = actions.add_parser("role", parents=[common], help=_("change a user's role"))
    role.add_argument("username")
    role.add_argument("role", help=_("admin, manager, clerk, cashier, picker"))
    role.set_defaults(handler=cmd_role)
    language = actions.add_parser(
        "language", parents=[common], help=_("the language a user's screens speak (de, fr, es)")
    )
    language.add_argument("username")
    language.add_argument("language", help=_("de, fr, es, en, de_AT...; '' = the workstation's"))
    language.set_defaults(handler=cmd_language)
    reset = actions.add_parser(
        "reset-password",
        parents=[common],
        help=_("set a new password (asked, or KESTREL_PASSWORD)"),
    )
    reset.add_argument("username")
    reset.add_argument(
        "--must-change", action="store_true", help=_("ask for a new password at the next sign-in")
    )
    reset.set_defaults(handler=cmd_reset_password)


def _password(username: str) -> str:
    return os.environ.get("KESTREL_PASSWORD") or getpass.getpass(f"Password for {username}: ")


def _write_as_system(url: str, change: Callable[[Any, str], T], *, password_of: str = "") -> T:
    """Open the database, then (if `password_of` names a user) ask that user's new password,
    then run one change in one write transaction: every `kestrel user` action fails on a
    missing database before prompting, and never prompts inside a transaction."""
    database = open_database(url, create=False)
    password = _password(password_of) if password_of else ""
    with database.write() as session:
        return change(session, password)


def cmd_add_user(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.services.access.users import min_password_length

    password = _password(args.username)
    database = open_database(url, create=True)
    with database.write() as session:
        actor = None if auth.user_count(session) == 0 else auth.SYSTEM
        created = auth.create_user(
            session,
            actor,
            args.username,
            password,
            args.role,
            args.name,
            min_password_length(session),  # the shop's setting, as Settings > Users holds it
        )
    print(
        _("user {username} ({value}) added").format(
            username=created.username, value=created.role.value
        )
    )
    return 0


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from app.core.auth import SYSTEM
    from app.services.access import users

    database = open_database(url, create=False)
    with database.read() as session:
        rows = users.list_users(session, SYSTEM)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "username": r.username,
                        "display_name": r.display_name,
                        "role": r.role.value,
                        "active": r.active,
                        "must_change_password": r.must_change_password,
                        "last_login_at": r.last_login_at.isoformat() if r.last_login_at else None,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return 0
    for r in rows:
        flags = ("" if r.active else " disabled") + (
            " must-change-password" if r.must_change_password else ""
        )
        print(f"{r.username:<20} {r.role.value:<8} {r.display_name}{flags}")
    return 0


def cmd_set_active(args: argparse.Namespace, url: str) -> int:
    from app.core.auth import SYSTEM
    from app.services.access import users

    row = _write_as_system(
        url, lambda session, _: users.set_active(session, SYSTEM, args.username, args.active)
    )
    print(
        (_("user {username} enabled") if row.active else _("user {username} disabled")).format(
            username=row.username
        )
    )
    return 0


def cmd_role(args: argparse.Namespace, url: str) -> int:
    from app.core.auth import SYSTEM
    from app.services.access import users

    row = _write_as_system(
        url, lambda session, _: users.set_role(session, SYSTEM, args.username, args.role)
    )
    print(_("user {username} is now {value}").format(username=row.username, value=row.role.value))
    return 0


def cmd_language(args: argparse.Namespace, url: str) -> int:
    from app.core.auth import SYSTEM
    from app.services.access import users

    row = _write_as_system(
        url, lambda session, _: users.set_language(session, SYSTEM, args.username, args.language)
    )

    if row.language:
        print(
            _("user {username} speaks {language}").format(
                username=row.username, language=row.language
            )
        )
    else:
        print(_("user {username} speaks the workstation's language").format(username=row.username))
    return 0


def cmd_reset_password(args: argparse.Namespace, url: str) -> int:
    from app.core.auth import SYSTEM
    from app.services.access import users

    row = _write_as_system(
        url,
        lambda session, password: users.reset_password(
            session, SYSTEM, args.username, password, args.must_change
        ),
        password_of=args.username,
    )
    if row.must_change_password:
        said = _("password of {username} reset (a new one is asked at the next sign-in)")
    else:
        said = _("password of {username} reset")
    print(said.format(username=row.username))
    return 0
